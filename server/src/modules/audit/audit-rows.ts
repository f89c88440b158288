import type { QueryFilter } from 'mongoose';
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
  let page: AuditRow[] = [];
  for await (const doc of cursor as AsyncIterable<AuditLogDoc>) {
    page.push({
      at: doc.at,
      actorId: doc.actorId ? doc.actorId.toHexString() : null,
      action: doc.action,
      targetType: doc.targetType ?? null,
      targetId: doc.targetId ?? null,
      details: JSON.stringify(doc.details ?? {}),
      requestId: doc.requestId ?? null,
    });
    if (page.length >= batch) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
