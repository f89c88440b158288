import { campaignsBonusJob } from './campaigns-bonus.job';
import { contestsAdvanceJob } from './contests-advance.job';
import { couponsDrawJob } from './coupons-draw.job';
import { couponsExpiryJob } from './coupons-expiry.job';
import { couponsReconcileJob } from './coupons-reconcile.job';
import { newsroomPublishJob } from './newsroom-publish.job';
import { notificationsOutboxJob } from './notifications-outbox.job';
import { pointsExpiryJob } from './points-expiry.job';
import { mallReconcileJob } from './mall-reconcile.job';
import type { JobDefinition } from './scheduler';
import { statsRollupJob } from './stats-rollup.job';
import { volunteersRemindersJob } from './volunteers-reminders.job';
import { wenzhengClockJob } from './wenzheng-clock.job';

export { startJobs, runJobSlot, type JobContext, type JobDefinition, type RunningJobs } from './scheduler';

/**
 * Every cron job of the API. Add one: a file `jobs/<name>.job.ts` exporting a JobDefinition (its cadence from
 * `everyMinutes(n)` where it fits; a reconciliation through `reconcileJob`) whose
 * `run({ deps, services }, slot)` calls the app's services (built once in services.ts and handed to the
 * scheduler by main.ts; a job never builds its own), then one line here.
 */
export const JOBS: readonly JobDefinition[] = [
  newsroomPublishJob,
  pointsExpiryJob,
  contestsAdvanceJob,
  campaignsBonusJob,
  wenzhengClockJob,
  couponsExpiryJob,
  couponsDrawJob,
  couponsReconcileJob,
  mallReconcileJob,
  statsRollupJob,
  notificationsOutboxJob,
  volunteersRemindersJob,
];
