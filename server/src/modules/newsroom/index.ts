import type { Middleware } from 'koa';
import type { AppDeps, AppModule } from '../../core/deps';
import { createPointsService, type PointsService } from '../points';
import { createUsersService } from '../users';
import { feedCacheFor } from './feed-cache';
import { cachedPublicReads as cachedReads, createNewsroomRouter } from './newsroom.routes';
import { createNewsroomService as createService, type NewsroomService, type ReadingRewards } from './newsroom.service';

export { blocksFromText, shanghaiDay, type NewsroomService, type PublishFromSubmission, type ReadingRewards } from './newsroom.service';

/**
 * Reading points from the ledger: the 'reading' rule's amount and daily cap, once per reader, article and
 * Shanghai day (the idempotency key), so a retried or repeated read never pays twice.
 */
function readingRewards(points: PointsService): ReadingRewards {
  return {
    async rewardRead({ userId, articleId, day, title }) {
      const result = await points.earn({
        userId,
        source: 'reading',
        reason: `阅读《${title}》`,
        ref: { type: 'article', id: articleId },
        idempotencyKey: `reading:${userId}:${articleId}:${day}`,
      });
      // A retry of a read whose points were paid but whose answer was lost: the same points again.
      return result.status === 'capped' ? 0 : result.amount;
    },
  };
}

/** The newsroom service built from deps (cheap: the submissions module, jobs and the seed call it). */
export function createNewsroomService(deps: AppDeps): NewsroomService {
  const points = createPointsService(deps);
  return createService({
    clock: deps.clock,
    cache: feedCacheFor(deps.redis, deps.clock),
    rewards: readingRewards(points),
    transaction: points.withTransaction,
  });
}

/** Cache hits of the public feed and article GETs, answered before authentication and routing (app.ts). */
export function cachedPublicReads(deps: Pick<AppDeps, 'redis' | 'clock'>): Middleware {
  return cachedReads(feedCacheFor(deps.redis, deps.clock));
}

/** News feed and articles: feed by column, article page, reads, likes, editor-written articles. */
export function createNewsroomModule(deps: AppDeps): AppModule & { service: NewsroomService } {
  const service = createNewsroomService(deps);
  const users = createUsersService(deps);
  return { router: createNewsroomRouter(service, async (id) => (await users.getView(id)).nickname), service };
}
