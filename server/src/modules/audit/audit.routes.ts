import type Router from '@koa/router';
import { auditListResponseSchema, listAuditQuerySchema } from '@shared/schemas/users';
import { routes } from '../../core/middleware';
import type { AuditService } from './audit.service';

export function createAuditRouter(service: AuditService): Router {
  const api = routes(['admin']);
  api.get(
    '/api/v1/admin/audit',
    { query: listAuditQuerySchema, summary: '审计日志（管理员）', response: auditListResponseSchema, access: { roles: ['admin'] } },
    ({ query }) => service.list(query),
  );
  return api.router;
}
