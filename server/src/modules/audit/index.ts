import type { AppDeps, AppModule } from '../../core/deps';
import { createAuditRouter } from './audit.routes';
import { createAuditService, type AuditService } from './audit.service';

export { createAuditService, type AuditRecordInput, type AuditService } from './audit.service';

/** The audit trail: `AuditService.record(...)` for every privileged action; admins read it at /api/v1/admin/audit. */
export function createAuditModule(deps: AppDeps): AppModule & { service: AuditService } {
  const service = createAuditService(deps);
  return { router: createAuditRouter(service), service };
}
