import type { Logger } from '../../core/logger';
import type { CouponGate } from './coupon-gate';
import { CouponModel, type CouponDoc } from './coupons.model';

interface Queued {
  doc: CouponDoc;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 200;
const DUPLICATE_KEY = 11000;

/**
 * Writes the durable records of admitted claims. At release time hundreds of claims pass the gate within
 * milliseconds: instead of one insert each, claims arriving in the same tick share one unordered
 * insertMany, and their pending entries are dropped with one HDEL per batch afterwards. Each caller still
 * awaits its own record: it hears "领取成功" only once the record is durable.
 */
export function createDurableWriter(gate: CouponGate, logger: Logger) {
  let queue: Queued[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    const failed = new Map<number, unknown>();
    try {
      await CouponModel.collection.insertMany(
        items.map((i) => i.doc),
        { ordered: false },
      );
    } catch (err) {
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : null;
      if (!list) {
        for (let i = 0; i < items.length; i += 1) failed.set(i, err);
      } else {
        for (const we of list as Array<{ index: number; code?: number; errmsg?: string; err?: { errmsg?: string } }>) {
          const message = we.errmsg ?? we.err?.errmsg ?? '';
          // Already written under the same claim id (by reconciliation): the claim is recorded once, fine.
          if (we.code === DUPLICATE_KEY && /index: _id_/.test(message)) continue;
          failed.set(we.index, err);
        }
      }
    }
    const byBatch = new Map<string, string[]>();
    items.forEach((item, i) => {
      if (failed.has(i)) return;
      const batchId = item.doc.batchId.toHexString();
      byBatch.set(batchId, [...(byBatch.get(batchId) ?? []), item.doc._id.toHexString()]);
    });
    // A failed HDEL only leaves pending entries that reconciliation finds already recorded.
    await Promise.all([...byBatch].map(([batchId, ids]) => gate.confirm(batchId, ids))).catch((err: unknown) =>
      logger.warn({ err }, 'coupon pending entries not cleared; reconciliation will'),
    );
    items.forEach((item, i) => (failed.has(i) ? item.reject(failed.get(i)) : item.resolve()));
  }

  return {
    write(doc: CouponDoc): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        queue.push({ doc, resolve, reject });
        if (queue.length >= MAX_BATCH) {
          void flush();
        } else if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
