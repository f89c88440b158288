import mongoose, { Schema, type Types } from 'mongoose';
import { APPLICATION_STATES, CHANNEL_KINDS, type ApplicationState } from '@shared/schemas/newsroom';

export interface CircleDoc {
  _id: Types.ObjectId;
  name: string;
  description: string;
  leaderIds: Types.ObjectId[];
  /** Approved correspondents of this circle. */
  memberIds: Types.ObjectId[];
  announcements: Array<{ text: string; at: Date; by: Types.ObjectId }>;
  createdAt: Date;
  updatedAt: Date;
}
const circleSchema = new Schema<CircleDoc>(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    leaderIds: { type: [Schema.Types.ObjectId], default: [] },
    memberIds: { type: [Schema.Types.ObjectId], default: [] },
    announcements: {
      type: [new Schema({ text: String, at: Date, by: Schema.Types.ObjectId }, { _id: false })],
      default: [],
    },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'circles', versionKey: false, strict: 'throw' },
);
circleSchema.index({ name: 1 }, { unique: true });
circleSchema.index({ memberIds: 1 });
// The paged list (GET /api/v1/circles): oldest first by (createdAt, _id).
circleSchema.index({ createdAt: 1, _id: 1 });
export const CircleModel = mongoose.model<CircleDoc>('Circle', circleSchema);

/** 单位分端: a unit's own channel; its admins' pieces take the lighter review lane. */
export interface ChannelDoc {
  _id: Types.ObjectId;
  name: string;
  kind: (typeof CHANNEL_KINDS)[number];
  adminIds: Types.ObjectId[];
  createdAt: Date;
}
const channelSchema = new Schema<ChannelDoc>(
  {
    name: { type: String, required: true },
    kind: { type: String, enum: CHANNEL_KINDS, required: true },
    adminIds: { type: [Schema.Types.ObjectId], default: [] },
    createdAt: { type: Date, required: true },
  },
  { collection: 'channels', versionKey: false, strict: 'throw' },
);
channelSchema.index({ name: 1 }, { unique: true });
channelSchema.index({ adminIds: 1 });
export const ChannelModel = mongoose.model<ChannelDoc>('Channel', channelSchema);

export interface ApplicationDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  /** Equal to userId while pending, unset once decided: its unique index allows one pending application per person. */
  pendingOf?: Types.ObjectId;
  realName: string;
  /** Masked bound phone at the time of applying (the full number stays on the user). */
  phone: string;
  circleId: Types.ObjectId;
  district: string;
  system: string;
  domain: string;
  intro: string;
  samples: string[];
  state: ApplicationState;
  decidedBy?: Types.ObjectId;
  decidedAt?: Date;
  reason?: string;
  createdAt: Date;
}
const applicationSchema = new Schema<ApplicationDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    pendingOf: Schema.Types.ObjectId,
    realName: { type: String, required: true },
    phone: { type: String, required: true },
    circleId: { type: Schema.Types.ObjectId, required: true },
    district: { type: String, required: true },
    system: { type: String, required: true },
    domain: { type: String, required: true },
    intro: { type: String, required: true },
    samples: { type: [String], default: [] },
    state: { type: String, enum: APPLICATION_STATES, required: true },
    decidedBy: Schema.Types.ObjectId,
    decidedAt: Date,
    reason: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'correspondent_applications', versionKey: false, strict: 'throw' },
);
applicationSchema.index({ pendingOf: 1 }, { unique: true, sparse: true });
applicationSchema.index({ circleId: 1, state: 1, createdAt: 1 });
applicationSchema.index({ userId: 1, createdAt: -1 });
export const ApplicationModel = mongoose.model<ApplicationDoc>('CorrespondentApplication', applicationSchema);
