import mongoose, { Schema, type Types } from 'mongoose';
import { retireIndexes } from '../../core/db';
import {
  NOTIFICATION_KINDS,
  OUTBOX_STATUSES,
  TEMPLATE_KEYS,
  type NotificationKind,
  type OutboxStatus,
  type TemplateKey,
} from '@shared/schemas/notifications';

/**
 * An in-app message: every notice raised becomes one. `(userId, key)` is unique, so a job or request that raises
 * the same notice again (a retry, a second process) stores — and sends — nothing more.
 */
export interface MessageDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  kind: NotificationKind;
  /** The raiser's de-duplication key, e.g. `wenzheng:progress:<caseId>:<status>`. */
  key: string;
  title: string;
  body: string;
  link: string | null;
  /** The user had muted this kind when it was raised: kept (it de-duplicates) but never listed or counted. */
  muted: boolean;
  readAt: Date | null;
  createdAt: Date;
}
const messageSchema = new Schema<MessageDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    key: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    link: { type: String, default: null },
    muted: { type: Boolean, required: true },
    readAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'notification_messages', versionKey: false, strict: 'throw' },
);
messageSchema.index({ userId: 1, key: 1 }, { unique: true });
// The message centre's page (newest first) and its unread count.
messageSchema.index({ userId: 1, muted: 1, _id: -1 });
messageSchema.index({ userId: 1, muted: 1, readAt: 1 });
export const MessageModel = mongoose.model<MessageDoc>('NotificationMessage', messageSchema);

export { OUTBOX_STATUSES, type OutboxStatus };

/**
 * A subscribe message waiting to go, or what became of it: one per message (`messageId` unique). Delivery claims a
 * row (`sending` with a lease) before calling WeChat, so two workers never send the same row; a transient failure
 * puts it back to `pending` with a later `nextAttemptAt`, a permanent one ends it as `dropped` with the reason.
 */
export interface OutboxDoc {
  _id: Types.ObjectId;
  messageId: Types.ObjectId;
  userId: Types.ObjectId;
  kind: NotificationKind;
  templateKey: TemplateKey;
  templateId: string;
  page: string | null;
  /** keyword → value, already written and checked for its keyword type. */
  data: Record<string, string>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** While `sending`: when another worker may take the row over (the first one died mid-send). */
  leaseUntil: Date | null;
  /** One acceptance of the template was used for this row (refunded when WeChat never took the message). */
  consentUsed: boolean;
  /** Why it was dropped: no_consent, daily_limit, refused (43101), invalid_data…, errcode N, gave_up… */
  reason: string | null;
  lastError: string | null;
  /** The Shanghai day it was raised (the console's figures by day). */
  day: string;
  createdAt: Date;
  sentAt: Date | null;
}
const outboxSchema = new Schema<OutboxDoc>(
  {
    messageId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    templateKey: { type: String, enum: TEMPLATE_KEYS, required: true },
    templateId: { type: String, required: true },
    page: { type: String, default: null },
    data: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: OUTBOX_STATUSES, required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    consentUsed: { type: Boolean, required: true },
    reason: { type: String, default: null },
    lastError: { type: String, default: null },
    day: { type: String, required: true },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { collection: 'notification_outbox', versionKey: false, strict: 'throw' },
);
outboxSchema.index({ messageId: 1 }, { unique: true });
outboxSchema.index({ status: 1, nextAttemptAt: 1 });
// The console's outbox list, newest first, filtered by kind and/or status.
outboxSchema.index({ status: 1, _id: -1 });
outboxSchema.index({ kind: 1, status: 1, _id: -1 });
outboxSchema.index({ kind: 1, _id: -1 });
export const OutboxModel = mongoose.model<OutboxDoc>('NotificationOutbox', outboxSchema);
retireIndexes('NotificationOutbox', ['day_1_kind_1_status_1']);

/**
 * What the user accepted through wx.requestSubscribeMessage and WeChat has not used yet: one-time subscriptions
 * allow one message per acceptance, so `unused` goes up by one per accept and down by one per message sent.
 */
export interface ConsentDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  templateId: string;
  unused: number;
  /** Every acceptance ever reported (the console's consent rate). */
  accepted: number;
  updatedAt: Date;
}
const consentSchema = new Schema<ConsentDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    templateId: { type: String, required: true },
    unused: { type: Number, required: true, min: 0 },
    accepted: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notification_consents', versionKey: false, strict: 'throw' },
);
consentSchema.index({ userId: 1, templateId: 1 }, { unique: true });
export const ConsentModel = mongoose.model<ConsentDoc>('NotificationConsent', consentSchema);

/** A user's muted kinds (absent: nothing muted). */
export interface PreferenceDoc {
  _id: Types.ObjectId;
  muted: NotificationKind[];
  updatedAt: Date;
}
const preferenceSchema = new Schema<PreferenceDoc>(
  {
    muted: { type: [String], enum: NOTIFICATION_KINDS, default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'notification_preferences', versionKey: false, strict: 'throw' },
);
export const PreferenceModel = mongoose.model<PreferenceDoc>('NotificationPreference', preferenceSchema);

/**
 * The console's figures: per Shanghai day and kind, counters moved with `$inc` where the thing happens (a message
 * stored, a row queued, sent, refused or dropped), so the notifications page reads at most days × kinds small
 * documents and never scans messages or the outbox. `_id` is `<day>:<kind>`. Outcomes count on the day the notice was
 * raised (the row's `day`). Best effort: a process dying between the outbox write and its `$inc` loses that one count.
 */
export interface DailyTallyDoc {
  _id: string;
  day: string;
  kind: NotificationKind;
  inApp: number;
  queued: number;
  sent: number;
  refused: number;
  dropped: number;
  /** reason key → count (refused and dropped rows). */
  reasons: Record<string, number>;
}
const dailyTallySchema = new Schema<DailyTallyDoc>(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    inApp: { type: Number, default: 0 },
    queued: { type: Number, default: 0 },
    sent: { type: Number, default: 0 },
    refused: { type: Number, default: 0 },
    dropped: { type: Number, default: 0 },
    reasons: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'notification_daily', versionKey: false, strict: 'throw' },
);
dailyTallySchema.index({ day: 1 });
export const DailyTallyModel = mongoose.model<DailyTallyDoc>('NotificationDaily', dailyTallySchema);
