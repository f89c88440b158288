import type { Types } from 'mongoose';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { CouponGate } from './coupon-gate';
import { CouponModel, type CouponBatchDoc } from './coupons.model';
import { RETRY_DELAYS_MS, type DurableWriter } from './durable-writer';

/**
 * How long a lost gate (a Redis data loss) stays closed before it is rebuilt from MongoDB's records: every
 * process's durable writer flushes within milliseconds and retries a failed insert after RETRY_DELAYS_MS
 * (1 s, then 5 s), so 2 s after the last retry the claims other processes answered before the loss are in
 * MongoDB and counted as issued.
 */
export const GATE_REBUILD_QUIET_MS = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) + 2_000;

export interface GateRecoveryDeps {
  clock: Clock;
  logger: Logger;
  gate: CouponGate;
  durable: DurableWriter;
}

export type GateRecovery = ReturnType<typeof createGateRecovery>;

/** Bringing back a grab batch's gate after Redis lost it: wait for the other processes' writes, then rebuild from MongoDB. */
export function createGateRecovery({ clock, logger, gate, durable }: GateRecoveryDeps) {
  return {
    /**
     * Whether a lost gate has been missing for GATE_REBUILD_QUIET_MS (counted from its first sighting by any
     * process), so that records other processes still held in their writers' queues are in MongoDB and in
     * the count the rebuild takes. Until then claims are refused with COUPON_GATE_RECOVERING.
     */
    async lossSettled(batchId: string): Promise<boolean> {
      const now = clock.now().getTime();
      return now - (await gate.lostSince(batchId, now)) >= GATE_REBUILD_QUIET_MS;
    },

    /** Rebuilds a grab batch's gate from MongoDB's records (Redis lost it), request keys included. */
    async rebuild(batch: CouponBatchDoc): Promise<boolean> {
      // Records this process answered but has not written yet must be counted as issued.
      await durable.idle();
      const perUser = await CouponModel.aggregate<{ _id: Types.ObjectId; count: number; lastSeq: number }>([
        { $match: { batchId: batch._id } },
        { $group: { _id: '$userId', count: { $sum: 1 }, lastSeq: { $max: '$seq' } } },
      ]);
      const keyed = await CouponModel.find({ batchId: batch._id, requestKey: { $exists: true } }, { userId: 1, requestKey: 1 }).lean<
        Array<{ _id: Types.ObjectId; userId: Types.ObjectId; requestKey: string }>
      >();
      const issued = perUser.reduce((sum, u) => sum + u.count, 0);
      const rebuilt = await gate.init(
        batch._id.toHexString(),
        batch.totalStock - issued,
        perUser.map((u) => ({ userId: u._id.toHexString(), count: u.count, lastSeq: u.lastSeq })),
        keyed.map((k) => ({ userId: k.userId.toHexString(), requestKey: k.requestKey, claimId: k._id.toHexString() })),
      );
      if (rebuilt) logger.warn({ batchId: batch._id.toHexString(), issued }, 'coupon gate rebuilt from MongoDB');
      await gate.forgetLoss(batch._id.toHexString());
      return rebuilt;
    },
  };
}
