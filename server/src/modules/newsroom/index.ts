import type { Middleware } from 'koa';
import type { AppDeps, AppModule } from '../../core/deps';
import type { AuditService } from '../audit';
import type { PointsService } from '../points';
import type { UsersService } from '../users';
import type { FeedCache } from './feed-cache';
import { cachedPublicReads as cachedReads, createNewsroomRouter } from './newsroom.routes';
import { createNewsroomService as createService, type NewsroomService, type ReadingRewards } from './newsroom.service';

export { blocksFromText, type NewsroomService, type PublishFromSubmission, type ReadingRewards } from './newsroom.service';
export { createFeedCache, type FeedCache } from './feed-cache';

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

/**
 * The newsroom service (built once, in services.ts; submissions, campaigns, merchants, jobs and the seed use
 * it). `feedCache` is the process's one feed cache, shared with cachedPublicReads.
 */
export function createNewsroomService(
  deps: AppDeps,
  ports: { points: PointsService; feedCache: FeedCache; audit: AuditService },
): NewsroomService {
  return createService({
    clock: deps.clock,
    cache: ports.feedCache,
    rewards: readingRewards(ports.points),
    audit: ports.audit,
    transaction: ports.points.withTransaction,
  });
}

/** Cache hits of the public feed and article GETs, answered before authentication and routing (app.ts). */
export function cachedPublicReads({ feedCache }: { feedCache: FeedCache }): Middleware {
  return cachedReads(feedCache);
}

/** News feed and articles: feed by column, article page, reads, likes, editor-written articles, the desk, columns. */
export function createNewsroomModule(_deps: AppDeps, { newsroom, users }: { newsroom: NewsroomService; users: UsersService }): AppModule {
  return { router: createNewsroomRouter(newsroom, async (id) => (await users.getView(id)).nickname) };
}
