import type { Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { Locks, LockOutcome } from '../../core/locks';
import type { Logger } from '../../core/logger';
import { ContestModel, EntryModel, type ContestDoc } from './contests.model';
import { roundIndexAt, roundOf } from './contest-rules';
import { mustFindContest } from './contest-store';
import type { Results } from './results';
import type { VoteConfigs } from './vote-config';
import { PENDING_GRACE_MS, type VoteTally } from './vote-tally';

export interface RoundClockDeps {
  clock: Clock;
  logger: Logger;
  locks: Locks;
  configs: VoteConfigs;
  tally: VoteTally;
  results: Results;
}

/**
 * The round clock: carries contests through the round boundaries their schedule has passed (the advance
 * job, or a request for results that arrives first), with each round's effects — the open call closing,
 * voting closing, results published — and the retries the job owes (unpaid awards, pending votes).
 */
export function createRoundClock({ clock, logger, locks, configs, tally, results }: RoundClockDeps) {
  const { freezeTallies, publishResults, payAwards } = results;

  // ── round effects (each idempotent: a racing or retried advance may run them again) ──

  /** Without a jury shortlist round, every entry goes forward once entry closes. */
  async function shortlistAllIfNoJury(contest: ContestDoc): Promise<void> {
    if (roundOf(contest, 'shortlist') >= 0) return;
    await EntryModel.updateMany({ contestId: contest._id, shortlisted: false }, { $set: { shortlisted: true } });
    await configs.changed(contest._id.toHexString());
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
        await configs.changed(id.toHexString());
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

  return {
    /** The published results; asked for once the results round has begun but before the job reached it, its work first. */
    async results(id: string) {
      let contest = await mustFindContest(id);
      if (!contest.resultsPublishedAt && roundIndexAt(contest, clock.now()) === contest.rounds.length - 1) {
        // The results round has begun but the advance job hasn't reached it: its work, now.
        await catchUp(contest._id);
        contest = await mustFindContest(id);
      }
      return results.published(contest);
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
          const recovered = await tally.drainPending(contestId, PENDING_GRACE_MS);
          if (recovered > 0) logger.warn({ contestId, recovered }, 'pending contest votes stored by reconciliation');
        } catch (err) {
          logger.error({ err, contestId }, 'pending contest votes not reconciled');
        }
      }
      return { advanced, contests };
    },
  };
}
