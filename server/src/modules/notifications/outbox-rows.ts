import type { QueryFilter } from 'mongoose';
import { REFUSED_REASONS, type OutboxListQuery, type OutboxPage, type OutboxRowView } from '@shared/schemas/notifications';
import { pageByIdDesc } from '../../core/db';
import { OutboxModel, type OutboxDoc } from './notifications.model';
import { outcomeOfDrop } from './tally';

/** Refused rows' reasons as stored (`refused`, `no_consent`: whole strings, see outbox.ts). */
const REFUSED = [...REFUSED_REASONS];

function filterOf({ kind, outcome }: OutboxListQuery): QueryFilter<OutboxDoc> {
  const byKind = kind ? { kind } : {};
  switch (outcome) {
    case undefined:
      return byKind;
    case 'pending':
      return { ...byKind, status: { $in: ['pending', 'sending'] } };
    case 'sent':
      return { ...byKind, status: 'sent' };
    case 'refused':
      return { ...byKind, status: 'dropped', reason: { $in: REFUSED } };
    case 'dropped':
      return { ...byKind, status: 'dropped', reason: { $nin: REFUSED } };
  }
}

const toView = (row: OutboxDoc): OutboxRowView => ({
  id: row._id.toHexString(),
  userId: row.userId.toHexString(),
  kind: row.kind,
  templateKey: row.templateKey,
  status: row.status,
  outcome: row.status === 'sent' ? 'sent' : row.status === 'dropped' ? outcomeOfDrop(row.reason) : 'pending',
  reason: row.reason,
  lastError: row.lastError,
  attempts: row.attempts,
  day: row.day,
  createdAt: row.createdAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
  nextAttemptAt: row.nextAttemptAt.toISOString(),
});

/**
 * The console's outbox list, newest first, a page at a time by id (indexes `{status, _id}`, `{kind, status, _id}`,
 * `{kind, _id}`), so staff can find why one subscribe message never arrived.
 */
export async function listOutbox(query: OutboxListQuery): Promise<OutboxPage> {
  const page = await pageByIdDesc(OutboxModel, filterOf(query), { cursor: query.cursor, limit: query.limit });
  return { items: page.docs.map(toView), nextCursor: page.nextCursor };
}
