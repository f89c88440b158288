import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import {
  articleResponseSchema,
  createArticleBodySchema,
  feedQuerySchema,
  feedResponseSchema,
  headlinesResponseSchema,
  idParamsSchema,
  likeResponseSchema,
  pinBodySchema,
  pinResponseSchema,
  readResponseSchema,
  relatedQuerySchema,
  relatedResponseSchema,
} from '@shared/schemas/newsroom';
import { currentUser, optionalUser, requireAuth, requireRole } from '../../core/auth';
import { validate } from '../../core/middleware';
import type { CachedJson, FeedCache } from './feed-cache';
import { articleCacheKey, feedCacheKey, type NewsroomService } from './newsroom.service';

/** What `ctx.type = 'application/json'` sets. */
const JSON_TYPE = 'application/json; charset=utf-8';

// The feed and article bodies are served as cached, pre-serialised JSON: no Mongo work on a hit. The
// headers are set as `ctx.type = 'application/json'` and `ctx.etag =` would (without their per-request
// mime lookup and quoting check: the ETag is already quoted), and freshness is only worked out when the
// request asks for it (without If-None-Match / If-Modified-Since nothing is ever fresh).
function sendCached(ctx: Context, cached: CachedJson): void {
  ctx.set('Content-Type', JSON_TYPE);
  ctx.set('ETag', cached.etag);
  ctx.body = cached.body;
  const { headers } = ctx.req;
  if ((headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) && ctx.fresh) ctx.status = 304;
}

const ARTICLE_PREFIX = '/api/v1/articles/';
const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * The home feed and article pages answered from the feed cache before the rest of the chain (mounted after
 * CORS, so the request id, log line, error handling, security and CORS headers are the normal chain's own).
 * Only what the routes below would answer with the very same cached bytes takes it: an anonymous GET of
 * exactly `/api/v1/feed` (no query: the default page) or `/api/v1/articles/<id>` (no query), whose entry
 * is a fresh hit. A request with an Authorization header, a miss, an expired entry, a version to re-read,
 * any other path or spelling goes on to the body parser, authentication, the router and validate as before.
 */
export function cachedPublicReads(cache: FeedCache): Middleware {
  const defaultFeedKey = feedCacheKey(feedQuerySchema.strict().parse({}));
  return (ctx, next) => {
    const { req } = ctx;
    if (req.method !== 'GET' || req.headers.authorization !== undefined) return next();
    const url = req.url ?? '';
    let key: string | undefined;
    if (url === '/api/v1/feed') key = defaultFeedKey;
    else if (url.length === ARTICLE_PREFIX.length + 24 && url.startsWith(ARTICLE_PREFIX)) {
      const id = url.slice(ARTICLE_PREFIX.length);
      if (OBJECT_ID.test(id)) key = articleCacheKey(id);
    }
    const hit = key === undefined ? undefined : cache.peek(key);
    if (!hit) return next();
    sendCached(ctx, hit);
    return Promise.resolve();
  };
}

export function createNewsroomRouter(service: NewsroomService, userName: (id: string) => Promise<string>): Router {
  const router = new Router();
  const tags = ['newsroom'];

  const feed = validate(
    { query: feedQuerySchema },
    { summary: '新闻流（按栏目，游标分页）', tags, response: feedResponseSchema, access: 'public' },
  );
  router.get('/api/v1/feed', feed, async (ctx) => {
    sendCached(ctx, await service.feedJson(feed.input(ctx).query));
  });

  const headlines = validate(
    {},
    { summary: '首页轮播：编辑置顶的头条（最多 5 条）', tags, response: headlinesResponseSchema, access: 'public' },
  );
  router.get('/api/v1/feed/headlines', headlines, async (ctx) => {
    sendCached(ctx, await service.headlinesJson());
  });

  const pin = validate(
    { params: idParamsSchema, body: pinBodySchema },
    { summary: '置顶到首页轮播或取消置顶（编辑）', tags, response: pinResponseSchema, access: { roles: ['editor', 'admin'] } },
  );
  router.put('/api/v1/articles/:id/pin', requireRole('editor'), pin, async (ctx) => {
    const { params, body } = pin.input(ctx);
    ctx.body = await service.pin(params.id, body.pinned);
  });

  const article = validate({ params: idParamsSchema }, { summary: '文章详情', tags, response: articleResponseSchema, access: 'public' });
  router.get('/api/v1/articles/:id', article, async (ctx) => {
    sendCached(ctx, await service.articleJson(article.input(ctx).params.id));
  });

  const related = validate(
    { params: idParamsSchema, query: relatedQuerySchema },
    { summary: '相关阅读（同圈子或同栏目的最新文章）', tags, response: relatedResponseSchema, access: 'public' },
  );
  router.get('/api/v1/articles/:id/related', related, async (ctx) => {
    const { params, query } = related.input(ctx);
    ctx.body = { items: await service.related(params.id, query.limit) };
  });

  const read = validate(
    { params: idParamsSchema },
    { summary: '记录阅读（每人每篇每天一次，登录读者得阅读积分）', tags, response: readResponseSchema, access: 'public' },
  );
  router.post('/api/v1/articles/:id/read', read, async (ctx) => {
    ctx.body = await service.recordRead(read.input(ctx).params.id, optionalUser(ctx)?.id ?? null);
  });

  const like = validate({ params: idParamsSchema }, { summary: '点赞', tags, response: likeResponseSchema, access: 'signed_in' });
  router.put('/api/v1/articles/:id/like', requireAuth, like, async (ctx) => {
    ctx.body = await service.like(like.input(ctx).params.id, currentUser(ctx).id);
  });
  router.delete('/api/v1/articles/:id/like', requireAuth, like, async (ctx) => {
    ctx.body = await service.unlike(like.input(ctx).params.id, currentUser(ctx).id);
  });

  const create = validate(
    { body: createArticleBodySchema },
    { summary: '编辑发布文章（可定时）', tags, response: articleResponseSchema, status: 201, access: { roles: ['editor', 'admin'] } },
  );
  router.post('/api/v1/articles', requireRole('editor'), create, async (ctx) => {
    const user = currentUser(ctx);
    ctx.status = 201;
    ctx.body = { article: await service.createEditorArticle({ id: user.id, name: await userName(user.id) }, create.input(ctx).body) };
  });

  const withdraw = validate(
    { params: idParamsSchema },
    { summary: '下线文章（编辑）', tags, status: 204, access: { roles: ['editor', 'admin'] } },
  );
  router.delete('/api/v1/articles/:id', requireRole('editor'), withdraw, async (ctx) => {
    await service.withdraw(withdraw.input(ctx).params.id);
    ctx.status = 204;
  });

  return router;
}
