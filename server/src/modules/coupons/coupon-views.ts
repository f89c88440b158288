/** How batches, coupons, draws and batch figures are shown (the API's views), as pure functions of the stored docs. */
import type { Types } from 'mongoose';
import type { BatchStats, BatchView, CouponStatus, CouponView, DrawView } from '@shared/schemas/coupons';
import type { CouponBatchDoc, CouponDoc } from './coupons.model';
import { batchPhase } from './coupon-rules';

/** A batch as shown; `remaining` is the gate's live stock (grab batches only). */
export function toBatchView(batch: CouponBatchDoc, remaining: number | null, now: Date): BatchView {
  const v = batch.validity;
  return {
    id: batch._id.toHexString(),
    title: batch.title,
    description: batch.description,
    kind: batch.kind,
    value: batch.value,
    threshold: batch.threshold,
    totalStock: batch.totalStock,
    remaining: batch.mode === 'grab' ? (remaining ?? 0) : null,
    perUserLimit: batch.perUserLimit,
    claimStartsAt: batch.claimStartsAt.toISOString(),
    claimEndsAt: batch.claimEndsAt.toISOString(),
    validity:
      v.type === 'fixed'
        ? { type: 'fixed', from: new Date(v.from).toISOString(), until: new Date(v.until).toISOString() }
        : { type: 'relative', days: v.days },
    issuer: { type: batch.issuerType, merchantId: batch.issuerMerchantId?.toHexString() ?? null },
    merchantIds: batch.merchantIds.map((id) => id.toHexString()),
    mode: batch.mode,
    phase: batchPhase(batch, now),
    createdAt: batch.createdAt.toISOString(),
  };
}

export function toCouponView(doc: CouponDoc): CouponView {
  return {
    id: doc._id.toHexString(),
    batchId: doc.batchId.toHexString(),
    title: doc.title,
    kind: doc.kind,
    value: doc.value,
    threshold: doc.threshold,
    status: doc.status,
    claimedAt: doc.claimedAt.toISOString(),
    validFrom: doc.validFrom.toISOString(),
    validUntil: doc.validUntil.toISOString(),
    redeemedAt: doc.redeemedAt?.toISOString() ?? null,
    redeemedMerchantId: doc.redeemedMerchantId?.toHexString() ?? null,
    merchantIds: doc.merchantIds.map((id) => id.toHexString()),
  };
}

/** A drawn lottery batch's draw (the batch must have one). */
export function toDrawView(batch: CouponBatchDoc): DrawView {
  const d = batch.draw!;
  return {
    batchId: batch._id.toHexString(),
    seed: d.seed,
    entrants: d.entrants.map((e) => e.toHexString()),
    winners: d.winners.map((w) => w.toHexString()),
    drawnAt: d.drawnAt.toISOString(),
  };
}

/** Coupons of a batch counted by status. */
export type StatusCount = { _id: { b: Types.ObjectId; s: CouponStatus }; n: number };

/** A batch's figures from its status counts; `redeemedHere` (null without a merchant) from that merchant's count. */
export function toBatchStats(batch: CouponBatchDoc, counts: StatusCount[], redeemedHere: number | null): BatchStats {
  const id = batch._id.toHexString();
  const of = (s: CouponStatus) => counts.find((c) => c._id.b.toHexString() === id && c._id.s === s)?.n ?? 0;
  const unused = of('unused');
  const redeemed = of('used');
  const expired = of('expired');
  return {
    batchId: id,
    title: batch.title,
    totalStock: batch.totalStock,
    claimed: unused + redeemed + expired,
    redeemed,
    expired,
    unused,
    redeemedHere,
  };
}
