import mongoose, { Schema, type Types } from 'mongoose';
import {
  MERCHANT_CATEGORIES,
  MERCHANT_STATES,
  PROMOTION_KINDS,
  PROMOTION_STATES,
  type MerchantCategory,
  type MerchantState,
} from '@shared/schemas/merchants';

export interface MerchantDoc {
  _id: Types.ObjectId;
  name: string;
  category: MerchantCategory;
  address: string;
  location: { lng: number; lat: number };
  hours: string;
  phone: string;
  photos: string[];
  intro: string;
  licenceNo: string;
  /** The applicant's upload (storage module): shown to them and the reviewing editors only. Absent on older applications. */
  licencePhotoFileId?: Types.ObjectId;
  ownerId: Types.ObjectId;
  /** Equal to ownerId while pending: its unique index allows one pending application per person. */
  pendingOf?: Types.ObjectId;
  state: MerchantState;
  reason?: string;
  decidedBy?: Types.ObjectId;
  decidedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const merchantSchema = new Schema<MerchantDoc>(
  {
    name: { type: String, required: true },
    category: { type: String, enum: MERCHANT_CATEGORIES, required: true },
    address: { type: String, required: true },
    location: { type: new Schema({ lng: Number, lat: Number }, { _id: false }), required: true },
    hours: { type: String, required: true },
    phone: { type: String, required: true },
    photos: { type: [String], default: [] },
    intro: { type: String, default: '' },
    licenceNo: { type: String, required: true },
    licencePhotoFileId: { type: Schema.Types.ObjectId },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    pendingOf: { type: Schema.Types.ObjectId },
    state: { type: String, enum: MERCHANT_STATES, required: true },
    reason: String,
    decidedBy: Schema.Types.ObjectId,
    decidedAt: Date,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'merchants', versionKey: false, strict: 'throw' },
);
merchantSchema.index({ pendingOf: 1 }, { unique: true, partialFilterExpression: { pendingOf: { $exists: true } } });
merchantSchema.index({ state: 1, category: 1 });
merchantSchema.index({ ownerId: 1 });
export const MerchantModel = mongoose.model<MerchantDoc>('Merchant', merchantSchema);

export interface PromotionDoc {
  _id: Types.ObjectId;
  merchantId: Types.ObjectId;
  authorId: Types.ObjectId;
  kind: (typeof PROMOTION_KINDS)[number];
  title: string;
  body: string;
  photos: string[];
  startsAt?: Date;
  endsAt?: Date;
  state: (typeof PROMOTION_STATES)[number];
  textSafety: 'pass' | 'review' | 'risky';
  reason?: string;
  reviewedBy?: Types.ObjectId;
  reviewedAt?: Date;
  publishedAt?: Date;
  /** The feed article (企业之家 column) made when the promotion was published. */
  articleId?: Types.ObjectId;
  createdAt: Date;
}

const promotionSchema = new Schema<PromotionDoc>(
  {
    merchantId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: PROMOTION_KINDS, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    photos: { type: [String], default: [] },
    startsAt: Date,
    endsAt: Date,
    state: { type: String, enum: PROMOTION_STATES, required: true },
    textSafety: { type: String, enum: ['pass', 'review', 'risky'], required: true },
    reason: String,
    reviewedBy: Schema.Types.ObjectId,
    reviewedAt: Date,
    publishedAt: Date,
    articleId: Schema.Types.ObjectId,
    createdAt: { type: Date, required: true },
  },
  { collection: 'promotions', versionKey: false, strict: 'throw' },
);
promotionSchema.index({ merchantId: 1, createdAt: -1 });
promotionSchema.index({ state: 1, createdAt: -1 });
promotionSchema.index({ state: 1, publishedAt: -1, _id: -1 }); // the 企业之家 column, paged by publication
export const PromotionModel = mongoose.model<PromotionDoc>('Promotion', promotionSchema);
