import { z } from 'zod';
import { articleColumnSchema, type ArticleColumn } from './newsroom';
import { text } from './text';
import { objectIdSchema } from './users';

/**
 * Comments on articles: readers comment and reply (one level), WeChat's msgSecCheck screens the text,
 * editors moderate (a queue of held comments: approval required, WeChat said "review", or reported by
 * several readers). Shared by the API and the mini-program.
 */

/** published: everyone sees it; pending: waiting for an editor; rejected: taken down; deleted: by its author. */
export const COMMENT_STATES = ['published', 'pending', 'rejected', 'deleted'] as const;
export type CommentState = (typeof COMMENT_STATES)[number];

/** Why a comment waits in the moderation queue. */
export const HOLD_REASONS = ['approval', 'content_review', 'reports'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
export const HOLD_REASON_LABELS: Readonly<Record<HoldReason, string>> = {
  approval: '栏目需先审后发',
  content_review: '内容安全待复核',
  reports: '多人举报',
};

/** What a held comment's author is told. */
export const COMMENT_HELD_NOTICE = '评论审核通过后展示';

const cursorSchema = objectIdSchema;
const limitSchema = z.coerce.number().int().min(1).max(50).default(20);

export const commentAuthorSchema = z.object({ id: objectIdSchema, name: z.string(), avatarUrl: z.string().nullable() }).strict();

export const commentViewSchema = z
  .object({
    id: objectIdSchema,
    articleId: objectIdSchema,
    /** The top-level comment this one replies to; null for a top-level comment. */
    parentId: objectIdSchema.nullable(),
    /** The person a reply answers (a reply to a reply names its author; it is still filed under the top-level comment). */
    replyTo: z.object({ id: objectIdSchema, name: z.string() }).strict().nullable(),
    author: commentAuthorSchema,
    text: z.string(),
    state: z.enum(COMMENT_STATES),
    createdAt: z.string(),
  })
  .strict();
export type CommentView = z.infer<typeof commentViewSchema>;

/** A top-level comment with its first replies (oldest first) and how many published replies it has. */
export const commentThreadSchema = commentViewSchema.extend({ replies: z.array(commentViewSchema), replyCount: z.number().int() }).strict();
export type CommentThread = z.infer<typeof commentThreadSchema>;

export const articleIdParamsSchema = z.object({ id: objectIdSchema }).strict();
export const commentIdParamsSchema = z.object({ id: objectIdSchema }).strict();

/** GET /api/v1/articles/:id/comments — published top-level comments, newest first. */
export const commentListQuerySchema = z.object({ cursor: cursorSchema.optional(), limit: limitSchema }).strict();
export type CommentListQuery = z.infer<typeof commentListQuerySchema>;
export const commentListResponseSchema = z
  .object({ items: z.array(commentThreadSchema), nextCursor: objectIdSchema.nullable(), total: z.number().int() })
  .strict();
export type CommentListResponse = z.infer<typeof commentListResponseSchema>;

/** GET /api/v1/comments/:id/replies — published replies of a top-level comment, oldest first. */
export const replyListResponseSchema = z.object({ items: z.array(commentViewSchema), nextCursor: objectIdSchema.nullable() }).strict();
export type ReplyListResponse = z.infer<typeof replyListResponseSchema>;

/** POST /api/v1/articles/:id/comments */
export const createCommentBodySchema = z
  .object({
    text: text(500, '评论'),
    /** Reply to this comment (top-level or a reply; the reply is filed under the top-level one). */
    parentId: objectIdSchema.optional(),
  })
  .strict();
export type CreateCommentBody = z.infer<typeof createCommentBodySchema>;
export const createCommentResponseSchema = z
  .object({
    comment: commentViewSchema,
    /** True when it waits for an editor: tell the author COMMENT_HELD_NOTICE. */
    held: z.boolean(),
  })
  .strict();
export type CreateCommentResponse = z.infer<typeof createCommentResponseSchema>;

/** POST /api/v1/comments/:id/reports — one report per person per comment. */
export const REPORT_REASONS = ['abuse', 'spam', 'illegal', 'rumor', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const REPORT_REASON_LABELS: Readonly<Record<ReportReason, string>> = {
  abuse: '辱骂攻击',
  spam: '垃圾广告',
  illegal: '违法违规',
  rumor: '谣言不实',
  other: '其他',
};
export const reportCommentBodySchema = z.object({ reason: z.enum(REPORT_REASONS), note: text(200, '补充说明').optional() }).strict();
export type ReportCommentBody = z.infer<typeof reportCommentBodySchema>;
export const reportCommentResponseSchema = z
  .object({
    reported: z.literal(true),
    /** True when this report took the comment down for review. */
    hidden: z.boolean(),
  })
  .strict();

// ── moderation (editors) ─────────────────────────────────────────────────────────

/** GET /api/v1/comments/queue — held comments, newest first; `reason` narrows the queue. */
export const moderationQueueQuerySchema = z
  .object({ reason: z.enum(HOLD_REASONS).optional(), cursor: cursorSchema.optional(), limit: limitSchema })
  .strict();
export type ModerationQueueQuery = z.infer<typeof moderationQueueQuerySchema>;

export const moderationItemSchema = commentViewSchema
  .extend({
    article: z.object({ id: objectIdSchema, title: z.string(), column: articleColumnSchema }).strict(),
    /** Why it waits (null once decided, or for a shown comment taken down). */
    holdReason: z.enum(HOLD_REASONS).nullable(),
    /** WeChat's label for the text (100 normal; see msgSecCheck). */
    safetyLabel: z.number().int(),
    reportCount: z.number().int(),
  })
  .strict();
export type ModerationItem = z.infer<typeof moderationItemSchema>;
export const moderationQueueResponseSchema = z
  .object({ items: z.array(moderationItemSchema), nextCursor: objectIdSchema.nullable() })
  .strict();
export type ModerationQueueResponse = z.infer<typeof moderationQueueResponseSchema>;

/** POST /api/v1/comments/:id/reject — the reason is kept and audited. */
export const rejectCommentBodySchema = z.object({ reason: text(200, '理由') }).strict();
export const moderationResponseSchema = z
  .object({ comment: moderationItemSchema.extend({ rejectReason: z.string().nullable() }) })
  .strict();

/**
 * GET/PUT /api/v1/comments/settings — whether comments wait for approval before they show: globally, and per
 * column (a column's own setting wins; null = follow the global one). `reportThreshold` reports hide a comment.
 */
export const commentSettingsSchema = z
  .object({
    requireApproval: z.boolean(),
    columns: z.partialRecord(articleColumnSchema, z.boolean()),
    reportThreshold: z.number().int().min(1).max(100),
  })
  .strict();
export type CommentSettings = z.infer<typeof commentSettingsSchema>;
export const commentSettingsResponseSchema = z.object({ settings: commentSettingsSchema }).strict();
export const updateCommentSettingsBodySchema = z
  .object({
    requireApproval: z.boolean().optional(),
    columns: z.partialRecord(articleColumnSchema, z.boolean().nullable()).optional(),
    reportThreshold: z.number().int().min(1).max(100).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, '至少修改一项');
export type UpdateCommentSettingsBody = z.infer<typeof updateCommentSettingsBodySchema>;

/** Whether comments on an article of `column` wait for approval. */
export function approvalRequired(settings: CommentSettings, column: ArticleColumn): boolean {
  return settings.columns[column] ?? settings.requireApproval;
}

export const DEFAULT_COMMENT_SETTINGS: CommentSettings = { requireApproval: false, columns: {}, reportThreshold: 3 };
