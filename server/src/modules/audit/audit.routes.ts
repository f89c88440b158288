import type Router from '@koa/router';
import { auditListResponseSchema, listAuditQuerySchema } from '@shared/schemas/users';
import { routes } from '../../core/middleware';
import type { AuditNames } from './audit-names';
import type { AuditService } from './audit.service';

export function createAuditRouter(service: AuditService, names: AuditNames): Router {
  const api = routes(['admin']);
  api.get(
    '/api/v1/admin/audit',
    {
      query: listAuditQuerySchema,
      summary: '审计日志（管理员；操作人与对象带名称）',
      response: auditListResponseSchema,
      access: { roles: ['admin'] },
    },
    async ({ query }) => {
      const { items, nextCursor } = await service.list(query);
      return { items: await names.label(items), nextCursor };
    },
  );
  return api.router;
}
