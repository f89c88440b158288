import { Types } from 'mongoose';
import { AppError } from '../../core/errors';
import { CouponBatchModel, type CouponBatchDoc } from './coupons.model';

/** Batches never change after creation (a draw aside, which the grab doesn't read): cached this long. */
const BATCH_CACHE_MS = 60_000;
const BATCH_CACHE_MAX = 1_000;

export type BatchStore = ReturnType<typeof createBatchStore>;

/**
 * The stored batches every part of the coupons service looks up, with the grab's in-memory copy: batches
 * never change after creation (only a lottery's draw is added later, and the draw drops the entry).
 */
export function createBatchStore() {
  const batchCache = new Map<string, { doc: Promise<CouponBatchDoc | null>; at: number }>();

  function cachedRead(id: string): Promise<CouponBatchDoc | null> {
    const hit = batchCache.get(id);
    if (hit && Date.now() - hit.at < BATCH_CACHE_MS) return hit.doc;
    // Single flight: a release-time burst on a cold cache reads the batch once.
    const read = CouponBatchModel.findById(id).lean<CouponBatchDoc>().exec();
    if (batchCache.size >= BATCH_CACHE_MAX) batchCache.delete(batchCache.keys().next().value!);
    batchCache.set(id, { doc: read, at: Date.now() });
    read.then(
      (found) => (found ? undefined : batchCache.delete(id)),
      () => batchCache.delete(id),
    );
    return read;
  }

  return {
    /** The batch, or COUPON_BATCH_NOT_FOUND; `cached` reads the in-memory copy (the grab and lottery sign-up). */
    async mustFindBatch(id: string, cached = false): Promise<CouponBatchDoc> {
      if (!Types.ObjectId.isValid(id)) throw new AppError('COUPON_BATCH_NOT_FOUND');
      const doc = cached ? await cachedRead(id) : await CouponBatchModel.findById(id).lean<CouponBatchDoc>();
      if (!doc) throw new AppError('COUPON_BATCH_NOT_FOUND');
      return doc;
    },

    /** Drops the in-memory copy (after a draw is recorded). */
    forget(id: string): void {
      batchCache.delete(id);
    },
  };
}
