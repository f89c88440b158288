import { z } from 'zod';
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
