import type { Redis } from 'ioredis';
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
}

/** Account creation times never change: each process asks MongoDB once per voter. */
const accountCreated = new Map<string, Date>();
async function createdAt(deps: VoteStoreDeps, userIds: readonly string[]): Promise<Map<string, Date>> {
  const missing = [...new Set(userIds)].filter((id) => !accountCreated.has(id));
  if (missing.length > 0) {
    const found = await deps.createdAtOf(missing);
    if (accountCreated.size + found.size > 200_000) accountCreated.clear();
    for (const [id, at] of found) accountCreated.set(id, at);
  }
  return accountCreated;
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
  resolve: (stored: boolean) => void;
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
}

export function createVoteWriter(deps: VoteStoreDeps, maxQueued = MAX_QUEUED): VoteWriter {
  let queue: Queued[] = [];
  let overflowLogged = false;
  let flushing = false;
  let timer: NodeJS.Timeout | undefined;
  // Votes leave the queue in the order they entered it, so "queued before" is a count: how many were ever
  // queued, and how many of those have had their batch. idle() waits for the count at its call.
  let queuedTotal = 0;
  let triedTotal = 0;
  let waiters: Array<{ upTo: number; resolve: () => void }> = [];

  function settleIdle() {
    if (!waiters.some((w) => w.upTo <= triedTotal)) return;
    const due = waiters.filter((w) => w.upTo <= triedTotal);
    waiters = waiters.filter((w) => w.upTo > triedTotal);
    for (const w of due) w.resolve();
  }

  /** One batch at a time: votes arriving meanwhile make the next batch bigger, not another insert. */
  function schedule(now = false) {
    if (flushing || queue.length === 0) return;
    if (now || queue.length >= MAX_BATCH || waiters.length > 0) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      void flush();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        void flush();
      }, LINGER_MS);
    }
  }

  async function flush(): Promise<void> {
    if (flushing || queue.length === 0) return settleIdle();
    const items = queue.slice(0, MAX_BATCH);
    queue = queue.slice(items.length);
    flushing = true;
    let failed: Set<string>;
    try {
      const hours = new Map(items.map((i) => [i.vote.contestId, i.newAccountHours]));
      failed = await storeVotes(
        deps,
        items.map((i) => i.vote),
        (c) => hours.get(c) ?? 0,
      );
    } catch (err) {
      deps.logger.error({ err, votes: items.length }, 'contest vote batch failed; the votes stay pending for reconciliation');
      failed = new Set(items.map((i) => i.vote.voteId));
    }
    flushing = false;
    triedTotal += items.length;
    for (const i of items) i.resolve(!failed.has(i.vote.voteId));
    schedule(queue.length >= MAX_BATCH);
    settleIdle();
  }

  return {
    write(vote, newAccountHours) {
      if (queue.length >= maxQueued) {
        if (!overflowLogged) {
          overflowLogged = true;
          deps.logger.warn({ queued: queue.length }, 'contest vote queue full; further votes wait in the pending log for reconciliation');
        }
        return Promise.resolve(false);
      }
      overflowLogged = false;
      return new Promise<boolean>((resolve) => {
        queue.push({ vote, newAccountHours, resolve });
        queuedTotal += 1;
        schedule();
      });
    },
    idle() {
      const upTo = queuedTotal;
      if (triedTotal >= upTo) return Promise.resolve();
      const done = new Promise<void>((resolve) => waiters.push({ upTo, resolve }));
      schedule(true);
      return done;
    },
  };
}

/** One writer per process (per Redis client): every contests service built in the process shares its queue. */
const writers = new WeakMap<Redis, VoteWriter>();
export function voteWriterFor(redis: Redis, deps: VoteStoreDeps): VoteWriter {
  let writer = writers.get(redis);
  if (!writer) {
    writer = createVoteWriter(deps);
    writers.set(redis, writer);
  }
  return writer;
}
