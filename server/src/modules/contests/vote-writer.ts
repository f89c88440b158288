import { createBatchWriter } from '../../core/batch/batch-writer';
import { oid } from '../../core/db';
import { insertProven } from '../../core/db/insert-proven';
import type { Logger } from '../../core/logger';
import { VoteModel, type VoteDoc } from './contests.model';
import { burstKey, type PendingVote, type VoteGate } from './vote-gate';

const MAX_BATCH = 500;
/**
 * How long a vote may wait in the queue for others to share its insert. Each MongoDB command costs the
 * API a few milliseconds of CPU whatever its size, so one insert per 25 ms (or per 500 votes) instead of
 * one per vote is most of the vote path's saving. The voter does not wait for it.
 */
export const LINGER_MS = 25;
/**
 * The most votes one process keeps queued. While MongoDB is slow or down the queue would otherwise grow with
 * every vote; past this bound a vote is not queued at all (its write resolves false at once): it is already
 * counted and sits in the gate's pending log, which reconciliation stores. Memory stays bounded, nothing is lost.
 */
export const MAX_QUEUED = 20_000;

export interface VoteStoreDeps {
  gate: VoteGate;
  logger: Logger;
  /** Account creation times (new-account flag), one query per batch. */
  createdAtOf(ids: readonly string[]): Promise<Map<string, Date>>;
  /**
   * Creation times already asked for (they never change): the writer keeps one, so a voter's account is
   * read once per writer. Without it each call asks for its own voters.
   */
  createdCache?: Map<string, Date>;
}

async function createdAt(deps: VoteStoreDeps, userIds: readonly string[]): Promise<Map<string, Date>> {
  const cache = deps.createdCache ?? new Map<string, Date>();
  const missing = [...new Set(userIds)].filter((id) => !cache.has(id));
  if (missing.length > 0) {
    const found = await deps.createdAtOf(missing);
    if (cache.size + found.size > 200_000) cache.clear();
    for (const [id, at] of found) cache.set(id, at);
  }
  return cache;
}

/**
 * Writes counted votes (from this process's queue or from the pending log) as MongoDB records, at most
 * once each: the vote id from the gate is the record's _id, so a record already written (by another
 * process, or by reconciliation racing the writer) is a duplicate key and counts as stored. Flags are
 * settled here: new accounts (creation time vs the vote's time), one device shared by too many voters
 * (the gate's verdict, plus the device's earlier votes when this vote crossed the line). Pending entries
 * are dropped once their records are stored. Returns the ids that could not be stored (left pending).
 */
export async function storeVotes(
  deps: VoteStoreDeps,
  votes: readonly PendingVote[],
  newAccountHours: (contestId: string) => number | Promise<number>,
): Promise<Set<string>> {
  if (votes.length === 0) return new Set();
  const hours = new Map<string, number>();
  for (const c of new Set(votes.map((v) => v.contestId))) hours.set(c, await newAccountHours(c));
  const created = await createdAt(
    deps,
    votes.filter((v) => (hours.get(v.contestId) ?? 0) > 0).map((v) => v.userId),
  );
  const docs: VoteDoc[] = votes.map((v) => {
    const flags: string[] = [];
    const since = created.get(v.userId);
    if (since && v.at.getTime() - since.getTime() < (hours.get(v.contestId) ?? 0) * 3600_000) flags.push('new_account');
    if (v.device !== 0) flags.push('shared_device');
    return {
      _id: oid(v.voteId),
      contestId: oid(v.contestId),
      entryId: oid(v.entryId),
      userId: oid(v.userId),
      day: v.day,
      ...(v.deviceId ? { deviceId: v.deviceId } : {}),
      ...(v.ip ? { ip: v.ip } : {}),
      ...(v.requestKey ? { requestKey: v.requestKey } : {}),
      status: 'valid',
      flags,
      createdAt: v.at,
    };
  });
  // Only votes proven stored leave the pending log: after a network error the insert's error can't say which
  // landed (see insertProven), and a pending entry dropped for a vote that never landed loses it from the
  // tally at the next rebuild. A vote already stored under its id (duplicate key) is proven too.
  const { stored: proven, error } = await insertProven(VoteModel.collection, docs);
  const failed = new Set(votes.filter((v) => !proven.has(v.voteId)).map((v) => v.voteId));
  if (failed.size > 0)
    deps.logger.error({ err: error, failed: failed.size }, 'contest votes not stored; they stay pending for reconciliation');
  const stored = votes.filter((v) => !failed.has(v.voteId));
  // The device crossed the line with this vote: its earlier votes that day join the burst.
  const crossings = new Map<string, PendingVote>();
  for (const v of stored) if (v.device === 2 && v.deviceId) crossings.set(`${v.contestId}|${v.deviceId}|${v.day}`, v);
  for (const v of crossings.values())
    await VoteModel.updateMany(
      { contestId: oid(v.contestId), deviceId: v.deviceId!, day: v.day },
      { $addToSet: { flags: 'shared_device' } },
    );
  // Written unflagged while another process saw the device cross the line: join the burst too.
  const burst = await deps.gate.confirm(stored);
  const late = stored.filter((v) => v.deviceId && v.device === 0 && burst.has(`${burstKey(v.contestId, v.day)}|${v.deviceId}`));
  if (late.length > 0)
    await VoteModel.updateMany({ _id: { $in: late.map((v) => oid(v.voteId)) } }, { $addToSet: { flags: 'shared_device' } });
  return failed;
}

interface Queued {
  vote: PendingVote;
  newAccountHours: number;
}

export interface VoteWriter {
  /**
   * Queues a counted vote for the next batch; resolves true once its record is stored (false: it stays
   * in the pending log, and reconciliation stores it). Callers need not wait: the vote is already counted.
   */
  write(vote: PendingVote, newAccountHours: number): Promise<boolean>;
  /**
   * Writes what is queued now and resolves when every vote queued before the call is written (or left
   * pending). Votes queued after the call are not waited for: under a sustained rush the queue never empties.
   */
  idle(): Promise<void>;
  /** Writes what is queued and refuses further votes (they stay pending for reconciliation). */
  close(): Promise<void>;
}

/** Batches the votes of one contests service (core/batch): one insert per LINGER_MS or per 500 votes. */
export function createVoteWriter(deps: VoteStoreDeps, maxQueued = MAX_QUEUED): VoteWriter {
  const store: VoteStoreDeps = { ...deps, createdCache: deps.createdCache ?? new Map() };
  const writer = createBatchWriter<Queued>({
    maxBatch: MAX_BATCH,
    lingerMs: LINGER_MS,
    maxQueued,
    async write(items) {
      const hours = new Map(items.map((i) => [i.vote.contestId, i.newAccountHours]));
      const failed = await storeVotes(
        store,
        items.map((i) => i.vote),
        (c) => hours.get(c) ?? 0,
      );
      return { failed: items.filter((i) => failed.has(i.vote.voteId)) };
    },
    onFailure(items, err) {
      // storeVotes logs the votes it could not store; a throw is the batch failing before or after its insert.
      if (err !== undefined)
        deps.logger.error({ err, votes: items.length }, 'contest vote batch failed; the votes stay pending for reconciliation');
    },
    onOverflow(queued) {
      deps.logger.warn({ queued }, 'contest vote queue full; further votes wait in the pending log for reconciliation');
    },
  });
  return {
    write: (vote, newAccountHours) => writer.write({ vote, newAccountHours }),
    idle: () => writer.idle(),
    close: () => writer.close(),
  };
}
