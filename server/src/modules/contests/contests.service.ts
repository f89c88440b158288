import { Types, type QueryFilter } from 'mongoose';
import type { Redis } from 'ioredis';
import {
  ROUND_LABELS,
  SCORE_FORMULA,
  TIE_BREAK_RULES,
  type ContestView,
  type CreateContestBody,
  type EntryView,
  type FileEntryBody,
  type ResultRow,
} from '@shared/schemas/contests';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { createLocks, type LockOutcome } from '../../core/locks';
import type { Logger } from '../../core/logger';
import type { SubmissionsService } from '../submissions';
import type { UsersService } from '../users';
import {
  ContestModel,
  EntryClaimModel,
  EntryModel,
  JuryScoreModel,
  VoteModel,
  type ContestDoc,
  type EntryDoc,
  type VoteDoc,
} from './contests.model';
import {
  APPROVED_STATES,
  JURY_PHASES,
  allGoForward,
  isJuror,
  isShortlisted,
  kindAt,
  phaseAt,
  phaseConflict,
  roundIndexAt,
  roundOf,
  shanghaiDay,
  totalsVisible,
} from './contest-rules';
import { awardForRank, rankEntries } from './scoring';
import { createVoteGate, VOTE_KEY_TTL_SECONDS, type PendingVote } from './vote-gate';
import { LINGER_MS, storeVotes, voteWriterFor } from './vote-writer';

/** The points ledger's earn(), as CONTRACTS.md states it (server/src/modules/points). */
export interface AwardLedger {
  earn(input: {
    userId: string;
    source: 'contest';
    amount?: number;
    reason: string;
    ref: { type: string; id: string };
    idempotencyKey: string;
  }): Promise<
    | { status: 'credited'; amount: number; entryId: string; balance: number }
    | { status: 'duplicate'; entryId: string }
    | { status: 'capped'; cap: string; message: string }
  >;
}

export interface ContestsServiceDeps {
  clock: Clock;
  redis: Redis;
  logger: Logger;
  users: Pick<UsersService, 'getView' | 'createdAtOf'>;
  submissions: Pick<SubmissionsService, 'get'>;
  ledger: AwardLedger;
}

export interface Voter extends RoleHolder {
  deviceId?: string | null;
  ip?: string;
}

/** A live writer stores a vote within milliseconds; a pending vote older than this was left by a crash. */
const PENDING_GRACE_MS = 30_000;

/**
 * How long a contest's tally or day counters that Redis lost stay unrebuilt, counted from the first sighting
 * by any process (kept in Redis). A vote another process answered just before the loss is in no pending log
 * any more, only in that process's writer queue: its batch starts within LINGER_MS and is stored well within
 * the margin (a queue of batches, a slow MongoDB), so after this it is in the stored votes the rebuild counts
 * and the day's limits hold. Meanwhile votes (and reconciliation) get 503 VOTE_GATE_RECOVERING.
 */
export const VOTE_GATE_REBUILD_QUIET_MS = LINGER_MS + 5_000;

/** Re-exported: the module's public API names these (roundIndexAt for the advance job, shanghaiDay for the voting day). */
export { roundIndexAt, shanghaiDay };

export type ContestsService = ReturnType<typeof createContestsService>;

