import type { AppDeps, AppModule } from '../../core/deps';
import type { AuditNames } from './audit-names';
import { createAuditRouter } from './audit.routes';
import type { AuditService } from './audit.service';

export { createAuditNames, type AuditNamePorts, type AuditNames } from './audit-names';
export { createAuditService, type AuditRecordInput, type AuditService } from './audit.service';

/** The audit trail (`AuditService.record(...)` for every privileged action); admins read it at /api/v1/admin/audit. */
export function createAuditModule(_deps: AppDeps, { audit, auditNames }: { audit: AuditService; auditNames: AuditNames }): AppModule {
  return { router: createAuditRouter(audit, auditNames) };
}
