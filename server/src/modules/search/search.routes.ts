import type Router from '@koa/router';
import { searchQuerySchema, searchResponseSchema } from '@shared/schemas/search';
import { routes } from '../../core/middleware';
import type { SearchService } from './search.service';

export function createSearchRouter(service: SearchService): Router {
  const api = routes(['search']);
  api.get(
    '/api/v1/search',
    { query: searchQuerySchema, summary: '搜索新闻、商家与志愿活动（分类分页）', response: searchResponseSchema, access: 'public' },
    ({ query }) => service.search(query),
  );
  return api.router;
}
