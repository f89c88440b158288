import type { Model, QueryFilter, Types } from 'mongoose';
import { oid } from './object-id';

/** One page of a newest-first list and the cursor of the next (null on the last page). */
export interface IdPage<T> {
  docs: T[];
  nextCursor: string | null;
}

/** Keyset paging by `_id` in either direction: up to `limit` documents past `cursor`, reading one more to know whether another page follows. */
async function pageById<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  filter: QueryFilter<T>,
  { cursor, limit }: { cursor?: string; limit: number },
  order: 1 | -1,
): Promise<IdPage<T>> {
  const bounded: QueryFilter<T> = cursor ? { ...filter, _id: { [order === 1 ? '$gt' : '$lt']: oid(cursor) } } : filter;
  const docs = await model
    .find(bounded)
    .sort({ _id: order })
    .limit(limit + 1)
    .lean<T[]>();
  const page = docs.slice(0, limit);
  return { docs: page, nextCursor: docs.length > limit ? (page.at(-1)?._id.toHexString() ?? null) : null };
}

/**
 * Keyset paging newest first by `_id`: up to `limit` documents matching `filter` whose `_id` is below
 * `cursor` (the previous page's last id). A filter that already bounds `_id` is passed without `cursor`.
 */
export function pageByIdDesc<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  filter: QueryFilter<T>,
  page: { cursor?: string; limit: number },
): Promise<IdPage<T>> {
  return pageById(model, filter, page, -1);
}

/**
 * Keyset paging oldest first by `_id`, for work queues (the longest-waiting first): `_id` above `cursor`. Rows
 * inserted while someone pages land after every page already read (ids only grow), so none is skipped or repeated.
 */
export function pageByIdAsc<T extends { _id: Types.ObjectId }>(
  model: Model<T>,
  filter: QueryFilter<T>,
  page: { cursor?: string; limit: number },
): Promise<IdPage<T>> {
  return pageById(model, filter, page, 1);
}
