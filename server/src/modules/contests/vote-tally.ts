import type { Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Locks } from '../../core/locks';
import type { Logger } from '../../core/logger';
import { shanghaiDay } from '../../core/time';
import type { UsersService } from '../users';
import { VoteModel, type VoteDoc } from './contests.model';
import { mustFindContest, storedCounts } from './contest-store';
import { VOTE_KEY_TTL_SECONDS, type VoteGate } from './vote-gate';
import { createVoteWriter, LINGER_MS, storeVotes } from './vote-writer';

/**
 * The tally kept equal to the stored votes: the batched writer of counted votes, the pending log written
 * out (after a crash, before a freeze or rebuild), and the tally and day counters rebuilt from MongoDB
 * after a Redis data loss — all under one per-contest lock so voids and rebuilds never interleave.
 */

/** A live writer stores a vote within milliseconds; a pending vote older than this was left by a crash. */
export const PENDING_GRACE_MS = 30_000;

/**
 * How long a contest's tally or day counters that Redis lost stay unrebuilt, counted from the first sighting
 * by any process (kept in Redis). A vote another process answered just before the loss is in no pending log
 * any more, only in that process's writer queue: its batch starts within LINGER_MS and is stored well within
 * the margin (a queue of batches, a slow MongoDB), so after this it is in the stored votes the rebuild counts
 * and the day's limits hold. Meanwhile votes (and reconciliation) get 503 VOTE_GATE_RECOVERING.
 */
export const VOTE_GATE_REBUILD_QUIET_MS = LINGER_MS + 5_000;

/** The 503 while a lost tally waits out its quiet period, saying when to try again. */
export function recovering(lostAt: number, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((lostAt + VOTE_GATE_REBUILD_QUIET_MS - now.getTime()) / 1000));
  return new AppError('VOTE_GATE_RECOVERING', { details: { retryAfterSeconds } });
}

/** Votes per user (and per user and entry) on one day, from the stored votes: the day's counters. */
async function storedDayCounts(id: string, day: string): Promise<Map<string, number>> {
  const rows = await VoteModel.aggregate<{ _id: { u: Types.ObjectId; e: Types.ObjectId }; n: number }>([
    { $match: { contestId: oid(id), day } },
    { $group: { _id: { u: '$userId', e: '$entryId' }, n: { $sum: 1 } } },
  ]);
  const counts = new Map<string, number>();
  for (const r of rows) {
    const u = r._id.u.toHexString();
    counts.set(u, (counts.get(u) ?? 0) + r.n);
    counts.set(`${u}:${r._id.e.toHexString()}`, r.n);
  }
  return counts;
}

export interface VoteTallyDeps {
  clock: Clock;
  logger: Logger;
  users: Pick<UsersService, 'createdAtOf'>;
  gate: VoteGate;
  locks: Locks;
}

export function createVoteTally({ clock, logger, users, gate, locks }: VoteTallyDeps) {
  const writer = createVoteWriter({ gate, logger, createdAtOf: (ids) => users.createdAtOf(ids) });

  /** The per-contest tally lock (rebuilds and voids): waits for a holder rather than skipping. */
  async function withTallyLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const until = Date.now() + 30_000;
    for (;;) {
      const outcome = await locks.withLock(`contest-tally:${id}`, 60_000, work);
      if (outcome.ran) return outcome.value;
      if (Date.now() > until) throw new AppError('VOTING_BUSY');
      await sleep(25);
    }
  }

  /**
   * Writes pending votes (counted by the gate, record not yet confirmed) to MongoDB: those older than
   * `graceMs` (the job: left by a crashed process), or all of them (freeze, rebuilds). Safe against the
   * live writer: the vote id is the record's _id.
   */
  async function drainPending(id: string, graceMs = 0): Promise<number> {
    const cutoff = clock.now().getTime() - graceMs;
    const votes = (await gate.pending(id)).filter((v) => graceMs === 0 || v.at.getTime() <= cutoff);
    if (votes.length === 0) return 0;
    let hours: number | undefined;
    const newAccountHours = async () => (hours ??= (await mustFindContest(id)).voting.newAccountHours);
    // In slices: after a long MongoDB outage the log may hold many votes.
    for (let i = 0; i < votes.length; i += 1000) {
      const failed = await storeVotes(
        { gate, logger, createdAtOf: (ids) => users.createdAtOf(ids) },
        votes.slice(i, i + 1000),
        newAccountHours,
      );
      if (failed.size > 0) throw new AppError('VOTING_BUSY');
    }
    return votes.length;
  }

  /**
   * Makes the tally equal the stored votes: pauses the gate (votes wait), writes every pending vote,
   * counts the valid stored votes and replaces the tally and `day`'s counters (today by default; voided
   * votes still used up their day's allowance). Under the tally lock, so voids and rebuilds never interleave.
   * After a Redis data loss it waits out VOTE_GATE_REBUILD_QUIET_MS (VOTE_GATE_RECOVERING meanwhile).
   */
  function rebuild(id: string, day = shanghaiDay(clock.now())): Promise<Map<string, number>> {
    return withTallyLock(id, () => rebuildLocked(id, day));
  }
  /** rebuild's work, for a caller already holding the tally lock. */
  async function rebuildLocked(id: string, day: string): Promise<Map<string, number>> {
    // After a Redis data loss, not before the quiet period: votes still queued in other processes must be
    // stored first, or the rebuilt day counters would miss them (and let voters past the daily limit).
    const now = clock.now();
    const lostAt = await gate.lostSince(id, day, now);
    if (lostAt !== null && now.getTime() - lostAt < VOTE_GATE_REBUILD_QUIET_MS) throw recovering(lostAt, now);
    return gate.paused(id, 30_000, async () => {
      await writer.idle();
      await drainPending(id);
      const counts = await storedCounts(id);
      // Today's counters too: after a loss nothing else would restore them (their day mark went with the tally).
      await gate.rebuild(id, counts, { day, counts: await storedDayCounts(id, day) });
      // Request keys Redis lost: a retry of a stored vote must still get that vote back.
      const keyed = await VoteModel.find(
        { contestId: oid(id), requestKey: { $exists: true }, createdAt: { $gt: new Date(now.getTime() - VOTE_KEY_TTL_SECONDS * 1000) } },
        { userId: 1, entryId: 1, requestKey: 1, createdAt: 1 },
      ).lean<Array<Pick<VoteDoc, '_id' | 'userId' | 'entryId' | 'requestKey' | 'createdAt'>>>();
      await gate.rememberKeys(
        id,
        keyed.map((v) => ({
          userId: v.userId.toHexString(),
          requestKey: v.requestKey!,
          voteId: v._id.toHexString(),
          entryId: v.entryId.toHexString(),
          at: v.createdAt,
        })),
        now,
      );
      return counts;
    });
  }

  return { writer, withTallyLock, drainPending, rebuild, rebuildLocked };
}

export type VoteTally = ReturnType<typeof createVoteTally>;
