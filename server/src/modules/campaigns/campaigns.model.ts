import mongoose, { Schema, type Types } from 'mongoose';

export interface CampaignDoc {
  _id: Types.ObjectId;
  title: string;
  description: string;
  cover?: string;
  /** Unique: the value correspondents put in a submission's `campaign` field. */
  tag: string;
  startsAt: Date;
  endsAt: Date;
  targetCircleIds: Types.ObjectId[];
  bonusPoints: number;
  createdBy: Types.ObjectId;
  createdAt: Date;
}
const campaignSchema = new Schema<CampaignDoc>(
  {
    title: { type: String, required: true },
    description: { type: String, required: true },
    cover: String,
    tag: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    targetCircleIds: { type: [Schema.Types.ObjectId], default: [] },
    bonusPoints: { type: Number, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'campaigns', versionKey: false, strict: 'throw' },
);
campaignSchema.index({ tag: 1 }, { unique: true });
campaignSchema.index({ endsAt: 1 });
export const CampaignModel = mongoose.model<CampaignDoc>('Campaign', campaignSchema);

/**
 * One row per (campaign, person) notified or (campaign, submission) paid a bonus: `_id` is the key, so
 * a retried launch or a second job run never sends or pays twice.
 */
export interface CampaignMarkDoc {
  _id: string;
  kind: 'notice' | 'bonus';
  outcome: 'sent' | 'not_subscribed' | 'paid' | 'capped' | 'pending';
  at: Date;
}
const markSchema = new Schema<CampaignMarkDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['notice', 'bonus'], required: true },
    outcome: { type: String, enum: ['sent', 'not_subscribed', 'paid', 'capped', 'pending'], required: true },
    at: { type: Date, required: true },
  },
  { collection: 'campaign_marks', versionKey: false, strict: 'throw' },
);
export const CampaignMarkModel = mongoose.model<CampaignMarkDoc>('CampaignMark', markSchema);
