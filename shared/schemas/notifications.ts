import { z } from 'zod';
import { calendarDaySchema } from './dates';
import { idListPageQueryShape, pageResponseSchema } from './paging';
import { objectIdSchema } from './users';

/**
 * Notifications: what the mini-program reports after wx.requestSubscribeMessage (consent to subscribe messages),
 * and the message centre in 我的 (in-app messages, unread count, read marks, muted kinds).
 */

/** Kinds of notices; a user may mute any of them in the message centre. */
export const NOTIFICATION_KINDS = [
  'wenzheng',
  'points',
  'coupons',
  'campaigns',
  'volunteers',
  'newsroom',
  'merchants',
  'contests',
  'comments',
  'system',
] as const;
export const notificationKindSchema = z.enum(NOTIFICATION_KINDS, { message: '未知的通知类型' });
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** Subscribe-message templates the server may send, by our own key (the WeChat template id comes from configuration). */
export const TEMPLATE_KEYS = [
  'wenzhengProgress',
  'wenzhengTask',
  'wenzhengEscalation',
  'wenzhengDigest',
  'wenzhengLeaderCopy',
  'pointsExpiry',
  'couponExpiry',
  'campaignLaunch',
  'volunteerWaitlist',
  'activityReminder',
  'applicationResult',
  'reviewResult',
  'contestResult',
  'commentReply',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** A WeChat template id as requestSubscribeMessage takes it. */
export const templateIdSchema = z
  .string()
  .max(64, '模板 ID 过长')
  .regex(/^[A-Za-z0-9_-]+$/, '模板 ID 无效');

/** What requestSubscribeMessage answered, per template id (its `errMsg` key left out by the client). */
export const subscriptionsBodySchema = z
  .object({
    results: z
      .record(templateIdSchema, z.enum(['accept', 'reject', 'ban', 'filter'], { message: '订阅结果无效' }))
      .refine((r) => Object.keys(r).length <= 10, '一次最多上报 10 个模板'),
  })
  .strict();
export type SubscriptionsBody = z.infer<typeof subscriptionsBodySchema>;

/** The caller's unused acceptances per known template id; ids this server does not send are listed in `ignored`. */
export const subscriptionsResponseSchema = z
  .object({ unused: z.record(z.string(), z.number().int().min(0)), ignored: z.array(z.string()) })
  .strict();
export type SubscriptionsResponse = z.infer<typeof subscriptionsResponseSchema>;

/** The template ids the mini-program asks consent for, by our key. */
export const templatesResponseSchema = z.object({ templates: z.record(z.string(), z.string()) }).strict();
export type TemplatesResponse = z.infer<typeof templatesResponseSchema>;

export const messageViewSchema = z
  .object({
    id: objectIdSchema,
    kind: notificationKindSchema,
    title: z.string(),
    body: z.string(),
    /** A mini-program page with its query (the deep link the message opens), or null. */
    link: z.string().nullable(),
    read: z.boolean(),
    createdAt: z.string(),
  })
  .strict();
export type MessageView = z.infer<typeof messageViewSchema>;

export const listMessagesQuerySchema = z.object({ ...idListPageQueryShape, kind: notificationKindSchema.optional() }).strict();
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;
export const messagePageSchema = pageResponseSchema(messageViewSchema);
export type MessagePage = z.infer<typeof messagePageSchema>;

export const messageIdParamsSchema = z.object({ id: objectIdSchema }).strict();
export const unreadCountResponseSchema = z.object({ unread: z.number().int().min(0) }).strict();
export type UnreadCountResponse = z.infer<typeof unreadCountResponseSchema>;
export const messageResponseSchema = z.object({ message: messageViewSchema }).strict();
export const readAllResponseSchema = z.object({ marked: z.number().int().min(0), unread: z.number().int().min(0) }).strict();

export const preferencesSchema = z
  .object({
    /** Kinds whose in-app messages the user does not want (subscribe messages follow their own consent). */
    muted: z
      .array(notificationKindSchema)
      .max(NOTIFICATION_KINDS.length)
      .refine((k) => new Set(k).size === k.length, '类型重复'),
  })
  .strict();
export type Preferences = z.infer<typeof preferencesSchema>;

// ── Staff console: what became of the notices (editors and admins) ────────────────────────────────────────────────

/** What a subscribe message's outbox row is doing, or what became of it. */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'dropped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * The console's outcomes: `sent` (WeChat took it), `refused` (no unused acceptance: never accepted, or WeChat said
 * 43101), `dropped` (any other reason: daily_limit, invalid_data, errcode N, gave_up…), `pending` (waiting or retrying).
 */
export const NOTICE_OUTCOMES = ['pending', 'sent', 'refused', 'dropped'] as const;
export const noticeOutcomeSchema = z.enum(NOTICE_OUTCOMES, { message: '未知的发送结果' });
export type NoticeOutcome = z.infer<typeof noticeOutcomeSchema>;
/** Drop reasons counted as `refused`. */
export const REFUSED_REASONS = ['refused', 'no_consent'] as const;

/** The longest range the notifications page shows at once. */
export const NOTICE_STATS_MAX_DAYS = 92;

export const noticeStatsQuerySchema = z
  .object({
    /** First Shanghai day (inclusive); default 13 days before `to`. */
    from: calendarDaySchema.optional(),
    /** Last Shanghai day (inclusive); default today. */
    to: calendarDaySchema.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] });
export type NoticeStatsQuery = z.infer<typeof noticeStatsQuerySchema>;

const count = z.number().int().min(0);
/** One kind on one day: in-app messages stored, subscribe messages asked for and what became of them. */
export const noticeDayRowSchema = z
  .object({
    day: calendarDaySchema,
    kind: notificationKindSchema,
    inApp: count,
    queued: count,
    sent: count,
    refused: count,
    dropped: count,
    /** Why they were refused or dropped: reason key (no_consent, refused, daily_limit, errcode_47003, gave_up…) → count. */
    reasons: z.record(z.string(), count),
  })
  .strict();
export type NoticeDayRow = z.infer<typeof noticeDayRowSchema>;
export const noticeStatsResponseSchema = z
  .object({ from: calendarDaySchema, to: calendarDaySchema, rows: z.array(noticeDayRowSchema) })
  .strict();
export type NoticeStatsResponse = z.infer<typeof noticeStatsResponseSchema>;

export const outboxListQuerySchema = z
  .object({ ...idListPageQueryShape, kind: notificationKindSchema.optional(), outcome: noticeOutcomeSchema.optional() })
  .strict();
export type OutboxListQuery = z.infer<typeof outboxListQuerySchema>;
export const outboxRowViewSchema = z
  .object({
    id: objectIdSchema,
    userId: objectIdSchema,
    kind: notificationKindSchema,
    templateKey: z.enum(TEMPLATE_KEYS),
    status: z.enum(OUTBOX_STATUSES),
    outcome: noticeOutcomeSchema,
    reason: z.string().nullable(),
    lastError: z.string().nullable(),
    attempts: count,
    day: calendarDaySchema,
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    nextAttemptAt: z.string(),
  })
  .strict();
export type OutboxRowView = z.infer<typeof outboxRowViewSchema>;
export const outboxPageSchema = pageResponseSchema(outboxRowViewSchema);
export type OutboxPage = z.infer<typeof outboxPageSchema>;
