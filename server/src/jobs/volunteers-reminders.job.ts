import { everyMinutes, type JobDefinition } from './scheduler';

/**
 * Every 5 minutes: reminders a day and an hour before a volunteer activity starts, to its confirmed volunteers. Each
 * run covers every activity not yet started within the window, so slots missed while no process ran are caught up;
 * the slot lock runs it once across processes, and each sign-up's reminder is claimed once (and keyed) besides.
 */
export const volunteersRemindersJob: JobDefinition = {
  name: 'volunteers-reminders',
  ...everyMinutes(5),
  async run({ deps, services }, slot) {
    const result = await services.volunteers.remindDue(slot);
    if (result.day + result.hour > 0) deps.logger.info({ job: 'volunteers-reminders', ...result }, 'activity reminders raised');
  },
};
