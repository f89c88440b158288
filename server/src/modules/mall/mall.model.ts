import mongoose, { Schema, type Types } from 'mongoose';
import { DELIVERY_MODES, REDEMPTION_STATUSES, type DeliveryMode, type RedemptionStatus } from '@shared/schemas/points';

/** Goods in the points mall. `stock` = units not yet taken in MongoDB; it moves only by guarded $inc. */
export interface GoodsDoc {
  _id: Types.ObjectId;
  name: string;
  images: string[];
  description: string;
  price: number;
  stock: number;
  perUserLimit: number | null;
  deliveryMode: DeliveryMode;
  /** The counter (outlet scope id) that hands pickup goods over. */
  outletId: string | null;
  activeFrom: Date | null;
  activeUntil: Date | null;
  archivedAt?: Date;
  createdBy: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

const goodsSchema = new Schema<GoodsDoc>(
  {
    name: { type: String, required: true },
    images: { type: [String], default: [] },
    description: { type: String, default: '' },
    price: { type: Number, required: true },
    stock: { type: Number, required: true },
    perUserLimit: { type: Number, default: null },
    deliveryMode: { type: String, enum: DELIVERY_MODES, required: true },
    outletId: { type: String, default: null },
    activeFrom: { type: Date, default: null },
    activeUntil: { type: Date, default: null },
    archivedAt: Date,
    createdBy: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'mall_goods', versionKey: false },
);
goodsSchema.index({ archivedAt: 1, _id: -1 });

export const GoodsModel = mongoose.model<GoodsDoc>('MallGoods', goodsSchema);

/** One redemption: the debit, the code shown as a QR, and what happened to it. */
export interface RedemptionDoc {
  _id: Types.ObjectId;
  goodsId: Types.ObjectId;
  goodsName: string;
  userId: Types.ObjectId;
  price: number;
  deliveryMode: DeliveryMode;
  outletId: string | null;
  status: RedemptionStatus;
  /** Single-use redemption code (unique). */
  code: string;
  /** The client's Idempotency-Key, per user: a retry finds this redemption instead of making another. */
  requestKey: string;
  /** The ledger debit's idempotency key (the refund gives it back). */
  debitKey: string;
  shipping: { name: string; phone: string; address: string } | null;
  createdAt: Date;
  fulfilledAt: Date | null;
  fulfilledBy: Types.ObjectId | null;
  /** The 核销 scan's Idempotency-Key: a retry of that scan (same staff, same key) gets the success again. */
  fulfilledKey?: string;
  cancelledAt: Date | null;
  cancelledBy: Types.ObjectId | null;
  cancelReason: string | null;
}

const redemptionSchema = new Schema<RedemptionDoc>(
  {
    goodsId: { type: Schema.Types.ObjectId, required: true },
    goodsName: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    price: { type: Number, required: true },
    deliveryMode: { type: String, enum: DELIVERY_MODES, required: true },
    outletId: { type: String, default: null },
    status: { type: String, enum: REDEMPTION_STATUSES, required: true },
    code: { type: String, required: true },
    requestKey: { type: String, required: true },
    debitKey: { type: String, required: true },
    shipping: { type: new Schema({ name: String, phone: String, address: String }, { _id: false }), default: null },
    createdAt: { type: Date, required: true },
    fulfilledAt: { type: Date, default: null },
    fulfilledBy: { type: Schema.Types.ObjectId, default: null },
    fulfilledKey: String,
    cancelledAt: { type: Date, default: null },
    cancelledBy: { type: Schema.Types.ObjectId, default: null },
    cancelReason: { type: String, default: null },
  },
  { collection: 'mall_redemptions', versionKey: false },
);
redemptionSchema.index({ code: 1 }, { unique: true });
redemptionSchema.index({ userId: 1, requestKey: 1 }, { unique: true });
// The batched writer checks a batch's keys in one indexed lookup (a retry after the gate's record expired).
redemptionSchema.index({ requestKey: 1 });
redemptionSchema.index({ userId: 1, _id: -1 });
// The admin's list: by status (pending shipments), newest first.
redemptionSchema.index({ status: 1, deliveryMode: 1, _id: -1 });
redemptionSchema.index({ goodsId: 1, userId: 1, status: 1 });

export const RedemptionModel = mongoose.model<RedemptionDoc>('MallRedemption', redemptionSchema);
