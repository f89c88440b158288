import { Types } from 'mongoose';
import type { CouponView } from '@shared/schemas/coupons';
import type { RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { BatchStore } from './batch-store';
import type { CouponGate } from './coupon-gate';
import { claimWindowRefusal, couponRecord, newCode, recordFromPending, type ClaimRefusal } from './coupon-rules';
import { toCouponView } from './coupon-views';
import { CouponModel, type CouponDoc } from './coupons.model';
import type { DurableWriter } from './durable-writer';
import { GATE_REBUILD_QUIET_MS, type GateRecovery } from './gate-recovery';

export type ClaimResult = { ok: true; coupon: CouponView; remaining: number; replayed: boolean } | { ok: false; refusal: ClaimRefusal };

export interface GrabDeps {
  clock: Clock;
  gate: CouponGate;
  store: BatchStore;
  recovery: GateRecovery;
  durable: DurableWriter;
}

/** The grab: a claim on a grab batch, answered at the Redis gate, its record written behind it. */
export function createGrab({ clock, gate, store, recovery, durable }: GrabDeps) {
  return {
    /**
     * The grab: window check, then the Redis gate (stock + per-user quota in one step, the admission logged
     * with everything its record needs), and the answer at once: the coupon, or why not (a ClaimRefusal:
     * COUPON_SOLD_OUT / COUPON_LIMIT_REACHED / COUPON_NOT_STARTED / COUPON_ENDED, or COUPON_GATE_RECOVERING for a few
     * seconds after Redis lost the gate). The durable record follows within
     * milliseconds (batched) — or, after a crash, from reconciliation — under the same id and code.
     *
     * `requestKey` (the client's Idempotency-Key) makes a retry safe: the same user and key on this batch
     * get the first claim's coupon back (`replayed: true`), never a second one.
     */
    async claim(actor: RoleHolder, batchId: string, requestKey: string | null = null): Promise<ClaimResult> {
      const batch = await store.mustFindBatch(batchId, true);
      if (batch.mode === 'lottery') throw new AppError('COUPON_LOTTERY_ONLY');
      const now = clock.now();
      const outside = claimWindowRefusal(batch, now);
      if (outside) return { ok: false, refusal: outside };
      const claimId = new Types.ObjectId();
      const admission = {
        userId: actor.id,
        perUserLimit: batch.perUserLimit,
        claimId: claimId.toHexString(),
        now,
        code: newCode(),
        requestKey,
      };
      let outcome = await gate.admit(batchId, admission);
      if (!outcome.ok && outcome.reason === 'no_gate') {
        if (!(await recovery.lossSettled(batchId)))
          return { ok: false, refusal: { code: 'COUPON_GATE_RECOVERING', details: { retryAfterSeconds: GATE_REBUILD_QUIET_MS / 1000 } } };
        await recovery.rebuild(batch);
        outcome = await gate.admit(batchId, admission);
      }
      if (!outcome.ok) {
        if (outcome.reason === 'sold_out') return { ok: false, refusal: { code: 'COUPON_SOLD_OUT', details: { remaining: 0 } } };
        if (outcome.reason === 'limit_reached')
          return {
            ok: false,
            refusal: {
              code: 'COUPON_LIMIT_REACHED',
              message: `每人限领 ${batch.perUserLimit} 张，你已领取 ${outcome.count} 张`,
              details: { perUserLimit: batch.perUserLimit, claimed: outcome.count },
            },
          };
        throw new AppError('SERVICE_UNAVAILABLE');
      }
      if (outcome.replay) {
        // The same request again: its coupon, from the pending log while unrecorded, else from MongoDB.
        const doc = outcome.pending
          ? recordFromPending(batch, outcome.pending, 'grab')
          : await CouponModel.findById(outcome.claimId).lean<CouponDoc>();
        if (!doc) throw new AppError('COUPON_CLAIM_PENDING', { details: { claimId: outcome.claimId } });
        return { ok: true, coupon: toCouponView(doc), remaining: outcome.remaining, replayed: true };
      }
      const doc = couponRecord(batch, claimId, actor.id, outcome.seq, now, 'grab', admission.code, requestKey);
      durable.write(doc);
      return { ok: true, coupon: toCouponView(doc), remaining: outcome.remaining, replayed: false };
    },

    /** Resolves once the records of claims this service answered so far have been written (or failed). */
    async settled(): Promise<void> {
      await durable.idle();
    },
    /** The same as settled() (the name every service with a writer has). */
    idle: (): Promise<void> => durable.idle(),
    /** Shutdown: writes what is queued; anything not written stays pending for reconciliation. */
    close: (): Promise<void> => durable.close(),
  };
}
