import { insertProven } from '../../core/db/insert-proven';
import type { Logger } from '../../core/logger';
import type { CouponGate } from './coupon-gate';
import { CouponModel, type CouponDoc } from './coupons.model';

interface Queued {
  doc: CouponDoc;
  attempt: number;
}

/** Claims admitted within this window share one insertMany. */
const FLUSH_MS = 3;
const MAX_BATCH = 500;
/** In-process retries of a failed record (then the pending entry waits for reconciliation). */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000];

export interface DurableWriter {
  /** Queues an admitted claim's record; the pending entry in the gate is dropped once it is in MongoDB. */
  write(doc: CouponDoc): void;
  /**
   * Resolves when every record queued before the call has had its write attempt (retries waiting on a timer
   * excepted). Records queued after the call are not waited for: under a sustained rush the queue never
   * empties, and a user opening 我的券 must not wait for the rush to end.
   */
  idle(): Promise<void>;
}

/**
 * Writes the durable records of admitted claims behind the gate. At release time hundreds of claims pass
 * the gate within milliseconds: instead of one insert each, the records admitted within a few
 * milliseconds share one unordered insertMany (one in flight at a time, so the next batch grows while
 * MongoDB works), and their pending entries are dropped with one HDEL per batch afterwards.
 *
 * The user has their answer already: the gate's pending entry holds everything the record needs (user,
 * seq, time, code), so a record that can't be written now is retried here and, failing that (or after a
 * crash), written by the reconciliation job from that entry under the same id.
 */
export function createDurableWriter(gate: CouponGate, logger: Logger): DurableWriter {
  let queue: Queued[] = [];
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  // Records leave the queue in the order they entered it, so "queued before" is a count: how many were ever
  // queued, and how many of those have had their attempt. idle() waits for the count at its call.
  let queuedTotal = 0;
  let triedTotal = 0;
  let waiters: Array<{ upTo: number; resolve: () => void }> = [];

  async function writeBatch(items: Queued[]): Promise<void> {
    // Only records proven stored leave the pending log: after a network error the insert's own error can't
    // say which landed (see insertProven), and an entry dropped for a record that never landed is a lost claim.
    const { stored, error } = await insertProven(
      CouponModel.collection,
      items.map((i) => i.doc),
    );
    const failed = new Map<number, unknown>();
    const byBatch = new Map<string, string[]>();
    items.forEach((item, i) => {
      const claimId = item.doc._id.toHexString();
      if (!stored.has(claimId)) return void failed.set(i, error);
      const batchId = item.doc.batchId.toHexString();
      const ids = byBatch.get(batchId);
      if (ids) ids.push(claimId);
      else byBatch.set(batchId, [claimId]);
    });
    // A failed HDEL only leaves pending entries that reconciliation finds already recorded.
    await Promise.all([...byBatch].map(([batchId, ids]) => gate.confirm(batchId, ids))).catch((err: unknown) =>
      logger.warn({ err }, 'coupon pending entries not cleared; reconciliation will'),
    );
    for (const [i, err] of failed) {
      const item = items[i]!;
      const delay = RETRY_DELAYS_MS[item.attempt];
      const ids = { batchId: item.doc.batchId.toHexString(), claimId: item.doc._id.toHexString(), attempt: item.attempt + 1 };
      if (delay === undefined) {
        // The admission stays in the pending log: reconciliation writes the record, so the user keeps it.
        logger.error({ err, ...ids }, 'coupon record not written; left to reconciliation');
        continue;
      }
      logger.warn({ err, ...ids }, 'coupon record not written; retrying');
      setTimeout(() => enqueue({ doc: item.doc, attempt: item.attempt + 1 }), delay).unref();
    }
  }

  function flush(): void {
    timer = null;
    if (inFlight || queue.length === 0) return;
    const items = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (items === queue) queue = [];
    inFlight = writeBatch(items)
      .catch((err: unknown) => logger.error({ err }, 'coupon durable writer failed'))
      .finally(() => {
        inFlight = null;
        triedTotal += items.length;
        const due = waiters.filter((w) => w.upTo <= triedTotal);
        waiters = waiters.filter((w) => w.upTo > triedTotal);
        for (const w of due) w.resolve();
        if (queue.length > 0) schedule();
      });
  }

  function schedule(): void {
    if (timer || inFlight) return;
    timer = setTimeout(flush, queue.length >= MAX_BATCH ? 0 : FLUSH_MS);
  }

  function enqueue(item: Queued): void {
    queue.push(item);
    queuedTotal += 1;
    schedule();
  }

  return {
    write(doc) {
      enqueue({ doc, attempt: 0 });
    },
    idle() {
      const upTo = queuedTotal;
      if (triedTotal >= upTo) return Promise.resolve();
      const done = new Promise<void>((resolve) => waiters.push({ upTo, resolve }));
      // Someone is waiting: the batch being gathered goes now instead of after its few milliseconds.
      if (!inFlight) {
        if (timer) clearTimeout(timer);
        flush();
      }
      return done;
    },
  };
}
