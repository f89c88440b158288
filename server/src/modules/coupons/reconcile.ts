import { Types } from 'mongoose';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import type { CouponGate } from './coupon-gate';
import { DAY_MS, recordFromPending } from './coupon-rules';
import { CouponBatchModel, CouponModel, type CouponBatchDoc } from './coupons.model';
import type { GateRecovery } from './gate-recovery';
import { issueLotteryCoupons } from './lottery-release';

/** A pending admission younger than this may still be on its way to MongoDB: reconciliation leaves it alone. */
export const RECONCILE_GRACE_MS = 30_000;

export interface ReconcileReport {
  rebuilt: number;
  confirmed: number;
  written: number;
  released: number;
  dropped: number;
}

export interface ReconcileDeps {
  clock: Clock;
  gate: CouponGate;
  recovery: GateRecovery;
}

/** The reconciliation job's work: Redis's gates and MongoDB's records agree again after crashes and data loss. */
export function createReconcile({ clock, gate, recovery }: ReconcileDeps) {
  return {
    /**
     * Makes Redis and MongoDB agree again. For each recent grab batch: a missing gate is rebuilt from the
     * records; each pending admission older than the grace period either already has its record (the
     * crash came after the write: just drop the entry) or gets it now, written from the pending log under
     * the same claim id (so a late original write can't add a second one).
     */
    async reconcile(now: Date = clock.now()): Promise<ReconcileReport> {
      const report = { rebuilt: 0, confirmed: 0, written: 0, released: 0, dropped: 0 };
      const batches = await CouponBatchModel.find({ mode: 'grab', claimEndsAt: { $gt: new Date(now.getTime() - 7 * DAY_MS) } }).lean<
        CouponBatchDoc[]
      >();
      for (const batch of batches) {
        const batchId = batch._id.toHexString();
        const settled = now.getTime() - batch.claimEndsAt.getTime() > DAY_MS;
        if (!(await gate.exists(batchId))) {
          // A gate that vanished while claims may still come is rebuilt; a settled batch's stays gone.
          if (!settled && (await recovery.lossSettled(batchId)) && (await recovery.rebuild(batch))) report.rebuilt += 1;
          continue;
        }
        for (const p of await gate.pending(batchId)) {
          if (now.getTime() - p.admittedAt.getTime() < RECONCILE_GRACE_MS) continue;
          if (!Types.ObjectId.isValid(p.claimId) || !Types.ObjectId.isValid(p.userId)) {
            if (await gate.release(batchId, p.claimId)) report.released += 1;
            continue;
          }
          if (await CouponModel.exists({ _id: oid(p.claimId) })) {
            await gate.confirm(batchId, [p.claimId]);
            report.confirmed += 1;
            continue;
          }
          try {
            await CouponModel.collection.insertOne(recordFromPending(batch, p, 'reconciled'));
            report.written += 1;
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
            // Same (batch, user, seq) under another id can only mean this admission is a stale duplicate.
            if (!(await CouponModel.exists({ _id: oid(p.claimId) }))) {
              if (await gate.release(batchId, p.claimId)) report.released += 1;
              continue;
            }
            report.confirmed += 1;
          }
          await gate.confirm(batchId, [p.claimId]);
        }
        // A day after the window closed, with nothing pending, the gate has done its work: free Redis.
        if (settled && (await gate.pending(batchId)).length === 0 && (await gate.drop(batchId))) report.dropped += 1;
      }
      // Lottery draws whose coupons were not all issued (a crash right after the draw was recorded).
      const drawn = await CouponBatchModel.find({ mode: 'lottery', 'draw.drawnAt': { $gt: new Date(now.getTime() - 7 * DAY_MS) } }).lean<
        CouponBatchDoc[]
      >();
      for (const batch of drawn) {
        const have = await CouponModel.countDocuments({ batchId: batch._id });
        if (have < (batch.draw?.winners.length ?? 0)) report.written += await issueLotteryCoupons(batch);
      }
      return report;
    },
  };
}
