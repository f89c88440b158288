import Router from '@koa/router';
import { auditListResponseSchema, listAuditQuerySchema } from '@shared/schemas/users';
import { requireRole } from '../../core/auth';
import { validate } from '../../core/middleware';
import type { AuditService } from './audit.service';

export function createAuditRouter(service: AuditService): Router {
  const router = new Router();

  const list = validate(
    { query: listAuditQuerySchema },
    { summary: '审计日志（管理员）', tags: ['admin'], response: auditListResponseSchema, access: { roles: ['admin'] } },
  );
  router.get('/api/v1/admin/audit', requireRole('admin'), list, async (ctx) => {
    ctx.body = await service.list(list.input(ctx).query);
  });

  return router;
}
