import { everyMinutes, type JobDefinition } from './scheduler';

/** Every minute: lottery batches whose sign-up has closed are drawn (once, even with several processes). */
export const couponsDrawJob: JobDefinition = {
  name: 'coupons-draw',
  ...everyMinutes(1),
  async run({ deps, services }) {
    const result = await services.coupons.drawDue();
    if (result.drawn > 0) deps.logger.info({ job: 'coupons-draw', ...result }, 'lottery batches drawn');
  },
};
