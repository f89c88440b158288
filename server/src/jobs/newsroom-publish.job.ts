import { createNewsroomService } from '../modules/newsroom';
import { createSubmissionsService } from '../modules/submissions';
import type { JobDefinition } from './scheduler';

/** Every minute: scheduled submissions and editor articles whose time has come go into the feed. */
export const newsroomPublishJob: JobDefinition = {
  name: 'newsroom-publish',
  schedule: '* * * * *',
  timezone: 'Asia/Shanghai',
  lockTtlMs: 50_000,
  async run(deps, slot) {
    await createSubmissionsService(deps).publishDue(slot);
    await createNewsroomService(deps).publishDue(slot);
  },
};