export function createContestsService(deps: ContestsServiceDeps) {
  const { clock, redis, users, submissions, ledger, logger } = deps;
  const gate = createVoteGate(redis);
  const locks = createLocks(redis);

  const writer = voteWriterFor(redis, { gate, logger, createdAtOf: (ids) => users.createdAtOf(ids) });

  // The vote path never reads MongoDB: each process keeps the contest (rounds, limits) and the entries that may
  // get votes in memory under the config version it read from Redis. Every change bumps the version
  // (configChanged), and the gate refuses a vote checked against an older version, so a process reloads
  // before it acts on stale config. The TTL is only a backstop. The round is worked out per vote from the
  // cached rounds and the clock, never from the advance job's progress, so a config cached before a boundary
  // is still right after it.
  interface VoteConfig {
    contest: ContestDoc;
    shortlisted: ReadonlySet<string>;
    version: string;
  }
  const configs = new Map<string, { at: number; value: Promise<VoteConfig | null> }>();
  const CONFIG_TTL_MS = 60_000;
  function voteConfig(id: string, reload = false): Promise<VoteConfig | null> {
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
  /** The contest or its shortlist changed: every process reloads its vote config before the next vote. */
  async function configChanged(id: string): Promise<void> {
    configs.delete(id);
    await gate.bump(id);
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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

  /**
   * Makes the tally equal the stored votes: pauses the gate (votes wait), writes every pending vote,
   * counts the valid stored votes and replaces the tally and `day`'s counters (today by default; voided
   * votes still used up their day's allowance). Under the tally lock, so voids and rebuilds never interleave.
   * After a Redis data loss it waits out VOTE_GATE_REBUILD_QUIET_MS (VOTE_GATE_RECOVERING meanwhile).
   */
  function rebuildTally(id: string, day = shanghaiDay(clock.now())): Promise<Map<string, number>> {
    return withTallyLock(id, () => rebuildLocked(id, day));
  }
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

  function recovering(lostAt: number, now: Date): AppError {
    const retryAfterSeconds = Math.max(1, Math.ceil((lostAt + VOTE_GATE_REBUILD_QUIET_MS - now.getTime()) / 1000));
    return new AppError('VOTE_GATE_RECOVERING', { details: { retryAfterSeconds } });
  }

  async function mustFindContest(id: string): Promise<ContestDoc> {
    const doc = await ContestModel.findById(id).lean<ContestDoc>();
    if (!doc) throw new AppError('CONTEST_NOT_FOUND');
    return doc;
  }
  async function mustFindEntry(contestId: string, entryId: string): Promise<EntryDoc> {
    const doc = await EntryModel.findOne({ _id: oid(entryId), contestId: oid(contestId) }).lean<EntryDoc>();
    if (!doc) throw new AppError('ENTRY_NOT_FOUND');
    return doc;
  }

  function toContestView(doc: ContestDoc, now = clock.now()): ContestView {
    return {
      id: doc._id.toHexString(),
      title: doc.title,
      description: doc.description,
      cover: doc.cover ?? null,
      campaign: doc.campaign ?? null,
      rounds: doc.rounds.map((r, i) => ({
        kind: r.kind,
        label: ROUND_LABELS[r.kind],
        startsAt: r.startsAt.toISOString(),
        endsAt: doc.rounds[i + 1]?.startsAt.toISOString() ?? null,
      })),
      phase: phaseAt(doc, now),
      advancedTo: kindAt(doc, doc.currentRound),
      entryKinds: doc.entryKinds,
      maxEntriesPerPerson: doc.maxEntriesPerPerson,
      voting: { ...doc.voting },
      juryWeight: doc.juryWeight,
      publicWeight: doc.publicWeight,
      awards: doc.awards.map((a) => ({ label: a.label, count: a.count, points: a.points })),
      jurorIds: doc.jurorIds.map((j) => j.toHexString()),
      totalsVisible: totalsVisible(doc, now),
      // Out once the results round begins by the clock: the first request for them computes them if the job hasn't.
      resultsPublished: Boolean(doc.resultsPublishedAt) || roundIndexAt(doc, now) === doc.rounds.length - 1,
      tieBreak: doc.tieBreak ?? 'jury',
      tieBreakRule: TIE_BREAK_RULES[doc.tieBreak ?? 'jury'],
      createdAt: doc.createdAt.toISOString(),
    };
  }

  async function entryVotes(contest: ContestDoc, entry: EntryDoc): Promise<number | null> {
    if (!totalsVisible(contest, clock.now())) return null;
    if (entry.frozenVotes !== undefined) return entry.frozenVotes;
    return gate.entryTally(contest._id.toHexString(), entry._id.toHexString());
  }

  function toEntryView(contest: Pick<ContestDoc, 'rounds'>, entry: EntryDoc, votes: number | null, now = clock.now()): EntryView {
    return {
      id: entry._id.toHexString(),
      contestId: entry.contestId.toHexString(),
      authorId: entry.authorId.toHexString(),
      authorName: entry.authorName,
      kind: entry.kind,
      submissionId: entry.submissionId?.toHexString() ?? null,
      title: entry.title,
      description: entry.description ?? null,
      imageUrls: entry.imageUrls,
      videoUrl: entry.videoUrl ?? null,
      shortlisted: isShortlisted(contest, entry, now),
      votes,
      createdAt: entry.createdAt.toISOString(),
    };
  }

  /** Valid stored votes per entry: the source of truth every tally is checked against. */
  async function storedCounts(contestId: string): Promise<Map<string, number>> {
    const rows = await VoteModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { contestId: oid(contestId), status: 'valid' } },
      { $group: { _id: '$entryId', n: { $sum: 1 } } },
    ]);
    return new Map(rows.map((r) => [r._id.toHexString(), r.n]));
  }

  // ── round effects (each idempotent: a racing or retried advance may run them again) ──

  /** Without a jury shortlist round, every entry goes forward once entry closes. */
  async function shortlistAllIfNoJury(contest: ContestDoc): Promise<void> {
    if (roundOf(contest, 'shortlist') >= 0) return;
    await EntryModel.updateMany({ contestId: contest._id, shortlisted: false }, { $set: { shortlisted: true } });
    await configChanged(contest._id.toHexString());
  }

  /**
   * Voting closed: the gate is closed for good (no vote gets in on a lagging clock), every pending vote
   * is written, and the tally rebuilt from the stored votes is written onto the entries — so the frozen
   * tallies are the stored votes.
   */
  async function freezeTallies(contest: ContestDoc): Promise<void> {
    const contestId = contest._id.toHexString();
    await gate.close(contestId);
    configs.delete(contestId);
    const counts = await rebuildTally(contestId);
    const entries = await EntryModel.find({ contestId: contest._id }, { _id: 1 }).lean<Pick<EntryDoc, '_id'>[]>();
    for (const e of entries) {
      await EntryModel.updateOne({ _id: e._id }, { $set: { frozenVotes: counts.get(e._id.toHexString()) ?? 0 } });
    }
    await ContestModel.updateOne({ _id: contest._id, tallyFrozenAt: { $exists: false } }, { $set: { tallyFrozenAt: clock.now() } });
  }

  /** Scores, ranks and award tiers from the stored data; pays each award once through the ledger. */
  async function publishResults(contest: ContestDoc): Promise<void> {
    const contestId = contest._id.toHexString();
    if (!contest.tallyFrozenAt && roundOf(contest, 'voting') >= 0) await freezeTallies(contest);
    // Results come after entry closed: without a shortlist round every entry is ranked (isShortlisted).
    const inRunning = roundOf(contest, 'shortlist') < 0 ? { contestId: contest._id } : { contestId: contest._id, shortlisted: true };
    const entries = await EntryModel.find(inRunning).lean<EntryDoc[]>();
    const counts = await storedCounts(contestId);
    const scores = await JuryScoreModel.find({ contestId: contest._id }).lean<{ entryId: Types.ObjectId; score: number }[]>();
    const byEntry = new Map<string, number[]>();
    for (const s of scores) byEntry.set(s.entryId.toHexString(), [...(byEntry.get(s.entryId.toHexString()) ?? []), s.score]);
    const ranked = rankEntries(
      entries.map((e) => ({
        entryId: e._id.toHexString(),
        createdAt: e.createdAt,
        juryScores: byEntry.get(e._id.toHexString()) ?? [],
        votes: counts.get(e._id.toHexString()) ?? 0,
      })),
      { jury: contest.juryWeight, public: contest.publicWeight },
      contest.tieBreak ?? 'jury',
    );
    const byId = new Map(entries.map((e) => [e._id.toHexString(), e]));
    for (const row of ranked) {
      const entry = byId.get(row.entryId)!;
      const tier = awardForRank(contest.awards, row.rank);
      const set: Record<string, unknown> = {
        rank: row.rank,
        juryScore: row.juryScore,
        jurorCount: row.jurorCount,
        publicScore: row.publicScore,
        finalScore: row.finalScore,
        frozenVotes: row.votes,
      };
      // A paid award is never rewritten by a re-run.
      if (tier && !entry.award) set.award = { label: tier.label, points: tier.points, status: 'pending' };
      await EntryModel.updateOne({ _id: entry._id }, { $set: set });
    }
    await payAwards(contest);
    await ContestModel.updateOne(
      { _id: contest._id, resultsPublishedAt: { $exists: false } },
      { $set: { resultsPublishedAt: clock.now(), updatedAt: clock.now() } },
    );
  }

  async function payAwards(contest: ContestDoc): Promise<number> {
    const pending = await EntryModel.find({ contestId: contest._id, 'award.status': 'pending' }).lean<EntryDoc[]>();
    let paid = 0;
    for (const entry of pending) {
      const award = entry.award!;
      if (award.points <= 0) {
        await EntryModel.updateOne({ _id: entry._id, 'award.status': 'pending' }, { $set: { 'award.status': 'paid' } });
        continue;
      }
      const entryId = entry._id.toHexString();
      let result: Awaited<ReturnType<AwardLedger['earn']>>;
      try {
        result = await ledger.earn({
          userId: entry.authorId.toHexString(),
          source: 'contest',
          amount: award.points,
          reason: `${contest.title}·${award.label}（《${entry.title}》）`,
          ref: { type: 'contest_entry', id: entryId },
          // One payment per entry and contest, whoever runs the results and however often.
          idempotencyKey: `contest:${contest._id.toHexString()}:award:${entryId}`,
        });
      } catch (err) {
        // Left pending: the advance job retries unpaid awards on every run (same key, so never twice).
        logger.error({ err, contestId: contest._id.toHexString(), entryId }, 'contest award payment failed');
        continue;
      }
      const status = result.status === 'capped' ? 'capped' : 'paid';
      await EntryModel.updateOne({ _id: entry._id, 'award.status': 'pending' }, { $set: { 'award.status': status } });
      if (result.status === 'credited') paid += 1;
    }
    return paid;
  }

  async function enterRound(contest: ContestDoc, index: number): Promise<void> {
    const kind = contest.rounds[index]!.kind;
    const previous = index > 0 ? contest.rounds[index - 1]!.kind : null;
    if (previous === 'submission') await shortlistAllIfNoJury(contest);
    if (previous === 'voting') await freezeTallies(contest);
    if (kind === 'results') await publishResults(contest);
  }

  /**
   * Carries one contest through every round boundary `now` has passed, one step at a time: the step's
   * effects (idempotent) first, then a compare-and-set on `currentRound`, so a crashed step is redone
   * and two schedulers never both record a transition.
   */
  async function advanceContest(id: Types.ObjectId, now: Date): Promise<number> {
    let steps = 0;
    for (;;) {
      const contest = await ContestModel.findById(id).lean<ContestDoc>();
      if (!contest) return steps;
      const target = roundIndexAt(contest, now);
      if (contest.currentRound >= target) return steps;
      const next = contest.currentRound + 1;
      await enterRound(contest, next);
      const moved = await ContestModel.updateOne(
        { _id: id, currentRound: contest.currentRound },
        {
          $set: { currentRound: next, updatedAt: now },
          $push: { history: { round: next, kind: contest.rounds[next]!.kind, at: now } },
        },
      );
      if (moved.modifiedCount === 1) {
        await configChanged(id.toHexString());
        steps += 1;
        logger.info({ contestId: id.toHexString(), round: next, kind: contest.rounds[next]!.kind }, 'contest advanced');
      }
    }
  }

  /**
   * The advance job's work for one contest, at a request that needs it (results asked for before the job
   * reached the results round): the same idempotent steps under the same per-contest lock; when the job
   * (or another request) holds it, waits for it and checks again.
   */
  async function catchUp(id: Types.ObjectId): Promise<void> {
    const until = Date.now() + 30_000;
    for (;;) {
      const outcome = await locks.withLock(`contest-advance:${id.toHexString()}`, 120_000, () => advanceContest(id, clock.now()));
      if (outcome.ran) return;
      if (Date.now() > until) throw new AppError('SERVICE_UNAVAILABLE');
      await sleep(50);
    }
  }

  const service = {
    toContestView,

    async create(actor: RoleHolder, input: CreateContestBody): Promise<ContestView> {
      authorize(actor, { role: 'admin' });
      const now = clock.now();
      const doc = await ContestModel.create({
        title: input.title,
        description: input.description,
        ...(input.cover ? { cover: input.cover } : {}),
        ...(input.campaign ? { campaign: input.campaign } : {}),
        rounds: input.rounds.map((r) => ({ kind: r.kind, startsAt: new Date(r.startsAt) })),
        currentRound: -1,
        history: [],
        entryKinds: input.entryKinds,
        maxEntriesPerPerson: input.maxEntriesPerPerson,
        voting: input.voting,
        juryWeight: input.juryWeight,
        publicWeight: input.publicWeight,
        awards: input.awards,
        tieBreak: input.tieBreak ?? 'jury',
        jurorIds: [],
        createdBy: oid(actor.id),
        createdAt: now,
        updatedAt: now,
      });
      // The tally exists (empty) from the start, so the vote gate can tell "no votes" from "Redis lost it".
      await gate.init(doc._id.toHexString());
      return toContestView(doc.toObject() as ContestDoc, now);
    },

    async list(): Promise<ContestView[]> {
      const docs = await ContestModel.find({}).sort({ _id: -1 }).limit(100).lean<ContestDoc[]>();
      const now = clock.now();
      return docs.map((d) => toContestView(d, now));
    },

    async get(id: string): Promise<ContestView> {
      return toContestView(await mustFindContest(id));
    },

    /**
     * Replaces the configuration of a contest that has not started (rounds and dates, entry modes, vote
     * limits, weights, tie-break, awards): nothing can depend on it yet. Jurors stay. Once the first round
     * has begun (by the clock or by the advance job) → CONTEST_PHASE_CLOSED.
     */
    async reconfigure(actor: RoleHolder, id: string, input: CreateContestBody): Promise<ContestView> {
      authorize(actor, { role: 'admin' });
      const now = clock.now();
      const current = await mustFindContest(id);
      if (current.currentRound !== -1 || roundIndexAt(current, now) !== -1) throw phaseConflict(current, now, '修改配置');
      const doc = await ContestModel.findOneAndUpdate(
        // Conditional on what was read: a concurrent edit or the advance job moving first makes this miss.
        { _id: current._id, currentRound: -1, updatedAt: current.updatedAt },
        {
          $set: {
            title: input.title,
            description: input.description,
            rounds: input.rounds.map((r) => ({ kind: r.kind, startsAt: new Date(r.startsAt) })),
            entryKinds: input.entryKinds,
            maxEntriesPerPerson: input.maxEntriesPerPerson,
            voting: input.voting,
            juryWeight: input.juryWeight,
            publicWeight: input.publicWeight,
            awards: input.awards,
            tieBreak: input.tieBreak ?? 'jury',
            updatedAt: now,
            ...(input.cover ? { cover: input.cover } : {}),
            ...(input.campaign ? { campaign: input.campaign } : {}),
          },
          ...(!input.cover || !input.campaign
            ? { $unset: { ...(input.cover ? {} : { cover: 1 }), ...(input.campaign ? {} : { campaign: 1 }) } }
            : {}),
        },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw phaseConflict(await mustFindContest(id), clock.now(), '修改配置');
      await configChanged(id);
      return toContestView(doc as ContestDoc, now);
    },

    async appointJuror(actor: RoleHolder, id: string, userId: string): Promise<ContestView> {
      authorize(actor, { role: 'admin' });
      await users.getView(userId);
      const doc = await ContestModel.findByIdAndUpdate(
        id,
        { $addToSet: { jurorIds: oid(userId) }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('CONTEST_NOT_FOUND');
      await configChanged(id);
      return toContestView(doc as ContestDoc);
    },

    /** Files an entry during the open call: the author's approved submission, or a photo/video link. */
    async fileEntry(actor: RoleHolder, id: string, input: FileEntryBody): Promise<EntryView> {
      const contest = await mustFindContest(id);
      const now = clock.now();
      if (phaseAt(contest, now) !== 'submission') throw phaseConflict(contest, now, '报名参赛');
      if (!contest.entryKinds.includes(input.kind))
        throw new AppError('ENTRY_KIND_NOT_ALLOWED', { details: { allowed: contest.entryKinds } });
      const author = await users.getView(actor.id);
      let fields: Pick<EntryDoc, 'title' | 'imageUrls'> & Partial<Pick<EntryDoc, 'description' | 'videoUrl' | 'submissionId'>>;
      if (input.kind === 'submission') {
        const piece = await submissions.get(actor, input.submissionId);
        if (piece.authorId !== actor.id) throw new AppError('FORBIDDEN', { message: '只能用自己的稿件参赛' });
        if (!APPROVED_STATES.includes(piece.state)) throw new AppError('ENTRY_SUBMISSION_NOT_APPROVED');
        if (contest.campaign && piece.campaign !== contest.campaign)
          throw new AppError('ENTRY_SUBMISSION_NOT_APPROVED', { message: `只有带「${contest.campaign}」标签的稿件可以参赛` });
        fields = {
          title: piece.title,
          description: piece.body.slice(0, 500) || undefined,
          imageUrls: piece.images.map((i) => i.url),
          ...(piece.videoUrl ? { videoUrl: piece.videoUrl } : {}),
          submissionId: oid(piece.id),
        };
      } else if (input.kind === 'photo') {
        fields = { title: input.title, description: input.description, imageUrls: input.imageUrls };
      } else {
        fields = { title: input.title, description: input.description, imageUrls: [], videoUrl: input.videoUrl };
      }
      const entryId = new Types.ObjectId();
      if (fields.submissionId) {
        try {
          await EntryClaimModel.create({ _id: `${id}:${fields.submissionId.toHexString()}`, entryId });
        } catch (err) {
          if (isDuplicateKey(err)) throw new AppError('ENTRY_DUPLICATE');
          throw err;
        }
      }
      // The unique (contest, author, slot) index makes the per-person limit exact under concurrent filings.
      for (let slot = 1; slot <= contest.maxEntriesPerPerson; slot += 1) {
        try {
          const doc = await EntryModel.create({
            _id: entryId,
            contestId: contest._id,
            authorId: oid(actor.id),
            authorName: author.nickname,
            slot,
            kind: input.kind,
            ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
            shortlisted: false,
            createdAt: now,
          });
          return toEntryView(contest, doc.toObject() as EntryDoc, null, now);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      if (fields.submissionId) await EntryClaimModel.deleteOne({ _id: `${id}:${fields.submissionId.toHexString()}` });
      throw new AppError('ENTRY_LIMIT_REACHED', {
        message: `每人最多提交 ${contest.maxEntriesPerPerson} 件作品`,
        details: { max: contest.maxEntriesPerPerson },
      });
    },

    async entries(actor: RoleHolder | null, id: string, query: { shortlisted?: 'true' | 'false'; mine?: 'true' | 'false' }) {
      const contest = await mustFindContest(id);
      const filter: QueryFilter<EntryDoc> = { contestId: contest._id };
      if (query.shortlisted) filter.shortlisted = query.shortlisted === 'true';
      if (query.mine === 'true') {
        if (!actor) throw new AppError('AUTH_REQUIRED');
        filter.authorId = oid(actor.id);
      }
      const now = clock.now();
      if (query.shortlisted && allGoForward(contest, now)) {
        // Entry has closed without a shortlist round: every entry is in the running, whatever the job recorded.
        if (query.shortlisted === 'false') return [];
        delete filter.shortlisted;
      }
      const docs = await EntryModel.find(filter).sort({ _id: 1 }).limit(1000).lean<EntryDoc[]>();
      const visible = totalsVisible(contest, now);
      const tally = visible ? await gate.tally(id) : null;
      return docs.map((e) => toEntryView(contest, e, visible ? (e.frozenVotes ?? tally?.get(e._id.toHexString()) ?? 0) : null, now));
    },

    async entry(id: string, entryId: string): Promise<EntryView> {
      const contest = await mustFindContest(id);
      const entry = await mustFindEntry(id, entryId);
      return toEntryView(contest, entry, await entryVotes(contest, entry));
    },

    /** An entry by its id alone (share cards and mini-program codes carry only the entry). */
    async entryById(entryId: string): Promise<EntryView> {
      const entry = await EntryModel.findById(entryId).lean<EntryDoc>();
      if (!entry) throw new AppError('ENTRY_NOT_FOUND');
      const contest = await mustFindContest(entry.contestId.toHexString());
      return toEntryView(contest, entry, await entryVotes(contest, entry));
    },

    /** Jurors (or an admin) pick the entries that go forward, during the shortlist round. */
    async shortlist(actor: RoleHolder, id: string, entryId: string, shortlisted: boolean): Promise<EntryView> {
      const contest = await mustFindContest(id);
      if (!isJuror(contest, actor)) authorize(actor, { role: 'admin' });
      const now = clock.now();
      if (phaseAt(contest, now) !== 'shortlist') throw phaseConflict(contest, now, '入围评选');
      const doc = await EntryModel.findOneAndUpdate(
        { _id: oid(entryId), contestId: contest._id },
        { $set: { shortlisted } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('ENTRY_NOT_FOUND');
      await configChanged(id);
      return toEntryView(contest, doc as EntryDoc, null, now);
    },

    /** A juror's 0–100 score for a shortlisted entry; scoring again replaces it until results are out. */
    async score(actor: RoleHolder, id: string, entryId: string, score: number): Promise<{ entryId: string; score: number }> {
      const contest = await mustFindContest(id);
      if (!isJuror(contest, actor)) throw new AppError('NOT_A_JUROR');
      const now = clock.now();
      if (!JURY_PHASES.includes(phaseAt(contest, now))) throw phaseConflict(contest, now, '评委打分');
      const entry = await mustFindEntry(id, entryId);
      if (!isShortlisted(contest, entry, now)) throw new AppError('ENTRY_NOT_SHORTLISTED');
      await JuryScoreModel.updateOne(
        { entryId: entry._id, jurorId: oid(actor.id) },
        { $set: { score, updatedAt: now, contestId: contest._id } },
        { upsert: true },
      );
      return { entryId, score };
    },

    /**
     * One public vote. Only WeChat users (the implicit citizen role) vote, during the voting round, for a
     * shortlisted entry, within the contest's daily limits. One Redis round trip decides and counts it
     * (the Lua gate, against the contest config cached in memory) and logs it as pending; the answer
     * comes then. The record, with any stuffing flags (new account, one device shared by several voters),
     * is written to MongoDB in a batch with the other votes of the next few milliseconds.
     */
    async vote(voter: Voter, id: string, entryId: string, requestKey: string | null = null) {
      if (!voter.roles.some((g) => g.role === 'citizen')) throw new AppError('VOTE_WECHAT_ONLY');
      let config = await voteConfig(id);
      if (!config) throw new AppError('CONTEST_NOT_FOUND');
      const now = clock.now();
      const day = shanghaiDay(now);
      const voteId = new Types.ObjectId().toHexString();
      const deviceId = voter.deviceId ?? null;
      const waitUntil = Date.now() + 5000;
      let repairs = 0;
      for (;;) {
        const { contest } = config;
        if (phaseAt(contest, now) !== 'voting') throw phaseConflict(contest, now, '投票');
        if (!config.shortlisted.has(entryId)) {
          const entry = await EntryModel.findOne({ _id: oid(entryId), contestId: contest._id }, { shortlisted: 1 }).lean<
            Pick<EntryDoc, '_id' | 'shortlisted'>
          >();
          if (!entry) throw new AppError('ENTRY_NOT_FOUND');
          if (!isShortlisted(contest, entry, now) || repairs >= 3) throw new AppError('ENTRY_NOT_SHORTLISTED');
          // Shortlisted (or filed) after this process loaded the config.
          repairs += 1;
          config = (await voteConfig(id, true)) ?? config;
          continue;
        }
        const outcome = await gate.pass({
          contestId: id,
          version: config.version,
          userId: voter.id,
          entryId,
          day,
          now,
          voteId,
          deviceId,
          ip: voter.ip ?? null,
          limits: contest.voting,
          requestKey,
        });
        if (outcome.ok && outcome.replay) {
          // A retry of a vote already counted (its answer may have been lost): that vote, not a second one.
          return {
            voteId: outcome.voteId,
            remainingToday: Math.max(0, contest.voting.perUserPerDay - outcome.total),
            remainingForEntryToday: Math.max(0, contest.voting.perEntryPerDay - outcome.perEntry),
            entryVotes: totalsVisible(contest, now) ? outcome.tally : null,
            replayed: true,
          };
        }
        if (outcome.ok) {
          const vote: PendingVote = {
            voteId,
            contestId: id,
            userId: voter.id,
            entryId,
            day,
            at: now,
            deviceId,
            ip: voter.ip ?? null,
            device: outcome.device,
            requestKey,
          };
          // The vote is counted and in the pending log: the answer need not wait for its record, which
          // the writer stores with the other votes of the next few milliseconds. If that fails the vote
          // stays pending and reconciliation stores it — the voter's vote stands either way. The writer
          // logs failed batches and a full queue once each; a line per vote would flood the log in an outage.
          void writer.write(vote, contest.voting.newAccountHours).then((stored) => {
            if (!stored) logger.debug({ contestId: id, voteId }, 'vote left pending for reconciliation');
          });
          return {
            voteId,
            remainingToday: Math.max(0, contest.voting.perUserPerDay - outcome.total),
            remainingForEntryToday: Math.max(0, contest.voting.perEntryPerDay - outcome.perEntry),
            entryVotes: totalsVisible(contest, now) ? outcome.tally : null,
            replayed: false,
          };
        }
        switch (outcome.reason) {
          case 'key_reused':
            throw new AppError('IDEMPOTENCY_KEY_REUSED');
          case 'user_limit':
            throw new AppError('VOTE_DAILY_LIMIT', {
              message: `今天在本比赛的 ${contest.voting.perUserPerDay} 票已用完，明天再来吧`,
              details: { limit: contest.voting.perUserPerDay },
            });
          case 'entry_limit':
            throw new AppError('VOTE_ENTRY_LIMIT', {
              message: `今天已为该作品投过 ${contest.voting.perEntryPerDay} 票`,
              details: { limit: contest.voting.perEntryPerDay },
            });
          case 'closed': {
            const after = contest.rounds[roundOf(contest, 'voting') + 1]?.kind ?? 'results';
            throw new AppError('CONTEST_PHASE_CLOSED', { message: '投票已结束，票数已锁定', details: { phase: after } });
          }
          case 'paused':
            // A rebuild is writing the pending votes and recounting: wait for it, briefly.
            if (Date.now() > waitUntil) throw new AppError('VOTING_BUSY');
            await sleep(20);
            continue;
        }
        if (repairs >= 3) throw new AppError('VOTING_BUSY');
        if (outcome.reason === 'stale_config') {
          repairs += 1;
          config = await voteConfig(id, true);
          if (!config) throw new AppError('CONTEST_NOT_FOUND');
        } else {
          // Redis lost the tally (tally_missing) or this day's counters (counters_missing): both are
          // rebuilt from the stored votes, after every pending vote is written — once the quiet period
          // since the first sighting has passed (until then: 503, no MongoDB read). One voter rebuilds;
          // the others wait for it like for any pause.
          const lostAt = outcome.lostAt ?? now.getTime();
          if (now.getTime() - lostAt < VOTE_GATE_REBUILD_QUIET_MS) throw recovering(lostAt, now);
          const rebuilt = await locks.withLock(`contest-tally:${id}`, 60_000, () => rebuildLocked(id, day));
          if (rebuilt.ran) repairs += 1;
          else if (Date.now() > waitUntil) throw new AppError('VOTING_BUSY');
          else await sleep(20);
        }
      }
    },

    async votes(actor: RoleHolder, id: string, query: { status?: 'valid' | 'void'; cursor?: string; limit: number }) {
      authorize(actor, { role: 'admin' });
      const contest = await mustFindContest(id);
      // Votes of this process still on their way to MongoDB are listed too.
      await writer.idle();
      const filter: QueryFilter<VoteDoc> = { contestId: contest._id, 'flags.0': { $exists: true } };
      if (query.status) filter.status = query.status;
      if (query.cursor) filter._id = { $lt: oid(query.cursor) };
      const docs = await VoteModel.find(filter)
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<VoteDoc[]>();
      const items = docs.slice(0, query.limit);
      return {
        items: items.map((v) => ({
          id: v._id.toHexString(),
          entryId: v.entryId.toHexString(),
          userId: v.userId.toHexString(),
          day: v.day,
          deviceId: v.deviceId ?? null,
          status: v.status,
          flags: v.flags,
          voidReason: v.voidReason ?? null,
          createdAt: v.createdAt.toISOString(),
        })),
        nextCursor: docs.length > query.limit ? (items.at(-1)?._id.toHexString() ?? null) : null,
      };
    },

    /** Voids a vote with a reason (once); the tally and, after voting closed, the frozen count follow. */
    async voidVote(actor: RoleHolder, id: string, voteId: string, reason: string) {
      authorize(actor, { role: 'admin' });
      const contest = await mustFindContest(id);
      if (contest.resultsPublishedAt) throw new AppError('CONTEST_RESULTS_FINAL');
      // Under the tally lock: a rebuild never counts a void that has not reached the tally yet.
      return withTallyLock(id, async () => {
        const voidIt = () =>
          VoteModel.findOneAndUpdate(
            { _id: oid(voteId), contestId: contest._id, status: 'valid' },
            { $set: { status: 'void', voidReason: reason, voidedBy: oid(actor.id), voidedAt: clock.now() } },
            { returnDocument: 'after', lean: true },
          );
        let vote = await voidIt();
        if (!vote) {
          let existing = await VoteModel.findOne({ _id: oid(voteId), contestId: contest._id }).lean<VoteDoc>();
          // Counted but not stored yet: write the pending votes, then void it.
          if (!existing && (await drainPending(id)) > 0) {
            vote = await voidIt();
            if (!vote) existing = await VoteModel.findOne({ _id: oid(voteId), contestId: contest._id }).lean<VoteDoc>();
          }
          if (!vote && !existing) throw new AppError('VOTE_NOT_FOUND');
          if (!vote) throw new AppError('VOTE_ALREADY_VOID');
        }
        await gate.subtract(id, vote.entryId.toHexString());
        if (contest.tallyFrozenAt) await EntryModel.updateOne({ _id: vote.entryId }, { $inc: { frozenVotes: -1 } });
        return { voteId, status: 'void' as const, reason };
      });
    },

    /** Rebuilds the Redis tally from stored votes; returns how many entries' counts were wrong. */
    async reconcile(actor: RoleHolder, id: string): Promise<{ entries: number; corrected: number }> {
      authorize(actor, { role: 'admin' });
      await mustFindContest(id);
      const before = (await gate.tally(id)) ?? new Map<string, number>();
      const after = await rebuildTally(id);
      const ids = new Set([...before.keys(), ...after.keys()]);
      let corrected = 0;
      for (const e of ids) if ((before.get(e) ?? 0) !== (after.get(e) ?? 0)) corrected += 1;
      return { entries: ids.size, corrected };
    },

    /** Tally vs stored votes, per entry (bench and checks), once this process's queued votes are written. */
    async tallyMismatch(id: string): Promise<number> {
      await writer.idle();
      const tally = (await gate.tally(id)) ?? new Map<string, number>();
      const stored = await storedCounts(id);
      const ids = new Set([...tally.keys(), ...stored.keys()]);
      let mismatched = 0;
      for (const e of ids) if ((tally.get(e) ?? 0) !== (stored.get(e) ?? 0)) mismatched += 1;
      return mismatched;
    },

    async results(id: string) {
      let contest = await mustFindContest(id);
      if (!contest.resultsPublishedAt && roundIndexAt(contest, clock.now()) === contest.rounds.length - 1) {
        // The results round has begun but the advance job hasn't reached it: its work, now.
        await catchUp(contest._id);
        contest = await mustFindContest(id);
      }
      if (!contest.resultsPublishedAt) throw new AppError('RESULTS_NOT_PUBLISHED');
      const entries = await EntryModel.find({ contestId: contest._id, rank: { $exists: true } })
        .sort({ rank: 1 })
        .lean<EntryDoc[]>();
      const rows: ResultRow[] = entries.map((e) => ({
        rank: e.rank!,
        entryId: e._id.toHexString(),
        title: e.title,
        authorId: e.authorId.toHexString(),
        authorName: e.authorName,
        juryScore: e.juryScore ?? 0,
        jurorCount: e.jurorCount ?? 0,
        votes: e.frozenVotes ?? 0,
        publicScore: e.publicScore ?? 0,
        finalScore: e.finalScore ?? 0,
        award: e.award ? { label: e.award.label, points: e.award.points, status: e.award.status } : null,
      }));
      return {
        contest: toContestView(contest),
        formula: SCORE_FORMULA,
        tieBreakRule: TIE_BREAK_RULES[contest.tieBreak ?? 'jury'],
        rows,
        publishedAt: contest.resultsPublishedAt.toISOString(),
      };
    },

    /**
     * The advance job's work: every unfinished contest is carried through all boundaries passed by
     * `now` (several after downtime). A per-contest lock keeps two schedulers from doing the same
     * contest's work at once; the compare-and-set inside keeps transitions exactly-once regardless.
     */
    async advanceDue(now: Date = clock.now()): Promise<{ advanced: number; contests: number }> {
      const open = await ContestModel.find({ resultsPublishedAt: { $exists: false } }, { _id: 1, rounds: 1, currentRound: 1 }).lean<
        Pick<ContestDoc, '_id' | 'rounds' | 'currentRound'>[]
      >();
      let advanced = 0;
      let contests = 0;
      for (const c of open) {
        if (c.currentRound >= roundIndexAt(c, now)) continue;
        let outcome: LockOutcome<number>;
        try {
          outcome = await locks.withLock(`contest-advance:${c._id.toHexString()}`, 120_000, () => advanceContest(c._id, now));
        } catch (err) {
          // E.g. a freeze waiting out a Redis loss's quiet period (VOTE_GATE_RECOVERING): the next run redoes
          // it; the other contests go on now.
          logger.error({ err, contestId: c._id.toHexString() }, 'contest not advanced');
          continue;
        }
        if (outcome.ran && outcome.value > 0) {
          advanced += outcome.value;
          contests += 1;
        }
      }
      // Awards whose payment failed earlier (ledger down) are retried on every run.
      const unpaid = await EntryModel.distinct('contestId', { 'award.status': 'pending' });
      for (const contestId of unpaid as Types.ObjectId[]) {
        const contest = await ContestModel.findById(contestId).lean<ContestDoc>();
        if (contest?.resultsPublishedAt) await payAwards(contest);
      }
      // Votes a crashed process counted but never stored: written from the pending log once they are
      // older than any live writer needs, so the tallies equal the stored votes again.
      for (const c of open) {
        if (roundOf(c, 'voting') < 0) continue;
        const contestId = c._id.toHexString();
        try {
          const recovered = await drainPending(contestId, PENDING_GRACE_MS);
          if (recovered > 0) logger.warn({ contestId, recovered }, 'pending contest votes stored by reconciliation');
        } catch (err) {
          logger.error({ err, contestId }, 'pending contest votes not reconciled');
        }
      }
      return { advanced, contests };
    },

    /** After any change to a contest's rounds, limits or shortlist: every process reloads it before the next vote. */
    configChanged,

    /** Resolves once every vote this process has counted so far is stored (tests, checks, shutdown). */
    flushVotes: () => writer.idle(),
  };
  return service;
}
