import { ContestModel, EntryModel, type ContestDoc, type EntryDoc } from './contests.model';
import { roundOf } from './contest-rules';
import type { VoteGate } from './vote-gate';

/**
 * The vote path never reads MongoDB: each process keeps the contest (rounds, limits) and the entries that may
 * get votes in memory under the config version it read from Redis. Every change bumps the version
 * (changed), and the gate refuses a vote checked against an older version, so a process reloads before it
 * acts on stale config. The TTL is only a backstop. The round is worked out per vote from the cached rounds
 * and the clock, never from the advance job's progress, so a config cached before a boundary is still right
 * after it.
 */
export interface VoteConfig {
  contest: ContestDoc;
  shortlisted: ReadonlySet<string>;
  version: string;
}

const CONFIG_TTL_MS = 60_000;

/** This process's vote configs, one per contest (owned by the contests service, not the module). */
export function createVoteConfigs(gate: Pick<VoteGate, 'version' | 'bump'>) {
  const configs = new Map<string, { at: number; value: Promise<VoteConfig | null> }>();

  /** The contest's vote config, from memory unless `reload` (or older than the TTL); null for no such contest. */
  function load(id: string, reload = false): Promise<VoteConfig | null> {
    const hit = configs.get(id);
    if (hit && !reload && Date.now() - hit.at < CONFIG_TTL_MS) return hit.value;
    const value = (async () => {
      // The version first: a change landing after this read shows up as a stale version at the gate.
      const version = await gate.version(id);
      const contest = await ContestModel.findById(id).lean<ContestDoc>();
      if (!contest) return null;
      // Without a shortlist round every entry may get votes (voting comes after the open call, whatever the job
      // recorded); an entry filed after this load is found by the vote's repair path.
      const filter = roundOf(contest, 'shortlist') < 0 ? { contestId: contest._id } : { contestId: contest._id, shortlisted: true };
      const entries = await EntryModel.find(filter, { _id: 1 }).lean<Pick<EntryDoc, '_id'>[]>();
      return { contest, shortlisted: new Set(entries.map((e) => e._id.toHexString())), version };
    })();
    value.catch(() => configs.delete(id));
    if (configs.size > 1000) configs.clear();
    configs.set(id, { at: Date.now(), value });
    return value;
  }

  return {
    load,
    /** The contest or its shortlist changed: every process reloads its vote config before the next vote. */
    async changed(id: string): Promise<void> {
      configs.delete(id);
      await gate.bump(id);
    },
    /** Drops this process's copy only (the freeze closes the gate, so no other process can use a stale one). */
    forget(id: string): void {
      configs.delete(id);
    },
  };
}

export type VoteConfigs = ReturnType<typeof createVoteConfigs>;
