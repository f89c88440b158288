/** workDue: counts what it did, skips what was done elsewhere, stops at any other error. */
import { AppError } from './errors';
import { workDue } from './work-due';

describe('workDue', () => {
  it('counts the items done here and skips those refused as done elsewhere', async () => {
    const seen: number[] = [];
    const done = await workDue(
      [1, 2, 3, 4],
      async (n) => {
        seen.push(n);
        if (n % 2 === 0) throw new AppError('COUPON_ALREADY_DRAWN');
      },
      'COUPON_ALREADY_DRAWN',
    );
    expect(done).toBe(2);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('stops at any other error, leaving later items for the next run', async () => {
    const seen: number[] = [];
    const run = workDue(
      [1, 2, 3],
      async (n) => {
        seen.push(n);
        if (n === 2) throw new AppError('SUBMISSION_STATE_CONFLICT');
      },
      'COUPON_ALREADY_DRAWN',
    );
    await expect(run).rejects.toMatchObject({ code: 'SUBMISSION_STATE_CONFLICT' });
    expect(seen).toEqual([1, 2]);
  });
});
