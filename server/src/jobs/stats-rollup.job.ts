import type { JobDefinition } from './scheduler';

/**
 * 01:10 daily: yesterday's statistics roll-up, and any day of the last two weeks that has none (back-fill after
 * downtime). Recomputing a day replaces it, so a second run of the same day is harmless; the slot's lock makes
 * it run once across processes anyway.
 */
export const statsRollupJob: JobDefinition = {
  name: 'stats-rollup',
  schedule: '10 1 * * *',
  timezone: 'Asia/Shanghai',
  lockTtlMs: 30 * 60_000,
  async run({ services }, slot) {
    await services.stats.rollUp(slot);
  },
};
