import type { JobDefinition } from './scheduler';

/**
 * Every hour at :05 (Asia/Shanghai): writes expiry entries for what is left of lapsed lots (idempotent: one
 * expiry entry per lot, keyed `expiry:<lotId>`), then sends the 7-days-ahead "积分即将过期" subscribe
 * message once per lot. Spending also expires a user's lapsed lots first, so nothing lapsed is ever spent.
 */
export const pointsExpiryJob: JobDefinition = {
  name: 'points-expiry',
  schedule: '5 * * * *',
  timezone: 'Asia/Shanghai',
  lockTtlMs: 50 * 60_000,
  async run({ services: { points } }) {
    await points.expireDue();
    await points.notifyExpiring();
  },
};
