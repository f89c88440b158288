import type { JobDefinition } from './scheduler';

/** Every 5 minutes: approved pieces of running (or recently ended) campaigns get the campaign's bonus, once. */
export const campaignsBonusJob: JobDefinition = {
  name: 'campaigns-bonus',
  schedule: '*/5 * * * *',
  timezone: 'Asia/Shanghai',
  lockTtlMs: 240_000,
  async run({ services }, slot) {
    await services.campaigns.payBonuses(slot);
  },
};
