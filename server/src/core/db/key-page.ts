import type { Model, QueryFilter, Types } from 'mongoose';
import { AppError } from '../errors';
import { oid } from './object-id';
import type { IdPage } from './id-page';

/**
 * Keyset paging for a list sorted by a date other than `_id` (start time, publication, claim time): the sort is
 * `(key, _id)` in one direction and the cursor is the last row's pair, written `<epoch ms>.<hex id>` (opaque to
 * callers; shared/schemas/paging.ts `keyCursorSchema` checks its form). The next page starts strictly after that
 * pair, so no row is repeated or skipped among rows that existed, and the `_id` tie-break keeps rows with equal
 * keys in one order. A row inserted while someone pages shows up only if its key sorts after the cursor (a later
 * start time in an ascending list); one sorting before it belongs on a fresh first page, as with `_id` paging.
 */
export async function pageByKey<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  filter: QueryFilter<T>,
  { cursor, limit }: { cursor?: string; limit: number },
  { key, order }: { key: keyof T & string; order: 1 | -1 },
): Promise<IdPage<T>> {
  const after = cursor ? decodeKeyCursor(cursor) : null;
  const op = order === 1 ? '$gt' : '$lt';
  const bounded = after
    ? ({ $and: [filter, { $or: [{ [key]: { [op]: after.at } }, { [key]: after.at, _id: { [op]: after.id } }] }] } as QueryFilter<T>)
    : filter;
  const docs = await model
    .find(bounded)
    .sort({ [key]: order, _id: order })
    .limit(limit + 1)
    .lean<T[]>();
  const page = docs.slice(0, limit);
  const last = page.at(-1);
  return { docs: page, nextCursor: docs.length > limit && last ? encodeKeyCursor(last[key] as Date, last._id) : null };
}

export function encodeKeyCursor(at: Date, id: Types.ObjectId): string {
  return `${at.getTime()}.${id.toHexString()}`;
}

function decodeKeyCursor(cursor: string): { at: Date; id: Types.ObjectId } {
  const m = /^(-?\d{1,15})\.([0-9a-f]{24})$/.exec(cursor);
  // The route's schema refuses malformed cursors first; this guards a caller that skipped it.
  if (!m) throw new AppError('VALIDATION_FAILED', { message: '分页游标无效' });
  return { at: new Date(Number(m[1])), id: oid(m[2]!) };
}
