import type { Types } from 'mongoose';
import { SCORE_FORMULA, TIE_BREAK_RULES, type ResultRow } from '@shared/schemas/contests';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { NotificationsService } from '../notifications';
import type { EarnPort } from '../points';
import { ContestModel, EntryModel, JuryScoreModel, type ContestDoc, type EntryDoc } from './contests.model';
import { roundOf } from './contest-rules';
import { storedCounts } from './contest-store';
import { toContestView } from './contest-views';
import { awardForRank, rankEntries } from './scoring';
import type { VoteConfigs } from './vote-config';
import type { VoteGate } from './vote-gate';
import type { VoteTally } from './vote-tally';

/** The points ledger's earn() for contest awards (server/src/modules/points). */
export type AwardLedger = EarnPort<'contest'>;

export interface ResultsDeps {
  clock: Clock;
  logger: Logger;
  gate: VoteGate;
  configs: VoteConfigs;
  tally: VoteTally;
  ledger: AwardLedger;
  /** Where entrants hear that the results are out (in-app; contestResult subscribe message with consent). */
  notifications: Pick<NotificationsService, 'raise'>;
}

/**
 * Results and awards: the tallies frozen when voting closes, scores and ranks computed (scoring.ts) and
 * written onto the entries, award tiers paid once each through the points ledger, the published table.
 * Each step is idempotent: a racing or retried advance may run it again.
 */
export function createResults({ clock, logger, gate, configs, tally, ledger, notifications }: ResultsDeps) {
  /**
   * Every entrant hears the results once (one notice per person and contest, however many entries they have, with
   * their best placing). Re-runs of publishResults raise the same keys, so nobody is told twice.
   */
  async function notifyEntrants(contest: ContestDoc): Promise<void> {
    const contestId = contest._id.toHexString();
    const entries = await EntryModel.find({ contestId: contest._id }, { authorId: 1, title: 1, rank: 1, award: 1 }).lean<
      Pick<EntryDoc, 'authorId' | 'title' | 'rank' | 'award'>[]
    >();
    const best = new Map<string, (typeof entries)[number]>();
    for (const e of entries) {
      const userId = e.authorId.toHexString();
      const held = best.get(userId);
      if (!held || (e.rank !== undefined && (held.rank === undefined || e.rank < held.rank))) best.set(userId, e);
    }
    for (const [userId, e] of best) {
      const result = e.award ? `《${e.title}》获${e.award.label}` : e.rank !== undefined ? `《${e.title}》排名第 ${e.rank}` : '未入围';
      try {
        await notifications.raise({
          userId,
          kind: 'contests',
          key: `contests:results:${contestId}:${userId}`,
          title: `「${contest.title}」结果已公布`,
          body: result,
          link: `subpackages/contests/pages/results/index?id=${contestId}`,
          subscribe: { templateKey: 'contestResult', data: { title: contest.title, result, time: clock.now() } },
        });
      } catch (err) {
        logger.warn({ err, contestId, userId }, 'contest results notice not raised');
      }
    }
  }

  /**
   * Voting closed: the gate is closed for good (no vote gets in on a lagging clock), every pending vote
   * is written, and the tally rebuilt from the stored votes is written onto the entries — so the frozen
   * tallies are the stored votes.
   */
  async function freezeTallies(contest: ContestDoc): Promise<void> {
    const contestId = contest._id.toHexString();
    await gate.close(contestId);
    configs.forget(contestId);
    const counts = await tally.rebuild(contestId);
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
    await notifyEntrants(contest);
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

  /** The published results table of a contest (RESULTS_NOT_PUBLISHED until they are out). */
  async function published(contest: ContestDoc) {
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
      contest: toContestView(contest, clock.now()),
      formula: SCORE_FORMULA,
      tieBreakRule: TIE_BREAK_RULES[contest.tieBreak ?? 'jury'],
      rows,
      publishedAt: contest.resultsPublishedAt.toISOString(),
    };
  }

  return { freezeTallies, publishResults, payAwards, published };
}

export type Results = ReturnType<typeof createResults>;
