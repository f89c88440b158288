import type { AppDeps, AppModule } from '../../core/deps';
import { createAuditRouter } from './audit.routes';
import type { AuditService } from './audit.service';

export { createAuditService, type AuditRecordInput, type AuditService } from './audit.service';

/** The audit trail (`AuditService.record(...)` for every privileged action); admins read it at /api/v1/admin/audit. */
export function createAuditModule(_deps: AppDeps, { audit }: { audit: AuditService }): AppModule {
  return { router: createAuditRouter(audit) };
}
