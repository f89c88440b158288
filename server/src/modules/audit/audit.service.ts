import { Types, type QueryFilter } from 'mongoose';
import type { ListAuditQuery } from '@shared/schemas/users';
import { pageByIdDesc } from '../../core/db';
import type { AppDeps } from '../../core/deps';
import type { AuditRecord } from './audit-names';
import { auditRows, type AuditRow } from './audit-rows';
import { AuditLogModel, type AuditLogDoc } from './audit.model';

export interface AuditRecordInput {
  /** The user who acted; null for the system (seed, jobs). */
  actorId: string | null;
  /** Dotted verb, `<module>.<what>`: role.grant, staff.create, article.publish, points.adjust… */
  action: string;
  target?: { type: string; id: string };
  /** Facts needed to understand the action later (before/after, reason). Never secrets. */
  details?: Record<string, unknown>;
  /** `ctx.state.requestId`, to find the request in the logs. */
  requestId?: string;
}

export interface AuditService {
  record(input: AuditRecordInput): Promise<void>;
  /** A page of entries, newest first, as stored (the router puts names on them: AuditNames). */
  list(query: ListAuditQuery): Promise<{ items: AuditRecord[]; nextCursor: string | null }>;
  /** Entries in [from, to), oldest first, in pages from a cursor (the console's export). */
  rows(from: Date, to: Date, action?: string): AsyncGenerator<AuditRow[]>;
}

function toRecord(doc: AuditLogDoc): AuditRecord {
  return {
    id: doc._id.toHexString(),
    actorId: doc.actorId ? doc.actorId.toHexString() : null,
    action: doc.action,
    target: doc.targetType && doc.targetId ? { type: doc.targetType, id: doc.targetId } : null,
    details: doc.details ?? {},
    requestId: doc.requestId ?? null,
    at: doc.at.toISOString(),
  };
}

/** The audit trail every module writes privileged actions to. Time comes from the business clock. */
export function createAuditService(deps: Pick<AppDeps, 'clock'>): AuditService {
  return {
    rows: (from, to, action) => auditRows(from, to, action),

    async record({ actorId, action, target, details, requestId }) {
      await AuditLogModel.create({
        actorId: actorId ? new Types.ObjectId(actorId) : null,
        action,
        targetType: target?.type,
        targetId: target?.id,
        details: details ?? {},
        requestId,
        at: deps.clock.now(),
      });
    },

    async list({ action, actorId, targetId, from, to, cursor, limit }) {
      const filter: QueryFilter<AuditLogDoc> = {};
      if (action) filter.action = action;
      if (actorId) filter.actorId = new Types.ObjectId(actorId);
      if (targetId) filter.targetId = targetId;
      if (from || to) filter.at = { ...(from ? { $gte: new Date(from) } : {}), ...(to ? { $lt: new Date(to) } : {}) };
      const { docs, nextCursor } = await pageByIdDesc(AuditLogModel, filter, { cursor, limit });
      return { items: docs.map(toRecord), nextCursor };
    },
  };
}
