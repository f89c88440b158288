import type { QueryFilter } from 'mongoose';
import { cursorPages } from '../../core/db';
import { AuditLogModel, type AuditLogDoc } from './audit.model';

/** One audit entry as the export writes it. */
export interface AuditRow {
  at: Date;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: string;
  requestId: string | null;
}

/** Every audit entry in [from, to), oldest first, in pages read from a cursor: the export streams them. */
export async function* auditRows(from: Date, to: Date, action?: string, batch = 500): AsyncGenerator<AuditRow[]> {
  const filter: QueryFilter<AuditLogDoc> = { at: { $gte: from, $lt: to } };
  if (action) filter.action = action;
  const cursor = AuditLogModel.find(filter).sort({ at: 1, _id: 1 }).lean<AuditLogDoc[]>().cursor({ batchSize: batch });
  yield* cursorPages(cursor as AsyncIterable<AuditLogDoc>, batch, (docs) =>
    docs.map((doc) => ({
      at: doc.at,
      actorId: doc.actorId ? doc.actorId.toHexString() : null,
      action: doc.action,
      targetType: doc.targetType ?? null,
      targetId: doc.targetId ?? null,
      details: JSON.stringify(doc.details ?? {}),
      requestId: doc.requestId ?? null,
    })),
  );
}
