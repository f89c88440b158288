import { everyMinutes, type JobDefinition } from './scheduler';

/** Every minute: scheduled submissions and editor articles whose time has come go into the feed. */
export const newsroomPublishJob: JobDefinition = {
  name: 'newsroom-publish',
  ...everyMinutes(1),
  async run({ services }, slot) {
    await services.submissions.publishDue(slot);
    await services.newsroom.publishDue(slot);
  },
};
