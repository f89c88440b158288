import type Router from '@koa/router';
import { dashboardQuerySchema, dashboardResponseSchema, exportParamsSchema, exportQuerySchema } from '@shared/schemas/stats';
import { currentUser } from '../../core/auth';
import { attachment, EXPORT_CONTENT_TYPES, tableStream } from '../../core/export';
import { routes } from '../../core/middleware';
import { DASHBOARD_ROLES, type StatsService } from './stats.service';

export function createStatsRouter(service: StatsService): Router {
  const api = routes(['console']);

  api.get(
    '/api/v1/console/dashboard',
    {
      query: dashboardQuerySchema,
      summary: '数据看板（每日汇总；编辑、管理员看全部，部门工作人员只看本部门问政）',
      response: dashboardResponseSchema,
      access: { roles: [...DASHBOARD_ROLES] },
    },
    async ({ query }, ctx) => {
      // The answer comes already serialised.
      ctx.type = 'application/json';
      ctx.body = await service.dashboardJson(currentUser(ctx), query);
      return undefined;
    },
  );
  api.get(
    '/api/v1/console/exports/:kind',
    {
      params: exportParamsSchema,
      query: exportQuerySchema,
      summary: '导出 CSV / Excel（审计日志：管理员；统计、志愿时长、消费券核销：编辑与管理员）；流式输出',
      access: { roles: ['editor', 'admin'] },
    },
    ({ params, query }, ctx) => {
      const table = service.exportTable(currentUser(ctx), params.kind, query);
      const from = query.from ?? '';
      ctx.set(
        'Content-Disposition',
        attachment(`${params.kind}.${query.format}`, `${table.title}${from ? `-${from}` : ''}.${query.format}`),
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.type = EXPORT_CONTENT_TYPES[query.format];
      ctx.body = tableStream(query.format, table.title, table.columns, table.pages);
      return undefined;
    },
  );

  return api.router;
}
