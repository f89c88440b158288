import mongoose, { Schema, type Types } from 'mongoose';
import {
  AUDIENCES,
  JOIN_REQUEST_STATES,
  SIGNUP_STATES,
  type Audience,
  type JoinRequestState,
  type SignupState,
} from '@shared/schemas/volunteers';

export interface TeamDoc {
  _id: Types.ObjectId;
  name: string;
  area: string;
  description: string;
  leaderIds: Types.ObjectId[];
  /** Approved volunteers (the `volunteer` role scoped to this team is granted alongside). */
  memberIds: Types.ObjectId[];
  createdAt: Date;
  updatedAt: Date;
}
const teamSchema = new Schema<TeamDoc>(
  {
    name: { type: String, required: true },
    area: { type: String, required: true },
    description: { type: String, default: '' },
    leaderIds: { type: [Schema.Types.ObjectId], default: [] },
    memberIds: { type: [Schema.Types.ObjectId], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'volunteer_teams', versionKey: false, strict: 'throw' },
);
teamSchema.index({ name: 1 }, { unique: true });
teamSchema.index({ memberIds: 1 });
teamSchema.index({ leaderIds: 1 });
export const TeamModel = mongoose.model<TeamDoc>('VolunteerTeam', teamSchema);

export interface JoinRequestDoc {
  _id: Types.ObjectId;
  teamId: Types.ObjectId;
  userId: Types.ObjectId;
  /** `${teamId}:${userId}` while pending, unset once decided: one pending request per person and team. */
  pendingKey?: string;
  message: string;
  state: JoinRequestState;
  decidedBy?: Types.ObjectId;
  decidedAt?: Date;
  reason?: string;
  createdAt: Date;
}
const joinRequestSchema = new Schema<JoinRequestDoc>(
  {
    teamId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    pendingKey: String,
    message: { type: String, default: '' },
    state: { type: String, enum: JOIN_REQUEST_STATES, required: true },
    decidedBy: Schema.Types.ObjectId,
    decidedAt: Date,
    reason: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'volunteer_join_requests', versionKey: false, strict: 'throw' },
);
joinRequestSchema.index({ pendingKey: 1 }, { unique: true, sparse: true });
joinRequestSchema.index({ teamId: 1, state: 1, createdAt: 1 });
export const JoinRequestModel = mongoose.model<JoinRequestDoc>('VolunteerJoinRequest', joinRequestSchema);

export interface ActivityDoc {
  _id: Types.ObjectId;
  teamId: Types.ObjectId;
  title: string;
  description: string;
  placeName: string;
  geofence?: { lat: number; lng: number; radiusM: number };
  startAt: Date;
  endAt: Date;
  capacity: number;
  /** capacity − confirmed sign-ups: taken by a conditional `$inc` so concurrent sign-ups never overfill. */
  seatsLeft: number;
  signUpDeadline: Date;
  audience: Audience;
  points: { mode: 'per_hour'; perHour: number } | { mode: 'fixed'; amount: number };
  checkInOpensMinutesBefore: number;
  createdBy: Types.ObjectId;
  createdAt: Date;
}
const activitySchema = new Schema<ActivityDoc>(
  {
    teamId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    placeName: { type: String, required: true },
    geofence: { type: new Schema({ lat: Number, lng: Number, radiusM: Number }, { _id: false }), required: false },
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    capacity: { type: Number, required: true },
    seatsLeft: { type: Number, required: true },
    signUpDeadline: { type: Date, required: true },
    audience: { type: String, enum: AUDIENCES, required: true },
    points: { type: Schema.Types.Mixed, required: true },
    checkInOpensMinutesBefore: { type: Number, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'volunteer_activities', versionKey: false, strict: 'throw' },
);
activitySchema.index({ endAt: 1 });
activitySchema.index({ teamId: 1, startAt: -1 });
activitySchema.index({ startAt: 1, _id: 1 }); // the activity list, paged by start time
export const ActivityModel = mongoose.model<ActivityDoc>('VolunteerActivity', activitySchema);

export interface CorrectionDoc {
  by: Types.ObjectId;
  at: Date;
  reason: string;
  /** The times after the correction. */
  checkInAt: Date | null;
  checkOutAt: Date | null;
}

export interface SignupDoc {
  _id: Types.ObjectId;
  activityId: Types.ObjectId;
  userId: Types.ObjectId;
  state: SignupState;
  /** Waitlist order (and sign-up time). */
  queuedAt: Date;
  checkInAt?: Date;
  checkInMethod?: 'dynamic' | 'printed';
  checkInDistanceM?: number;
  checkOutAt?: Date;
  checkOutDistanceM?: number;
  /** Service minutes, clipped to the activity's span; set at check-out and by corrections. */
  minutes?: number;
  corrections: CorrectionDoc[];
  confirmedAt?: Date;
  confirmedBy?: Types.ObjectId;
  pointsAwarded: number;
  pointsEntryId?: string;
  /** The volunteer was answered "候补" (waitlisted): a later move up earns them a subscribe message. */
  toldWaitlisted?: boolean;
  /** When the reminder a day before (or, caught up late, superseded by the hour's) and the hour before were claimed. */
  remindedDayAt?: Date;
  remindedHourAt?: Date;
  createdAt: Date;
}
const signupSchema = new Schema<SignupDoc>(
  {
    activityId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    state: { type: String, enum: SIGNUP_STATES, required: true },
    queuedAt: { type: Date, required: true },
    checkInAt: Date,
    checkInMethod: { type: String, enum: ['dynamic', 'printed'] },
    checkInDistanceM: Number,
    checkOutAt: Date,
    checkOutDistanceM: Number,
    minutes: Number,
    corrections: {
      type: [new Schema({ by: Schema.Types.ObjectId, at: Date, reason: String, checkInAt: Date, checkOutAt: Date }, { _id: false })],
      default: [],
    },
    confirmedAt: Date,
    confirmedBy: Schema.Types.ObjectId,
    pointsAwarded: { type: Number, default: 0 },
    pointsEntryId: String,
    toldWaitlisted: Boolean,
    remindedDayAt: Date,
    remindedHourAt: Date,
    createdAt: { type: Date, required: true },
  },
  { collection: 'volunteer_signups', versionKey: false, strict: 'throw' },
);
// One sign-up per person and activity: concurrent double sign-ups and double scans land on one document.
signupSchema.index({ activityId: 1, userId: 1 }, { unique: true });
signupSchema.index({ activityId: 1, state: 1, queuedAt: 1 });
signupSchema.index({ userId: 1, createdAt: -1 });
export const SignupModel = mongoose.model<SignupDoc>('VolunteerSignup', signupSchema);

/**
 * An issued 志愿服务证明: the figures as they stood when it was issued, under its serial (an HMAC of the
 * holder and the figures, so the same figures give the same serial). The public check reads it back.
 */
export interface CertificateDoc {
  _id: string;
  userId: Types.ObjectId;
  name: string;
  teams: string[];
  totalMinutes: number;
  activityCount: number;
  byYear: Array<{ year: string; minutes: number }>;
  firstServiceAt: Date | null;
  lastServiceAt: Date | null;
  issuer: string;
  issuedAt: Date;
}
const certificateSchema = new Schema<CertificateDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    teams: { type: [String], default: [] },
    totalMinutes: { type: Number, required: true },
    activityCount: { type: Number, required: true },
    byYear: { type: [new Schema({ year: String, minutes: Number }, { _id: false })], default: [] },
    firstServiceAt: { type: Date, default: null },
    lastServiceAt: { type: Date, default: null },
    issuer: { type: String, required: true },
    issuedAt: { type: Date, required: true },
  },
  { collection: 'volunteer_certificates', versionKey: false, strict: 'throw' },
);
certificateSchema.index({ userId: 1, issuedAt: -1 });
export const CertificateModel = mongoose.model<CertificateDoc>('VolunteerCertificate', certificateSchema);
