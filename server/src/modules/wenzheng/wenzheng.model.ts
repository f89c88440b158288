import mongoose, { Schema, type Types } from 'mongoose';
import {
  CASE_EVENT_TYPES,
  CASE_SOURCES,
  CASE_STATES,
  CASE_TYPES,
  CO_PART_STATES,
  ROUTING_TIERS,
  WENZHENG_CATEGORIES,
  type CaseEventType,
  type CaseSource,
  type CaseState,
  type CaseType,
  type CoPartState,
  type Deadlines,
  type Place,
  type RoutingTier,
  type WenzhengCategory,
} from '@shared/schemas/wenzheng';

/**
 * One step in a case's life. Appended in the same atomic update as the state it describes, never edited:
 * the citizen's timeline and every board figure are derived from these.
 */
export interface CaseEventDoc {
  seq: number;
  type: CaseEventType;
  at: Date;
  /** Unset for the system (the clock job). */
  by?: Types.ObjectId;
  /** The person, for staff eyes. */
  byName: string;
  /** What the public sees: a department, 融媒体中心, or the poster's public name. */
  byLabel: string;
  from?: CaseState;
  to?: CaseState;
  note?: string;
  /** Whether `note` may be shown outside the staff (answers, reject reasons to the poster, rating comments). */
  noteAudience: 'public' | 'poster' | 'staff';
  data: Record<string, unknown>;
}

/** A co-department's (协办) part: its own accept/answer clock, answer, and "not ours" hand-over. */
export interface CoPartDoc {
  department: string;
  state: CoPartState;
  acceptDueAt?: Date;
  answerDueAt?: Date;
  reminded: boolean;
  overdue: boolean;
  escalated: boolean;
  answer?: { text: string; at: Date; by: Types.ObjectId };
  handover?: { suggestedDepartment: string; reason: string; fromState: 'assigned' | 'accepted' };
}

export interface CaseDoc {
  _id: Types.ObjectId;
  /** Unset for a staff intake without a registered citizen. */
  posterId?: Types.ObjectId;
  posterName: string;
  anonymous: boolean;
  /** The poster and the posters of duplicates merged into this case: they get its notifications. */
  followers: Types.ObjectId[];
  source: CaseSource;
  sourceRef?: string;
  contactName?: string;
  contactPhone?: string;
  enteredBy?: Types.ObjectId;
  category: WenzhengCategory;
  title: string;
  text: string;
  imageIds: Types.ObjectId[];
  place?: Place;
  visibility: 'public' | 'private';
  /** On the public board (an editor's decision; never for a private case). */
  published: boolean;
  /** Text or images need the editor's eye (content check said "review" or is still pending). */
  flagged: boolean;
  state: CaseState;
  type?: CaseType;
  tier?: RoutingTier;
  gridId?: string;
  department?: string;
  /** The co-departments' codes (kept equal to `coParts`' departments once assigned; queue and access index). */
  coDepartments: string[];
  /**
   * An internal report (`reported`): the co-departments the editor suggested to the propaganda department.
   * Not participants (no access, no queue entry) until the assignment makes them co-departments; cleared then.
   */
  suggestedCoDepartments?: string[];
  coParts: CoPartDoc[];
  /** Names of the county leaders copied (for display) and their user ids (who may read the case). */
  copiedLeaders: string[];
  copiedLeaderIds: Types.ObjectId[];
  acceptDueAt?: Date;
  answerDueAt?: Date;
  /** Set by the clock job, reset whenever a new deadline starts. */
  reminded: boolean;
  overdue: boolean;
  escalated: boolean;
  extension?: { days: number; reason: string; status: 'pending' | 'approved' | 'denied' };
  handover?: { suggestedDepartment: string; reason: string; fromState: CaseState };
  answer?: { text: string; at: Date; department: string; by: Types.ObjectId };
  rating?: { satisfied: boolean; comment?: string; at: Date };
  reopenCount: number;
  mergedInto?: Types.ObjectId;
  rejectReason?: string;
  events: CaseEventDoc[];
  createdAt: Date;
  updatedAt: Date;
}

