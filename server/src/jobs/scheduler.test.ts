import { JOBS } from '.';
import { everyMinutes, reconcileJob, type JobContext } from './scheduler';

describe('job cadences', () => {
  it('every job keeps the schedule and slot lock it had when each was written out by hand', () => {
    const cadences = Object.fromEntries(JOBS.map((j) => [j.name, [j.schedule, j.timezone, j.lockTtlMs]]));
    expect(cadences).toEqual({
      'newsroom-publish': ['* * * * *', 'Asia/Shanghai', 50_000],
      'points-expiry': ['5 * * * *', 'Asia/Shanghai', 50 * 60_000],
      'contests-advance': ['* * * * *', 'Asia/Shanghai', 50_000],
      'campaigns-bonus': ['*/5 * * * *', 'Asia/Shanghai', 240_000],
      'wenzheng-clock': ['*/5 * * * *', 'Asia/Shanghai', 240_000],
      'coupons-expiry': ['*/10 * * * *', 'Asia/Shanghai', 9 * 60_000],
      'coupons-draw': ['* * * * *', 'Asia/Shanghai', 50_000],
      'coupons-reconcile': ['* * * * *', 'Asia/Shanghai', 50_000],
      'points-reconcile': ['* * * * *', 'Asia/Shanghai', 50_000],
      'stats-rollup': ['10 1 * * *', 'Asia/Shanghai', 30 * 60_000],
      'notifications-outbox': ['* * * * *', 'Asia/Shanghai', 50_000],
      'volunteers-reminders': ['*/5 * * * *', 'Asia/Shanghai', 240_000],
    });
  });

  it('a slot lock lapses before the next slot starts', () => {
    for (const minutes of [1, 5, 10] as const) expect(everyMinutes(minutes).lockTtlMs).toBeLessThan(minutes * 60_000);
  });
});

describe('reconcileJob', () => {
  function contextWith(report: Record<string, number>) {
    const warn = jest.fn();
    const context = { deps: { logger: { warn } }, services: { report } } as unknown as JobContext;
    const job = reconcileJob({
      name: 'test-reconcile',
      reconcile: async (services) => (services as unknown as { report: typeof report }).report,
      repairs: ['written', 'failed'],
      message: 'repaired',
    });
    return { warn, run: () => job.run(context, new Date(0)) };
  }

  it('warns with the whole report when a repair count is non-zero', async () => {
    const { warn, run } = contextWith({ written: 0, failed: 2, pending: 7 });
    await run();
    expect(warn).toHaveBeenCalledWith({ job: 'test-reconcile', written: 0, failed: 2, pending: 7 }, 'repaired');
  });

  it('stays quiet when only counts that are not repairs are non-zero', async () => {
    const { warn, run } = contextWith({ written: 0, failed: 0, pending: 7 });
    await run();
    expect(warn).not.toHaveBeenCalled();
  });
});
