import { everyMinutes, type JobDefinition } from './scheduler';

/**
 * Every 5 minutes: 问政 deadline reminders, overdue marks escalated to the department's head and the
 * propaganda department (for the lead and for each co-department's part), and (once a day from 08:00) the
 * departments' digest. Works from the cases' deadlines and the last digest sent, not from the slots that
 * ran, so the first run after downtime catches up (missed digests are back-filled, each day once).
 */
export const wenzhengClockJob: JobDefinition = {
  name: 'wenzheng-clock',
  ...everyMinutes(5),
  async run({ services }, slot) {
    await services.wenzheng.tick(slot);
  },
};
