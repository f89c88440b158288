/** The editorial workflow's pure rules: allowed starting states, what filing needs, where a filed piece goes, what a grade pays. */
import { SUBMISSION_ACTIONS, SUBMISSION_STATES, type SubmissionAction, type SubmissionState } from '@shared/schemas/newsroom';
import { isAppError } from '../../core/errors';
import { contributionPoints, EDITABLE, filedState, FROM, missingForSubmit, mustAllow, stateConflict } from './submission-rules';

describe('mustAllow: which states each action may start from', () => {
  const expected: Record<Exclude<SubmissionAction, 'save'>, SubmissionState[]> = {
    submit: ['draft', 'returned'],
    recommend: ['submitted'],
    return: ['submitted', 'recommended', 'in_review'],
    claim: ['submitted', 'recommended'],
    reject: ['in_review'],
    approve: ['in_review'],
    publish: ['approved', 'scheduled'],
    schedule: ['approved'],
  };
  for (const [action, allowed] of Object.entries(expected) as Array<[Exclude<SubmissionAction, 'save'>, SubmissionState[]]>) {
    for (const state of SUBMISSION_STATES) {
      const ok = allowed.includes(state);
      it(`${action} from ${state}: ${ok ? 'allowed' : '409'}`, () => {
        if (ok) expect(() => mustAllow(action, state)).not.toThrow();
        else {
          let thrown: unknown;
          try {
            mustAllow(action, state);
          } catch (err) {
            thrown = err;
          }
          expect(isAppError(thrown) && thrown.code).toBe('SUBMISSION_STATE_CONFLICT');
        }
      });
    }
  }

  it('covers every action but save, and save only edits drafts and returned pieces', () => {
    expect(Object.keys(FROM).sort()).toEqual(SUBMISSION_ACTIONS.filter((a) => a !== 'save').sort());
    expect([...EDITABLE]).toEqual(['draft', 'returned']);
  });

  it('says the current state and the refused action in Chinese', () => {
    const err = stateConflict('published', 'approve');
    expect(err.message).toBe('稿件当前状态为「已发布」，不能通过');
    expect(err.details).toEqual({ state: 'published', action: 'approve' });
  });
});

describe('missingForSubmit', () => {
  it('names the body, the copyright choice and the originality statement when absent', () => {
    expect(missingForSubmit({ body: '', copyright: undefined, originalityStatement: false })).toEqual([
      'body',
      'copyright',
      'originalityStatement',
    ]);
  });
  it('is empty for a complete piece', () => {
    expect(missingForSubmit({ body: '正文', copyright: 'exclusive', originalityStatement: true })).toEqual([]);
  });
});

describe('filedState: who reviews a filed piece first', () => {
  it('a circle member goes to the circle leader', () => {
    expect(filedState({ lane: 'standard', hasCircle: true })).toBe('submitted');
  });
  it('a county-wide correspondent and a unit channel admin go straight to the editors', () => {
    expect(filedState({ lane: 'standard', hasCircle: false })).toBe('recommended');
    expect(filedState({ lane: 'channel', hasCircle: true })).toBe('recommended');
  });
});

describe('contributionPoints', () => {
  it('pays A double, B the amount, C half, rounded to whole points', () => {
    expect(contributionPoints(10, 'A')).toBe(20);
    expect(contributionPoints(10, 'B')).toBe(10);
    expect(contributionPoints(10, 'C')).toBe(5);
    expect(contributionPoints(7, 'C')).toBe(4);
    expect(contributionPoints(0, 'A')).toBe(0);
  });
});
