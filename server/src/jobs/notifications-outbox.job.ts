import { everyMinutes, type JobDefinition } from './scheduler';

/**
 * Every minute: subscribe messages due for another attempt (a transient WeChat error backed them off) or left
 * mid-send by a process that died get one attempt each; rows are claimed, so overlapping runs never send twice.
 */
export const notificationsOutboxJob: JobDefinition = {
  name: 'notifications-outbox',
  ...everyMinutes(1),
  async run({ deps, services }) {
    const result = await services.notifications.deliverDue();
    if (result.attempted > 0) deps.logger.info({ job: 'notifications-outbox', ...result }, 'notifications outbox delivered');
  },
};
