import mongoose, { Schema, type Types } from 'mongoose';
import { EARN_SOURCES, POINTS_SOURCES, type EarnSource, type PointsSource } from '@shared/schemas/points';
import { retireIndexes } from '../../core/db';

/**
 * One ledger entry. Append-only: amount, source, reason, ref and key never change. A credit is also a
 * lot: `remaining` is what is left of it to spend (FIFO by `expiresAt`) and the only field ever updated,
 * inside the same transaction that writes the debit or expiry entry consuming it.
 */
export interface PointsEntryDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  /** Signed integer. */
  amount: number;
  source: PointsSource;
  reason: string;
  refType?: string;
  refId?: string;
  /** Unique: the same cause never pays (or debits) twice. */
  idempotencyKey: string;
  /** Asia/Shanghai day (YYYY-MM-DD) and month (YYYY-MM) of the entry, for caps. */
  day: string;
  month: string;
  /** Credits: when the lot lapses; what is left of it; whether the 7-day notice went out. */
  expiresAt?: Date;
  remaining?: number;
  /** Credits with something left to spend (unset when `remaining` reaches 0): the mall's batched writer finds them by index. */
  open?: boolean;
  noticeSentAt?: Date;
  /** Debits and expiries: which lots they consumed, so a refund can restore the same expiry dates. */
  lots?: Array<{ entryId: Types.ObjectId; amount: number; expiresAt: Date }>;
  balanceAfter: number;
  createdAt: Date;
}

const entrySchema = new Schema<PointsEntryDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    amount: { type: Number, required: true },
    source: { type: String, enum: POINTS_SOURCES, required: true },
    reason: { type: String, required: true },
    refType: String,
    refId: String,
    idempotencyKey: { type: String, required: true },
    day: { type: String, required: true },
    month: { type: String, required: true },
    expiresAt: Date,
    remaining: Number,
    open: Boolean,
    noticeSentAt: Date,
    lots: {
      type: [new Schema({ entryId: Schema.Types.ObjectId, amount: Number, expiresAt: Date }, { _id: false })],
      default: undefined,
    },
    balanceAfter: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'points_entries', versionKey: false },
);

// Every query on this collection has one of these (every debit pays for each, so there are no more):
//   idempotencyKey           the same cause never pays twice (unique)
//   userId, _id              the ledger page, newest first (and any per-user read)
//   userId, source, day      earning caps: the day, and the month as $in over its days (no month index)
//   userId, open             the mall's batched writer: a user's open lots
// Open lots by expiry, FIFO per user and the expiry / notice jobs across users: only credits with something
// left (partial on remaining > 0, implied by each of those queries), so debits and spent lots skip them.
entrySchema.index({ idempotencyKey: 1 }, { unique: true });
entrySchema.index({ userId: 1, _id: -1 });
// The daily roll-up (stats) totals one day's entries per source.
entrySchema.index({ day: 1, source: 1 });
entrySchema.index({ userId: 1, source: 1, day: 1 });
entrySchema.index({ userId: 1, open: 1 });
const openLot = { remaining: { $gt: 0 } };
entrySchema.index({ userId: 1, remaining: 1, expiresAt: 1 }, { name: 'open_lots_by_user', partialFilterExpression: openLot });
entrySchema.index({ remaining: 1, expiresAt: 1 }, { name: 'open_lots_by_expiry', partialFilterExpression: openLot });

export const PointsEntryModel = mongoose.model<PointsEntryDoc>('PointsEntry', entrySchema);
// Declared before the open-lot indexes became partial and the month cap read the day index.
retireIndexes('PointsEntry', ['userId_1_source_1_month_1', 'userId_1_remaining_1_expiresAt_1', 'remaining_1_expiresAt_1']);

/** The materialised balance: always the sum of the user's entries, written in the same transaction. */
export interface PointsAccountDoc {
  /** The user's id. */
  _id: Types.ObjectId;
  balance: number;
  updatedAt: Date;
}

const accountSchema = new Schema<PointsAccountDoc>(
  {
    balance: { type: Number, required: true, default: 0 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'points_accounts', versionKey: false },
);

export const PointsAccountModel = mongoose.model<PointsAccountDoc>('PointsAccount', accountSchema);

/** Earning rule per source, set by admins. Missing rule → the defaults in points.service.ts. */
export interface PointsRuleDoc {
  _id: EarnSource;
  amount: number;
  dailyCap: number | null;
  monthlyCap: number | null;
  enabled: boolean;
  updatedAt: Date;
  updatedBy?: Types.ObjectId | null;
}

const ruleSchema = new Schema<PointsRuleDoc>(
  {
    _id: { type: String, enum: EARN_SOURCES },
    amount: { type: Number, required: true },
    dailyCap: { type: Number, default: null },
    monthlyCap: { type: Number, default: null },
    enabled: { type: Boolean, required: true, default: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: Schema.Types.ObjectId, default: null },
  },
  { collection: 'points_rules', versionKey: false },
);

export const PointsRuleModel = mongoose.model<PointsRuleDoc>('PointsRule', ruleSchema);

/** Module-wide settings admins change (one document, `_id: 'global'`). */
export interface PointsSettingsDoc {
  _id: string;
  expiryDays: number;
  updatedAt: Date;
}

const settingsSchema = new Schema<PointsSettingsDoc>(
  {
    _id: { type: String },
    expiryDays: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'points_settings', versionKey: false },
);

export const PointsSettingsModel = mongoose.model<PointsSettingsDoc>('PointsSettings', settingsSchema);
