import mongoose, { Schema, type Types } from 'mongoose';
import { COUPON_KINDS, COUPON_STATUSES, RELEASE_MODES, type CouponKind, type CouponStatus } from '@shared/schemas/coupons';

export interface CouponBatchDoc {
  _id: Types.ObjectId;
  title: string;
  description: string;
  kind: CouponKind;
  value: number;
  threshold: number;
  totalStock: number;
  perUserLimit: number;
  claimStartsAt: Date;
  claimEndsAt: Date;
  validity: { type: 'fixed'; from: Date; until: Date } | { type: 'relative'; days: number };
  issuerType: 'merchant' | 'government';
  /** The issuing merchant (merchant batches only). */
  issuerMerchantId?: Types.ObjectId;
  /** Where the coupon can be used: the issuer, or the government batch's participating merchants. */
  merchantIds: Types.ObjectId[];
  mode: (typeof RELEASE_MODES)[number];
  /** Lottery batches, once drawn: the recorded seed and the sorted entrant list it was applied to. */
  draw?: { seed: string; entrants: Types.ObjectId[]; winners: Types.ObjectId[]; drawnAt: Date; drawnBy?: Types.ObjectId };
  createdBy: Types.ObjectId;
  createdAt: Date;
}

const batchSchema = new Schema<CouponBatchDoc>(
  {
    title: { type: String, required: true },
    description: { type: String, default: '' },
    kind: { type: String, enum: COUPON_KINDS, required: true },
    value: { type: Number, required: true },
    threshold: { type: Number, required: true },
    totalStock: { type: Number, required: true },
    perUserLimit: { type: Number, required: true },
    claimStartsAt: { type: Date, required: true },
    claimEndsAt: { type: Date, required: true },
    validity: { type: Schema.Types.Mixed, required: true },
    issuerType: { type: String, enum: ['merchant', 'government'], required: true },
    issuerMerchantId: Schema.Types.ObjectId,
    merchantIds: { type: [Schema.Types.ObjectId], required: true },
    mode: { type: String, enum: RELEASE_MODES, required: true },
    draw: {
      type: new Schema(
        {
          seed: String,
          entrants: [Schema.Types.ObjectId],
          winners: [Schema.Types.ObjectId],
          drawnAt: Date,
          drawnBy: Schema.Types.ObjectId,
        },
        { _id: false },
      ),
    },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'coupon_batches', versionKey: false, strict: 'throw' },
);
batchSchema.index({ claimEndsAt: 1 });
batchSchema.index({ claimStartsAt: 1, _id: 1 }); // 领券中心, paged by claim start
batchSchema.index({ merchantIds: 1 });
export const CouponBatchModel = mongoose.model<CouponBatchDoc>('CouponBatch', batchSchema);

/**
 * One issued coupon: the durable record of a claim the Redis gate admitted. Its _id IS the claim id the
 * gate logged, so writing it twice (request + reconciliation) fails on the primary key instead of
 * issuing twice; (batchId, userId, seq) is unique as well.
 */
export interface CouponDoc {
  _id: Types.ObjectId;
  batchId: Types.ObjectId;
  userId: Types.ObjectId;
  /** The user's n-th admission in this batch (never reused, even when stock is given back). */
  seq: number;
  /** Unguessable redemption code, shown as a QR code. */
  code: string;
  status: CouponStatus;
  // Copied from the batch: 我的券 and redemption read one document.
  title: string;
  kind: CouponKind;
  value: number;
  threshold: number;
  merchantIds: Types.ObjectId[];
  claimedAt: Date;
  validFrom: Date;
  validUntil: Date;
  /** 'grab' (through the gate), 'lottery' (a draw's winner), 'reconciled' (written from the gate's pending log). */
  source: 'grab' | 'lottery' | 'reconciled';
  /** The client's Idempotency-Key of the grab, so a gate rebuilt from MongoDB still recognises a retry. */
  requestKey?: string;
  redeemedAt?: Date;
  redeemedBy?: Types.ObjectId;
  redeemedMerchantId?: Types.ObjectId;
  /** The scan's Idempotency-Key: a retry of that scan (same clerk, same key) gets the success again. */
  redeemKey?: string;
  orderAmount?: number;
  remindedAt?: Date;
  expiredAt?: Date;
}

const couponSchema = new Schema<CouponDoc>(
  {
    batchId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    code: { type: String, required: true },
    status: { type: String, enum: COUPON_STATUSES, required: true },
    title: { type: String, required: true },
    kind: { type: String, enum: COUPON_KINDS, required: true },
    value: { type: Number, required: true },
    threshold: { type: Number, required: true },
    merchantIds: { type: [Schema.Types.ObjectId], required: true },
    claimedAt: { type: Date, required: true },
    validFrom: { type: Date, required: true },
    validUntil: { type: Date, required: true },
    source: { type: String, enum: ['grab', 'lottery', 'reconciled'], required: true },
    requestKey: String,
    redeemedAt: Date,
    redeemedBy: Schema.Types.ObjectId,
    redeemedMerchantId: Schema.Types.ObjectId,
    redeemKey: String,
    orderAmount: Number,
    remindedAt: Date,
    expiredAt: Date,
  },
  { collection: 'coupons', versionKey: false, strict: 'throw' },
);
couponSchema.index({ batchId: 1, userId: 1, seq: 1 }, { unique: true });
couponSchema.index({ code: 1 }, { unique: true });
couponSchema.index({ userId: 1, claimedAt: -1 });
couponSchema.index({ status: 1, validUntil: 1 });
couponSchema.index({ batchId: 1, status: 1 });
export const CouponModel = mongoose.model<CouponDoc>('Coupon', couponSchema);

/** A lottery batch's sign-ups: one per person (the unique index holds under concurrent taps). */
export interface LotteryEntryDoc {
  _id: Types.ObjectId;
  batchId: Types.ObjectId;
  userId: Types.ObjectId;
  createdAt: Date;
}
const entrySchema = new Schema<LotteryEntryDoc>(
  {
    batchId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'coupon_lottery_entries', versionKey: false, strict: 'throw' },
);
entrySchema.index({ batchId: 1, userId: 1 }, { unique: true });
export const LotteryEntryModel = mongoose.model<LotteryEntryDoc>('CouponLotteryEntry', entrySchema);
