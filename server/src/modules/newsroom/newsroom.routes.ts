import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import {
  articleResponseSchema,
  columnListResponseSchema,
  columnParamsSchema,
  columnResponseSchema,
  createArticleBodySchema,
  createColumnBodySchema,
  deskArticlePageSchema,
  deskArticleResponseSchema,
  deskArticlesQuerySchema,
  feedQuerySchema,
  feedResponseSchema,
  headlinesResponseSchema,
  idParamsSchema,
  likeResponseSchema,
  pinBodySchema,
  pinResponseSchema,
  publicColumnListResponseSchema,
  readResponseSchema,
  relatedQuerySchema,
  relatedResponseSchema,
  reorderColumnsBodySchema,
  updateArticleBodySchema,
  updateColumnBodySchema,
} from '@shared/schemas/newsroom';
import { actorOf, currentUser, optionalUser } from '../../core/auth';
import { routes } from '../../core/middleware';
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
  const api = routes(['newsroom']);
  const EDITORS = { roles: ['editor', 'admin'] } as const;
  const ADMINS = { roles: ['admin'] } as const;

  api.get(
    '/api/v1/feed',
    { query: feedQuerySchema, summary: '新闻流（按栏目，游标分页）', response: feedResponseSchema, access: 'public' },
    async ({ query }, ctx) => sendCached(ctx, await service.feedJson(query)),
  );
  api.get(
    '/api/v1/feed/headlines',
    { summary: '首页轮播：编辑置顶的头条（最多 5 条）', response: headlinesResponseSchema, access: 'public' },
    async (_input, ctx) => sendCached(ctx, await service.headlinesJson()),
  );
  api.put(
    '/api/v1/articles/:id/pin',
    {
      params: idParamsSchema,
      body: pinBodySchema,
      summary: '置顶到首页轮播或取消置顶（编辑）',
      response: pinResponseSchema,
      access: EDITORS,
    },
    ({ params, body }, ctx) => service.pin(actorOf(ctx), params.id, body.pinned),
  );
  api.get(
    '/api/v1/articles/:id',
    { params: idParamsSchema, summary: '文章详情', response: articleResponseSchema, access: 'public' },
    async ({ params }, ctx) => sendCached(ctx, await service.articleJson(params.id)),
  );
  api.get(
    '/api/v1/articles/:id/related',
    {
      params: idParamsSchema,
      query: relatedQuerySchema,
      summary: '相关阅读（同圈子或同栏目的最新文章）',
      response: relatedResponseSchema,
      access: 'public',
    },
    async ({ params, query }) => ({ items: await service.related(params.id, query.limit) }),
  );
  api.post(
    '/api/v1/articles/:id/read',
    { params: idParamsSchema, summary: '记录阅读（每人每篇每天一次，登录读者得阅读积分）', response: readResponseSchema, access: 'public' },
    ({ params }, ctx) => service.recordRead(params.id, optionalUser(ctx)?.id ?? null),
  );
  const like = { params: idParamsSchema, summary: '点赞', response: likeResponseSchema, access: 'signed_in' } as const;
  api.put('/api/v1/articles/:id/like', like, ({ params }, ctx) => service.like(params.id, currentUser(ctx).id));
  api.delete('/api/v1/articles/:id/like', like, ({ params }, ctx) => service.unlike(params.id, currentUser(ctx).id));
  api.post(
    '/api/v1/articles',
    { body: createArticleBodySchema, summary: '编辑发布文章（可定时）', response: articleResponseSchema, status: 201, access: EDITORS },
    async ({ body }, ctx) => {
      const actor = actorOf(ctx);
      return { article: await service.writeArticle(actor, await userName(actor.id), body) };
    },
  );
  api.patch(
    '/api/v1/articles/:id',
    {
      params: idParamsSchema,
      body: updateArticleBodySchema,
      summary: '修改文章（编辑；已发布或定时发布的，定时的可改发布时间）',
      response: deskArticleResponseSchema,
      access: EDITORS,
    },
    async ({ params, body }, ctx) => ({ article: await service.updateArticle(actorOf(ctx), params.id, body) }),
  );
  api.get(
    '/api/v1/editorial/articles',
    {
      query: deskArticlesQuerySchema,
      summary: '文章管理：全部状态的文章（按栏目、状态、标题筛选，游标分页）',
      response: deskArticlePageSchema,
      access: EDITORS,
    },
    ({ query }) => service.deskPage(query),
  );
  api.get(
    '/api/v1/editorial/articles/:id',
    { params: idParamsSchema, summary: '文章管理：任意状态的文章全文（编辑）', response: deskArticleResponseSchema, access: EDITORS },
    async ({ params }) => ({ article: await service.deskArticle(params.id) }),
  );
  api.delete(
    '/api/v1/articles/:id',
    { params: idParamsSchema, summary: '下线文章（编辑）', status: 204, access: EDITORS },
    async ({ params }, ctx) => {
      await service.withdraw(actorOf(ctx), params.id);
      ctx.status = 204;
    },
  );

  const { columns } = service;
  api.get(
    '/api/v1/columns',
    { summary: '栏目列表（已启用，按顺序；首页频道取 homeTab）', response: publicColumnListResponseSchema, access: 'public' },
    async (_input, ctx) => sendCached(ctx, await columns.publicJson()),
  );
  api.get('/api/v1/admin/columns', { summary: '全部栏目（管理员）', response: columnListResponseSchema, access: ADMINS }, async () => ({
    items: await columns.list(),
  }));
  api.post(
    '/api/v1/admin/columns',
    { body: createColumnBodySchema, summary: '新增栏目（管理员）', response: columnResponseSchema, status: 201, access: ADMINS },
    async ({ body }, ctx) => ({ column: await columns.create(actorOf(ctx), body) }),
  );
  // Declared before /:key so that `order` is never taken for a column key.
  api.put(
    '/api/v1/admin/columns/order',
    { body: reorderColumnsBodySchema, summary: '调整栏目顺序（管理员）', response: columnListResponseSchema, access: ADMINS },
    async ({ body }, ctx) => ({ items: await columns.reorder(actorOf(ctx), body.keys) }),
  );
  api.patch(
    '/api/v1/admin/columns/:key',
    {
      params: columnParamsSchema,
      body: updateColumnBodySchema,
      summary: '修改栏目：名称、启用、首页频道（管理员）',
      response: columnResponseSchema,
      access: ADMINS,
    },
    async ({ params, body }, ctx) => ({ column: await columns.update(actorOf(ctx), params.key, body) }),
  );
  api.delete(
    '/api/v1/admin/columns/:key',
    { params: columnParamsSchema, summary: '删除栏目（管理员；仅限无文章的自建栏目）', status: 204, access: ADMINS },
    async ({ params }, ctx) => {
      await columns.remove(actorOf(ctx), params.key);
      ctx.status = 204;
    },
  );

  return api.router;
}
