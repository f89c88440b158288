import Router from '@koa/router';
import { dashboardQuerySchema, dashboardResponseSchema, exportParamsSchema, exportQuerySchema } from '@shared/schemas/stats';
import { currentUser, requireRole } from '../../core/auth';
import { attachment, EXPORT_CONTENT_TYPES, tableStream } from '../../core/export';
import { validate } from '../../core/middleware';
import { DASHBOARD_ROLES, type StatsService } from './stats.service';

export function createStatsRouter(service: StatsService): Router {
  const router = new Router();

  const board = validate(
    { query: dashboardQuerySchema },
    {
      summary: '数据看板（每日汇总；编辑、管理员看全部，部门工作人员只看本部门问政）',
      tags: ['console'],
      response: dashboardResponseSchema,
      access: { roles: [...DASHBOARD_ROLES] },
    },
  );
  router.get('/api/v1/console/dashboard', requireRole(...DASHBOARD_ROLES), board, async (ctx) => {
    ctx.type = 'application/json';
    ctx.body = await service.dashboardJson(currentUser(ctx), board.input(ctx).query);
  });

  const exporting = validate(
    { params: exportParamsSchema, query: exportQuerySchema },
    {
      summary: '导出 CSV / Excel（审计日志：管理员；统计、志愿时长、消费券核销：编辑与管理员）；流式输出',
      tags: ['console'],
      access: { roles: ['editor', 'admin'] },
    },
  );
  router.get('/api/v1/console/exports/:kind', requireRole('editor', 'admin'), exporting, async (ctx) => {
    const { params, query } = exporting.input(ctx);
    const table = service.exportTable(currentUser(ctx), params.kind, query);
    const from = query.from ?? '';
    ctx.set('Content-Disposition', attachment(`${params.kind}.${query.format}`, `${table.title}${from ? `-${from}` : ''}.${query.format}`));
    ctx.set('Cache-Control', 'no-store');
    ctx.type = EXPORT_CONTENT_TYPES[query.format];
    ctx.body = tableStream(query.format, table.title, table.columns, table.pages);
  });

  return router;
}
