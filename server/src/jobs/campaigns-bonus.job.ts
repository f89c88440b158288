import { everyMinutes, type JobDefinition } from './scheduler';

/** Every 5 minutes: approved pieces of running (or recently ended) campaigns get the campaign's bonus, once. */
export const campaignsBonusJob: JobDefinition = {
  name: 'campaigns-bonus',
  ...everyMinutes(5),
  async run({ services }, slot) {
    await services.campaigns.payBonuses(slot);
  },
};
