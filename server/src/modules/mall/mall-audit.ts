import type { Actor } from '../../core/auth';
import type { AuditService } from '../audit';

/** Records a mall action in the audit log (target: the goods for mall.goods.*, else the redemption). */
export type MallAudit = (actor: Actor, action: string, id: string, details: Record<string, unknown>) => Promise<void>;

export function createMallAudit(audit: Pick<AuditService, 'record'>): MallAudit {
  return async (actor, action, id, details) => {
    await audit.record({
      actorId: actor.id,
      action,
      target: { type: action.startsWith('mall.goods') ? 'goods' : 'redemption', id },
      details,
      ...(actor.requestId ? { requestId: actor.requestId } : {}),
    });
  };
}
