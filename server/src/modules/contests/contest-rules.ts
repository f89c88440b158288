/**
 * The contest's rules in time, as pure functions of the configured rounds and an instant: which round (and
 * so which phase) an instant falls in, who is in the running, when totals show, and the refusal for an
 * action outside its phase. No I/O: every part of the service and the advance job agree because they all
 * ask these with the same clock.
 */
import { ROUND_LABELS, type ContestPhase, type RoundKind } from '@shared/schemas/contests';
import { AppError } from '../../core/errors';
import type { ContestDoc, EntryDoc } from './contests.model';

/** Re-exported: the module's public API and its tests name the voting limits' day by it. */

type Rounds = Pick<ContestDoc, 'rounds'>;

/** Submission states whose piece may be filed as an entry. */
export const APPROVED_STATES: readonly string[] = ['approved', 'scheduled', 'published'];
/** The phases in which jurors score. */
export const JURY_PHASES: readonly ContestPhase[] = ['shortlist', 'voting', 'judging'];

/** Index of the round `now` falls in (-1 before the first). */
export function roundIndexAt(contest: Rounds, now: Date): number {
  let index = -1;
  contest.rounds.forEach((r, i) => {
    if (r.startsAt.getTime() <= now.getTime()) index = i;
  });
  return index;
}

/** The phase of round `index` ('upcoming' before the first). */
export const kindAt = (contest: Rounds, index: number): ContestPhase => (index < 0 ? 'upcoming' : contest.rounds[index]!.kind);

/** The phase `now` falls in, by the clock (not by the advance job's progress). */
export const phaseAt = (contest: Rounds, now: Date): ContestPhase => kindAt(contest, roundIndexAt(contest, now));

/** Index of the round of that kind (-1 when the contest has none). */
export const roundOf = (contest: Rounds, kind: RoundKind): number => contest.rounds.findIndex((r) => r.kind === kind);

/**
 * Without a shortlist round every entry goes forward once entry closes (the first round is always the open
 * call). Told by the clock: the advance job's shortlistAllIfNoJury only records it later.
 */
export const allGoForward = (contest: Rounds, now: Date): boolean => roundOf(contest, 'shortlist') < 0 && roundIndexAt(contest, now) > 0;

/**
 * Whether an entry is in the running (may get votes and jury scores, is ranked): every entry once entry closed
 * in a contest without a shortlist round, else the jury's picks — made only during the shortlist round, so
 * already final when voting opens, whether or not the advance job has run.
 */
export function isShortlisted(contest: Rounds, entry: Pick<EntryDoc, 'shortlisted'>, now: Date): boolean {
  return entry.shortlisted || allGoForward(contest, now);
}

/** When public voting closes (null without a voting round). */
export function votingEndsAt(contest: Rounds): Date | null {
  const i = roundOf(contest, 'voting');
  return i < 0 ? null : (contest.rounds[i + 1]?.startsAt ?? null);
}

/** Whether vote totals are shown: always once voting closed; from the voting round on unless the contest hides them. */
export function totalsVisible(contest: Pick<ContestDoc, 'rounds' | 'voting'>, now: Date): boolean {
  const end = votingEndsAt(contest);
  if (end && now.getTime() >= end.getTime()) return true;
  return !contest.voting.hideTotals && roundIndexAt(contest, now) >= roundOf(contest, 'voting');
}

/** The refusal of `action` (in people's words) outside its phase, naming the phase the contest is in. */
export function phaseConflict(contest: Rounds, now: Date, action: string): AppError {
  const phase = phaseAt(contest, now);
  const label = phase === 'upcoming' ? '尚未开始' : ROUND_LABELS[phase];
  return new AppError('CONTEST_PHASE_CLOSED', { message: `比赛当前处于「${label}」阶段，不能${action}`, details: { phase } });
}

export function isJuror(contest: Pick<ContestDoc, 'jurorIds'>, actor: { id: string }): boolean {
  return contest.jurorIds.some((j) => j.toHexString() === actor.id);
}
