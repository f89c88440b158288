import { everyMinutes, type JobDefinition } from './scheduler';

/** Every 10 minutes: lapsed coupons become expired; holders of coupons lapsing within a day are told once. */
export const couponsExpiryJob: JobDefinition = {
  name: 'coupons-expiry',
  ...everyMinutes(10),
  async run({ deps, services }, slot) {
    const result = await services.coupons.expireAndRemind(slot);
    deps.logger.info({ job: 'coupons-expiry', ...result }, 'coupons expired and reminders sent');
  },
};