const placeSchema = new Schema<Place>({ lat: Number, lng: Number, address: String }, { _id: false });
const eventSchema = new Schema<CaseEventDoc>(
  {
    seq: { type: Number, required: true },
    type: { type: String, enum: CASE_EVENT_TYPES, required: true },
    at: { type: Date, required: true },
    by: Schema.Types.ObjectId,
    byName: { type: String, required: true },
    byLabel: { type: String, required: true },
    from: { type: String, enum: CASE_STATES },
    to: { type: String, enum: CASE_STATES },
    note: String,
    noteAudience: { type: String, enum: ['public', 'poster', 'staff'], required: true },
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { _id: false, minimize: false },
);

const coPartSchema = new Schema<CoPartDoc>(
  {
    department: { type: String, required: true },
    state: { type: String, enum: CO_PART_STATES, required: true },
    acceptDueAt: Date,
    answerDueAt: Date,
    reminded: { type: Boolean, default: false },
    overdue: { type: Boolean, default: false },
    escalated: { type: Boolean, default: false },
    answer: new Schema({ text: String, at: Date, by: Schema.Types.ObjectId }, { _id: false }),
    handover: new Schema({ suggestedDepartment: String, reason: String, fromState: String }, { _id: false }),
  },
  { _id: false },
);

const caseSchema = new Schema<CaseDoc>(
  {
    posterId: Schema.Types.ObjectId,
    posterName: { type: String, required: true },
    anonymous: { type: Boolean, required: true },
    followers: { type: [Schema.Types.ObjectId], default: [] },
    source: { type: String, enum: CASE_SOURCES, required: true },
    sourceRef: String,
    contactName: String,
    contactPhone: String,
    enteredBy: Schema.Types.ObjectId,
    category: { type: String, enum: WENZHENG_CATEGORIES, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
    imageIds: { type: [Schema.Types.ObjectId], default: [] },
    place: placeSchema,
    visibility: { type: String, enum: ['public', 'private'], required: true },
    published: { type: Boolean, required: true },
    flagged: { type: Boolean, required: true },
    state: { type: String, enum: CASE_STATES, required: true },
    type: { type: String, enum: CASE_TYPES },
    tier: { type: String, enum: ROUTING_TIERS },
    gridId: String,
    department: String,
    coDepartments: { type: [String], default: [] },
    suggestedCoDepartments: { type: [String], default: undefined },
    coParts: { type: [coPartSchema], default: [] },
    copiedLeaders: { type: [String], default: [] },
    copiedLeaderIds: { type: [Schema.Types.ObjectId], default: [] },
    acceptDueAt: Date,
    answerDueAt: Date,
    reminded: { type: Boolean, default: false },
    overdue: { type: Boolean, default: false },
    escalated: { type: Boolean, default: false },
    extension: new Schema({ days: Number, reason: String, status: String }, { _id: false }),
    handover: new Schema({ suggestedDepartment: String, reason: String, fromState: String }, { _id: false }),
    answer: new Schema({ text: String, at: Date, department: String, by: Schema.Types.ObjectId }, { _id: false }),
    rating: new Schema({ satisfied: Boolean, comment: String, at: Date }, { _id: false }),
    reopenCount: { type: Number, default: 0 },
    mergedInto: Schema.Types.ObjectId,
    rejectReason: String,
    events: { type: [eventSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'wenzheng_cases', versionKey: false, strict: 'throw' },
);
caseSchema.index({ published: 1, state: 1, _id: -1 });
caseSchema.index({ state: 1, _id: -1 });
caseSchema.index({ department: 1, state: 1 });
caseSchema.index({ coDepartments: 1 });
caseSchema.index({ copiedLeaderIds: 1, _id: -1 });
caseSchema.index({ followers: 1, _id: -1 });
caseSchema.index({ state: 1, acceptDueAt: 1 });
caseSchema.index({ state: 1, answerDueAt: 1 });
caseSchema.index({ 'events.at': 1 });
export const CaseModel = mongoose.model<CaseDoc>('WenzhengCase', caseSchema);

export interface DepartmentDoc {
  _id: Types.ObjectId;
  code: string;
  name: string;
  headUserIds: Types.ObjectId[];
  propaganda: boolean;
  updatedAt: Date;
}
const departmentSchema = new Schema<DepartmentDoc>(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    headUserIds: { type: [Schema.Types.ObjectId], default: [] },
    propaganda: { type: Boolean, default: false },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'wenzheng_departments', versionKey: false, strict: 'throw' },
);
departmentSchema.index({ code: 1 }, { unique: true });
export const DepartmentModel = mongoose.model<DepartmentDoc>('WenzhengDepartment', departmentSchema);

/** One document (`_id: 'settings'`): deadlines, reminder lead time, merge radius, category → department. */
export interface SettingsDoc {
  _id: string;
  deadlines: Deadlines;
  remindBeforeHours: number;
  nearbyMeters: number;
  categoryDepartments: Partial<Record<WenzhengCategory, string>>;
  updatedAt: Date;
}
const settingsSchema = new Schema<SettingsDoc>(
  {
    _id: { type: String, required: true },
    deadlines: { type: Schema.Types.Mixed, required: true },
    remindBeforeHours: { type: Number, required: true },
    nearbyMeters: { type: Number, required: true },
    categoryDepartments: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'wenzheng_settings', versionKey: false, strict: 'throw', minimize: false },
);
export const SettingsModel = mongoose.model<SettingsDoc>('WenzhengSettings', settingsSchema);

/** A day the admin overrides: a weekday off (holiday) or a weekend day worked (make-up working day). */
export interface HolidayDoc {
  _id: Types.ObjectId;
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}
const holidaySchema = new Schema<HolidayDoc>(
  {
    date: { type: String, required: true },
    kind: { type: String, enum: ['holiday', 'workday'], required: true },
    name: { type: String, required: true },
  },
  { collection: 'wenzheng_holidays', versionKey: false, strict: 'throw' },
);
holidaySchema.index({ date: 1 }, { unique: true });
export const HolidayModel = mongoose.model<HolidayDoc>('WenzhengHoliday', holidaySchema);

/** The daily digest sent for a local date: inserted once (unique date) so it goes out once whatever runs it. */
export interface DigestDoc {
  _id: Types.ObjectId;
  date: string;
  sentAt: Date;
  departments: number;
}
const digestSchema = new Schema<DigestDoc>(
  {
    date: { type: String, required: true },
    sentAt: { type: Date, required: true },
    departments: { type: Number, required: true },
  },
  { collection: 'wenzheng_digests', versionKey: false, strict: 'throw' },
);
digestSchema.index({ date: 1 }, { unique: true });
export const DigestModel = mongoose.model<DigestDoc>('WenzhengDigest', digestSchema);
