import { createBatchWriter } from '../../core/batch/batch-writer';
import { insertProven } from '../../core/db/insert-proven';
import type { Logger } from '../../core/logger';
import type { CouponGate } from './coupon-gate';
import { CouponModel, type CouponDoc } from './coupons.model';

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
  /** Writes what is queued and stops (retries still waiting are left to reconciliation). */
  close(): Promise<void>;
}

/**
 * Writes the durable records of admitted claims behind the gate. At release time hundreds of claims pass
 * the gate within milliseconds: instead of one insert each, the records admitted within a few
 * milliseconds share one unordered insertMany (core/batch: one in flight at a time, so the next batch grows
 * while MongoDB works), and their pending entries are dropped with one HDEL per batch afterwards.
 *
 * The user has their answer already: the gate's pending entry holds everything the record needs (user,
 * seq, time, code), so a record that can't be written now is retried here and, failing that (or after a
 * crash), written by the reconciliation job from that entry under the same id.
 */
export function createDurableWriter(gate: CouponGate, logger: Logger): DurableWriter {
  async function writeBatch(docs: readonly CouponDoc[]) {
    // Only records proven stored leave the pending log: after a network error the insert's own error can't
    // say which landed (see insertProven), and an entry dropped for a record that never landed is a lost claim.
    const { stored, error } = await insertProven(CouponModel.collection, docs);
    const byBatch = new Map<string, string[]>();
    for (const doc of docs) {
      const claimId = doc._id.toHexString();
      if (!stored.has(claimId)) continue;
      const batchId = doc.batchId.toHexString();
      byBatch.set(batchId, [...(byBatch.get(batchId) ?? []), claimId]);
    }
    // A failed HDEL only leaves pending entries that reconciliation finds already recorded.
    await Promise.all([...byBatch].map(([batchId, ids]) => gate.confirm(batchId, ids))).catch((err: unknown) =>
      logger.warn({ err }, 'coupon pending entries not cleared; reconciliation will'),
    );
    return { failed: docs.filter((d) => !stored.has(d._id.toHexString())), error };
  }

  const writer = createBatchWriter<CouponDoc>({
    write: writeBatch,
    maxBatch: MAX_BATCH,
    lingerMs: FLUSH_MS,
    retryDelaysMs: RETRY_DELAYS_MS,
    onFailure(docs, err, { attempt, retryInMs }) {
      for (const doc of docs) {
        const ids = { batchId: doc.batchId.toHexString(), claimId: doc._id.toHexString(), attempt };
        // Given up, the admission stays in the pending log: reconciliation writes the record, so the user keeps it.
        if (retryInMs === null) logger.error({ err, ...ids }, 'coupon record not written; left to reconciliation');
        else logger.warn({ err, ...ids }, 'coupon record not written; retrying');
      }
    },
  });

  return {
    write(doc) {
      void writer.write(doc);
    },
    idle: () => writer.idle(),
    close: () => writer.close(),
  };
}
