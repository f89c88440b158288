import Router from '@koa/router';
import { searchQuerySchema, searchResponseSchema } from '@shared/schemas/search';
import { validate } from '../../core/middleware';
import type { SearchService } from './search.service';

export function createSearchRouter(service: SearchService): Router {
  const router = new Router();
  const search = validate(
    { query: searchQuerySchema },
    { summary: '搜索新闻、商家与志愿活动（分类分页）', tags: ['search'], response: searchResponseSchema, access: 'public' },
  );
  router.get('/api/v1/search', search, async (ctx) => {
    ctx.body = await service.search(search.input(ctx).query);
  });
  return router;
}
