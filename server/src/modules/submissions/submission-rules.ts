/**
 * The editorial workflow's rules, pure: which states each action may start from, what a piece needs before
 * it is filed, where a filed piece goes, and what an approved piece pays. No database, no clock.
 */
import { SUBMISSION_STATE_LABELS, type Grade, type SubmissionAction, type SubmissionState } from '@shared/schemas/newsroom';
import { AppError } from '../../core/errors';

/** Grade A pays double the 'contribution' rule amount, B the amount, C half of it. */
export const GRADE_FACTOR: Readonly<Record<Grade, number>> = { A: 2, B: 1, C: 0.5 };

export const ACTION_LABELS: Readonly<Record<SubmissionAction, string>> = {
  save: '保存',
  submit: '提交',
  recommend: '推荐',
  return: '退回',
  claim: '认领',
  reject: '不予采用',
  approve: '通过',
  publish: '发布',
  schedule: '定时发布',
};

/** The states each action may start from. Everything else is a 409 with the current state. */
export const FROM: Readonly<Record<Exclude<SubmissionAction, 'save'>, readonly SubmissionState[]>> = {
  submit: ['draft', 'returned'],
  recommend: ['submitted'],
  // A circle leader returns at pre-review; the claiming editor returns during review.
  return: ['submitted', 'recommended', 'in_review'],
  // Editors need not wait for a slow circle leader: they may claim straight from `submitted`.
  claim: ['submitted', 'recommended'],
  reject: ['in_review'],
  approve: ['in_review'],
  publish: ['approved', 'scheduled'],
  schedule: ['approved'],
};
/** States in which the author may still edit the piece. */
export const EDITABLE: readonly SubmissionState[] = ['draft', 'returned'];
/** States in which a piece counts for its campaign: accepted by the editors. */
export const CAMPAIGN_COUNTED: readonly SubmissionState[] = ['approved', 'scheduled', 'published'];
export const UNDER_REVIEW: readonly SubmissionState[] = ['submitted', 'recommended', 'in_review'];

/** The 409 for an action the piece's state does not allow, saying the state in Chinese. */
export function stateConflict(state: SubmissionState, action: SubmissionAction): AppError {
  return new AppError('SUBMISSION_STATE_CONFLICT', {
    message: `稿件当前状态为「${SUBMISSION_STATE_LABELS[state]}」，不能${ACTION_LABELS[action]}`,
    details: { state, action },
  });
}

/** Throws the 409 unless `action` may start from `state`. */
export function mustAllow(action: Exclude<SubmissionAction, 'save'>, state: SubmissionState): void {
  if (!FROM[action].includes(state)) throw stateConflict(state, action);
}

/** What a piece lacks before it may be filed: the body, a copyright choice and the originality statement. */
export function missingForSubmit(piece: {
  body?: string | null;
  copyright?: string | null;
  originalityStatement?: boolean | null;
}): string[] {
  const missing: string[] = [];
  if (!piece.body) missing.push('body');
  if (!piece.copyright) missing.push('copyright');
  if (!piece.originalityStatement) missing.push('originalityStatement');
  return missing;
}

/** Channel admins' pieces and county-wide correspondents' (no circle) skip the circle leader's pre-review. */
export function filedState(piece: { lane: 'standard' | 'channel'; hasCircle: boolean }): SubmissionState {
  return piece.lane === 'channel' || !piece.hasCircle ? 'recommended' : 'submitted';
}

/** Contribution points for an approved piece: the rule's amount × the grade's factor, rounded to whole points. */
export function contributionPoints(ruleAmount: number, grade: Grade): number {
  return Math.round(ruleAmount * GRADE_FACTOR[grade]);
}
