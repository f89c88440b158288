import type { AppDeps, AppModule } from '../../app';
import { createUsersService } from '../users';
import { createFeedCache } from './feed-cache';
import { createNewsroomRouter } from './newsroom.routes';
import { createNewsroomService as createService, type NewsroomService, type ReadingRewards } from './newsroom.service';

export { blocksFromText, shanghaiDay, type NewsroomService, type PublishFromSubmission, type ReadingRewards } from './newsroom.service';

/** Until the points ledger is wired in, reads earn nothing. */
const noRewards: ReadingRewards = { rewardRead: async () => 0 };

/** The newsroom service built from deps (cheap: the submissions module, jobs and the seed call it). */
export function createNewsroomService(deps: AppDeps): NewsroomService {
  return createService({ clock: deps.clock, cache: createFeedCache(deps.redis, deps.clock), rewards: noRewards });
}

/** News feed and articles: feed by column, article page, reads, likes, editor-written articles. */
export function createNewsroomModule(deps: AppDeps): AppModule & { service: NewsroomService } {
  const service = createNewsroomService(deps);
  const users = createUsersService(deps);
  return { router: createNewsroomRouter(service, async (id) => (await users.getView(id)).nickname), service };
}
