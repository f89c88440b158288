import { z } from 'zod';
import { text } from './text';
import {
  batchIdsSchema,
  batchResultsSchema,
  idListPageQueryShape,
  listPageQueryShape,
  pageResponseSchema,
  queuePageQueryShape,
} from './paging';
import { objectIdSchema } from './users';

/**
 * Newsroom: the news feed and articles, correspondents and their circles, submissions and the
 * editorial workflow. Shared by the API and the mini-program.
 */

// Tabs and newlines are allowed (article text has paragraphs); other control characters are not.
/** Uploaded files are served by our API (/api/v1/files/…) or the configured object store: https in production. */
const mediaUrlSchema = z
  .string()
  .trim()
  .max(512)
  .regex(/^(https?:\/\/\S+|\/api\/v1\/files\/[A-Za-z0-9._-]+)$/, '图片地址无效');

// ── columns ─────────────────────────────────────────────────────────────────────

/**
 * A column's (栏目) stable key: what articles, feed queries and comment settings name it by. Admins add columns
 * (GET/POST /api/v1/admin/columns); these six are the defaults every database starts with.
 */
const COLUMN_KEY = /^[a-z][a-z0-9-]{1,23}$/;
export const columnKeySchema = z
  .string({ error: (issue) => (issue.input === undefined ? '请填写栏目标识' : '栏目标识无效') })
  .trim()
  .regex(COLUMN_KEY, '栏目标识为 2–24 位小写字母、数字或连字符，以字母开头');
export const DEFAULT_COLUMNS = ['headline', 'correspondent', 'enterprise', 'government', 'livelihood', 'culture'] as const;
export type DefaultColumn = (typeof DEFAULT_COLUMNS)[number];
/** The default columns (the six every database is seeded with). */
export const ARTICLE_COLUMNS = DEFAULT_COLUMNS;
/** A column key: one of the defaults or one an admin added. */
export type ArticleColumn = string;
/** The column an article is in (a configured one: the service checks it exists and is enabled). */
export const articleColumnSchema = z
  .string({ error: (issue) => (issue.input === undefined ? '请选择栏目' : '栏目无效') })
  .trim()
  .regex(COLUMN_KEY, '栏目无效');
export const ARTICLE_COLUMN_LABELS: Readonly<Record<DefaultColumn, string>> = {
  headline: '头条',
  correspondent: '通讯员',
  enterprise: '企业之家',
  government: '政务',
  livelihood: '民生',
  culture: '文旅',
};
/** Default columns shown as a 首页 tab: 通讯员 and 政务 already are, as 本地 and 服务. */
export const DEFAULT_HOME_TAB_COLUMNS: readonly DefaultColumn[] = ['headline', 'enterprise', 'livelihood', 'culture'];

/** A column's name: from the configured list when given, else a default's label, else the key itself. */
export function columnLabel(key: string, columns?: ReadonlyArray<{ key: string; name: string }>): string {
  return columns?.find((c) => c.key === key)?.name ?? (ARTICLE_COLUMN_LABELS as Record<string, string>)[key] ?? key;
}

/** At most this many columns (a tab row and a menu, not a taxonomy). */
export const MAX_COLUMNS = 30;

export const columnViewSchema = z
  .object({
    key: columnKeySchema,
    name: z.string(),
    /** Position in the tab row and in menus (0 first). */
    order: z.number().int(),
    /** Off: no new articles in it, no tab, the feed refuses it; its published articles stay in 推荐. */
    enabled: z.boolean(),
    /** Shown as a tab on the mini-program's 首页. */
    homeTab: z.boolean(),
    /** One of the six defaults: can be renamed, reordered and switched off, not deleted. */
    builtin: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type ColumnView = z.infer<typeof columnViewSchema>;
/** GET /api/v1/admin/columns (admins): every column, switched-off ones too, in order. */
export const columnListResponseSchema = z.object({ items: z.array(columnViewSchema) }).strict();
export const columnResponseSchema = z.object({ column: columnViewSchema }).strict();

/** GET /api/v1/columns (public, cached like the feed): the enabled columns in order. */
export const publicColumnSchema = z.object({ key: columnKeySchema, name: z.string(), homeTab: z.boolean() }).strict();
export type PublicColumn = z.infer<typeof publicColumnSchema>;
export const publicColumnListResponseSchema = z.object({ items: z.array(publicColumnSchema) }).strict();
export type PublicColumnListResponse = z.infer<typeof publicColumnListResponseSchema>;

/** POST /api/v1/admin/columns */
export const createColumnBodySchema = z
  .object({
    key: columnKeySchema,
    name: text(8, '栏目名称'),
    enabled: z.boolean().default(true),
    homeTab: z.boolean().default(true),
  })
  .strict();
export type CreateColumnBody = z.infer<typeof createColumnBodySchema>;
/** PATCH /api/v1/admin/columns/:key — the key never changes (articles name their column by it). */
export const updateColumnBodySchema = z
  .object({ name: text(8, '栏目名称').optional(), enabled: z.boolean().optional(), homeTab: z.boolean().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, '至少修改一项');
export type UpdateColumnBody = z.infer<typeof updateColumnBodySchema>;
export const columnParamsSchema = z.object({ key: columnKeySchema }).strict();
/** PUT /api/v1/admin/columns/order — every column's key once, in the new order. */
export const reorderColumnsBodySchema = z
  .object({
    keys: z
      .array(columnKeySchema)
      .min(1)
      .max(MAX_COLUMNS)
      .refine((keys) => new Set(keys).size === keys.length, '列表中有重复的栏目'),
  })
  .strict();

// ── article body ────────────────────────────────────────────────────────────────

/**
 * Article bodies are blocks, not HTML: nothing a writer types can become markup or script, and the
 * mini-program renders them with its own components.
 */
export const articleBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paragraph'), text: text(5000, '段落') }).strict(),
  z.object({ type: z.literal('heading'), text: text(100, '小标题') }).strict(),
  z.object({ type: z.literal('image'), url: mediaUrlSchema, caption: text(100, '图片说明').optional() }).strict(),
  z
    .object({
      type: z.literal('video'),
      url: z
        .string()
        .trim()
        .max(512)
        .regex(/^(https?:\/\/\S+|\/api\/v1\/files\/[A-Za-z0-9._-]+)$/, '视频链接无效'),
    })
    .strict(),
]);
export type ArticleBlock = z.infer<typeof articleBlockSchema>;

export const articleAuthorSchema = z
  .object({
    /** A correspondent's published piece, or an article written by the editorial team. */
    kind: z.enum(['correspondent', 'editor']),
    userId: objectIdSchema.nullable(),
    name: z.string(),
  })
  .strict();
export type ArticleAuthor = z.infer<typeof articleAuthorSchema>;

/** What a feed list shows per article. */
export const articleCardSchema = z
  .object({
    id: objectIdSchema,
    title: z.string(),
    summary: z.string(),
    cover: z.string().nullable(),
    column: articleColumnSchema,
    author: articleAuthorSchema,
    circleId: objectIdSchema.nullable(),
    publishedAt: z.string(),
    reads: z.number().int(),
    likes: z.number().int(),
    /** A headline the editors pinned to the home carousel. */
    pinned: z.boolean(),
    /** A merchant's paid promotion (shown marked 推广, never more than one in every few feed items). */
    sponsored: z.boolean(),
    /** The first video in the body: the card plays it where it stands, the cover as its poster. */
    video: z.string().nullable(),
  })
  .strict();
export type ArticleCard = z.infer<typeof articleCardSchema>;

export const articleViewSchema = articleCardSchema
  .extend({
    body: z.array(articleBlockSchema),
    images: z.array(z.string()),
    place: z.string().nullable(),
    /** The submission it was published from (correspondent pieces). */
    submissionId: objectIdSchema.nullable(),
    /** 责任编辑: who approved a correspondent's piece; null on the editorial team's own articles. */
    editor: z.object({ name: z.string() }).strict().nullable(),
    anonymousReads: z.number().int(),
  })
  .strict();
export type ArticleView = z.infer<typeof articleViewSchema>;

// ── feed ───────────────────────────────────────────────────────────────────────

/**
 * GET /api/v1/feed?column=&kind=&cursor=&limit= — newest first; `cursor` is the previous page's nextCursor.
 * `kind`: `news` leaves merchants' promotions out, `promotion` lists only them (the home page mixes the two
 * itself, one promotion in every few items); absent, both.
 */
export const FEED_KINDS = ['news', 'promotion'] as const;
export const feedQuerySchema = z
  .object({
    column: articleColumnSchema.optional(),
    kind: z.enum(FEED_KINDS).optional(),
    cursor: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, '分页游标无效')
      .optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type FeedQuery = z.infer<typeof feedQuerySchema>;

export const feedResponseSchema = z.object({ items: z.array(articleCardSchema), nextCursor: z.string().nullable() }).strict();
export type FeedResponse = z.infer<typeof feedResponseSchema>;

export const idParamsSchema = z.object({ id: objectIdSchema }).strict();

/** GET /api/v1/feed/headlines — the pinned headlines of the home carousel, most recently pinned first. */
export const headlinesResponseSchema = z.object({ items: z.array(articleCardSchema) }).strict();
export type HeadlinesResponse = z.infer<typeof headlinesResponseSchema>;
/** PUT /api/v1/articles/:id/pin (editors): pin to or unpin from the home carousel. */
export const pinBodySchema = z.object({ pinned: z.boolean() }).strict();
export const pinResponseSchema = z.object({ id: objectIdSchema, pinned: z.boolean() }).strict();
/** How many pinned headlines the carousel shows. */
export const MAX_HEADLINES = 5;

/** GET /api/v1/articles/:id */
export const articleResponseSchema = z.object({ article: articleViewSchema }).strict();
export type ArticleResponse = z.infer<typeof articleResponseSchema>;

/** POST /api/v1/articles/:id/read — called when the article page opens. */
export const readResponseSchema = z
  .object({
    /** False when this reader already read it today (Asia/Shanghai). */
    counted: z.boolean(),
    reads: z.number().int(),
    likes: z.number().int(),
    liked: z.boolean(),
    /** Reading points credited for this read (0 when not signed in, already read, or over the daily cap). */
    points: z.number().int(),
  })
  .strict();
export type ReadResponse = z.infer<typeof readResponseSchema>;

/** GET /api/v1/articles/:id/related — newest published stories of the same circle or column (not this one). */
export const relatedQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(10).default(5) }).strict();
export const relatedResponseSchema = z.object({ items: z.array(articleCardSchema) }).strict();
export type RelatedResponse = z.infer<typeof relatedResponseSchema>;

/** PUT/DELETE /api/v1/articles/:id/like */
export const likeResponseSchema = z.object({ liked: z.boolean(), likes: z.number().int() }).strict();
export type LikeResponse = z.infer<typeof likeResponseSchema>;

/** POST /api/v1/articles — an article written by the editorial team (editor). */
export const createArticleBodySchema = z
  .object({
    title: text(60, '标题'),
    summary: text(200, '摘要').optional(),
    body: z.array(articleBlockSchema).min(1, '正文不能为空').max(200),
    cover: mediaUrlSchema.nullable().optional(),
    column: articleColumnSchema,
    authorName: text(30, '作者').optional(),
    place: text(50, '地点').optional(),
    /** Omitted → now. */
    publishAt: z.iso.datetime({ offset: true }).optional(),
    /** Pin it to the home carousel (a cover makes it look right there). */
    pinned: z.boolean().optional(),
  })
  .strict();
export type CreateArticleBody = z.infer<typeof createArticleBodySchema>;

/**
 * PATCH /api/v1/articles/:id (editors): change a published or scheduled article. Omitted fields stay; `cover: null`
 * falls back to the body's first image; `summary: null` is derived from the body again. `publishAt` moves a
 * scheduled article (a time already past publishes it now); a published one keeps its time (409).
 */
export const updateArticleBodySchema = z
  .object({
    title: text(60, '标题').optional(),
    summary: text(200, '摘要').nullable().optional(),
    body: z.array(articleBlockSchema).min(1, '正文不能为空').max(200).optional(),
    cover: mediaUrlSchema.nullable().optional(),
    column: articleColumnSchema.optional(),
    authorName: text(30, '作者').optional(),
    place: text(50, '地点').nullable().optional(),
    publishAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, '至少修改一项');
export type UpdateArticleBody = z.infer<typeof updateArticleBodySchema>;

// ── the editors' desk (文章管理) ──────────────────────────────────────────────────────

/** An article's life: waiting for its time, in the feed, taken down. */
export const ARTICLE_STATUSES = ['scheduled', 'published', 'withdrawn'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
export const ARTICLE_STATUS_LABELS: Readonly<Record<ArticleStatus, string>> = {
  scheduled: '定时发布',
  published: '已发布',
  withdrawn: '已下线',
};

/** A row of the desk's article table: any state. */
export const deskArticleCardSchema = articleCardSchema.extend({ status: z.enum(ARTICLE_STATUSES), updatedAt: z.string() }).strict();
export type DeskArticleCard = z.infer<typeof deskArticleCardSchema>;
/** GET /api/v1/editorial/articles/:id — the whole article in any state, for editing. */
export const deskArticleViewSchema = articleViewSchema.extend({ status: z.enum(ARTICLE_STATUSES), updatedAt: z.string() }).strict();
export type DeskArticleView = z.infer<typeof deskArticleViewSchema>;
export const deskArticleResponseSchema = z.object({ article: deskArticleViewSchema }).strict();
export type DeskArticleResponse = z.infer<typeof deskArticleResponseSchema>;

/** GET /api/v1/editorial/articles (editors): every state, latest publication time first (scheduled ones on top). */
export const deskArticlesQuerySchema = z
  .object({
    column: columnKeySchema.optional(),
    status: z.enum(ARTICLE_STATUSES).optional(),
    /** Words in the title. */
    q: z.string().trim().min(1).max(30).optional(),
    ...listPageQueryShape,
  })
  .strict();
export type DeskArticlesQuery = z.infer<typeof deskArticlesQuerySchema>;
export const deskArticlePageSchema = pageResponseSchema(deskArticleCardSchema);
export type DeskArticlePage = z.infer<typeof deskArticlePageSchema>;

// ── circles, channels, correspondents ─────────────────────────────────────────────

export const circleViewSchema = z
  .object({
    id: objectIdSchema,
    name: z.string(),
    description: z.string(),
    leaderIds: z.array(objectIdSchema),
    memberCount: z.number().int(),
    announcements: z.array(z.object({ text: z.string(), at: z.string(), by: objectIdSchema }).strict()),
    createdAt: z.string(),
  })
  .strict();
export type CircleView = z.infer<typeof circleViewSchema>;

/** GET /api/v1/circles — oldest first, `q`: words in the name; a stable `(createdAt, id)` cursor. */
export const circleListQuerySchema = z.object({ q: z.string().trim().min(1).max(30).optional(), ...listPageQueryShape }).strict();
export type CircleListQuery = z.infer<typeof circleListQuerySchema>;
export const circleListResponseSchema = pageResponseSchema(circleViewSchema);
export const circleResponseSchema = z.object({ circle: circleViewSchema }).strict();
/** GET /api/v1/circles/:id — the circle page: the circle and its recent published work. */
export const circlePageResponseSchema = z.object({ circle: circleViewSchema, recent: z.array(articleCardSchema) }).strict();

export const createCircleBodySchema = z.object({ name: text(30, '圈子名称'), description: text(500, '圈子简介') }).strict();
export type CreateCircleBody = z.infer<typeof createCircleBodySchema>;
export const updateCircleBodySchema = z
  .object({ name: text(30, '圈子名称').optional(), description: text(500, '圈子简介').optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, '至少修改一项');
export type UpdateCircleBody = z.infer<typeof updateCircleBodySchema>;
export const circleLeaderBodySchema = z.object({ userId: objectIdSchema }).strict();
export const circleLeaderParamsSchema = z.object({ id: objectIdSchema, userId: objectIdSchema }).strict();
export const announcementBodySchema = z.object({ text: text(500, '公告') }).strict();

/** 单位分端: a unit (government body, town, school) with its own channel and channel admins. */
export const CHANNEL_KINDS = ['government', 'town', 'school', 'enterprise'] as const;
export const CHANNEL_KIND_LABELS: Record<(typeof CHANNEL_KINDS)[number], string> = {
  government: '政府部门',
  town: '乡镇',
  school: '学校',
  enterprise: '企业',
};
export const channelViewSchema = z
  .object({
    id: objectIdSchema,
    name: z.string(),
    kind: z.enum(CHANNEL_KINDS),
    adminIds: z.array(objectIdSchema),
    /** The admins by name, in adminIds' order (an account that no longer exists is left out). */
    admins: z.array(z.object({ id: objectIdSchema, nickname: z.string() }).strict()),
    createdAt: z.string(),
  })
  .strict();
export type ChannelView = z.infer<typeof channelViewSchema>;
/** GET /api/v1/channels?q=&kind=&cursor=&limit= — oldest first, `q` matches the name. */
export const channelListQuerySchema = z
  .object({
    q: z.string().trim().min(1, '请输入搜索词').max(40, '搜索词最多 40 个字').optional(),
    kind: z.enum(CHANNEL_KINDS).optional(),
    ...idListPageQueryShape,
  })
  .strict();
export type ChannelListQuery = z.infer<typeof channelListQuerySchema>;
export const channelListResponseSchema = pageResponseSchema(channelViewSchema);
export type ChannelListResponse = z.infer<typeof channelListResponseSchema>;
export const channelResponseSchema = z.object({ channel: channelViewSchema }).strict();
export const createChannelBodySchema = z.object({ name: text(40, '单位名称'), kind: z.enum(CHANNEL_KINDS) }).strict();
export const channelAdminBodySchema = z.object({ userId: objectIdSchema }).strict();
export const channelAdminParamsSchema = z.object({ id: objectIdSchema, userId: objectIdSchema }).strict();

export const APPLICATION_STATES = ['pending', 'approved', 'declined'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

/** POST /api/v1/correspondents/applications — the phone is the user's bound phone (POST /me/phone first). */
export const applyBodySchema = z
  .object({
    realName: text(20, '真实姓名'),
    circleId: objectIdSchema,
    /** 片区 */
    district: text(30, '片区'),
    /** 系统 (教育、卫健、政法…) */
    system: text(30, '系统'),
    /** 垂直领域 */
    domain: text(30, '领域'),
    intro: text(500, '个人简介'),
    /** Links to or short descriptions of earlier work. */
    samples: z.array(text(300, '作品')).min(1, '请至少提供一件作品').max(5),
  })
  .strict();
export type ApplyBody = z.infer<typeof applyBodySchema>;

export const applicationViewSchema = z
  .object({
    id: objectIdSchema,
    userId: objectIdSchema,
    realName: z.string(),
    phone: z.string(),
    circleId: objectIdSchema,
    district: z.string(),
    system: z.string(),
    domain: z.string(),
    intro: z.string(),
    samples: z.array(z.string()),
    state: z.enum(APPLICATION_STATES),
    decidedBy: objectIdSchema.nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
    createdAt: z.string(),
  })
  .strict();
export type ApplicationView = z.infer<typeof applicationViewSchema>;
export const applicationResponseSchema = z.object({ application: applicationViewSchema }).strict();
export const applicationListResponseSchema = z.object({ items: z.array(applicationViewSchema) }).strict();
export const applicationListQuerySchema = z
  .object({ circleId: objectIdSchema.optional(), state: z.enum(APPLICATION_STATES).default('pending'), ...queuePageQueryShape })
  .strict();
export const applicationPageSchema = pageResponseSchema(applicationViewSchema);
export const decideApplicationBodySchema = z
  .object({ decision: z.enum(['approve', 'decline']), reason: text(200, '理由').optional() })
  .strict()
  .refine((b) => b.decision === 'approve' || b.reason !== undefined, { message: '拒绝时请填写理由', path: ['reason'] });
export type DecideApplicationBody = z.infer<typeof decideApplicationBodySchema>;
/** POST /correspondents/applications/decisions — approve or decline several applications at once. */
export const batchDecideApplicationsBodySchema = z
  .object({ ids: batchIdsSchema, decision: z.enum(['approve', 'decline']), reason: text(200, '理由').optional() })
  .strict()
  .refine((b) => b.decision === 'approve' || b.reason !== undefined, { message: '拒绝时请填写理由', path: ['reason'] });
export const batchDecideApplicationsResponseSchema = batchResultsSchema(applicationViewSchema);

// ── submissions and the editorial workflow ────────────────────────────────────────

/**
 * The editorial states. `pre_review` is the circle leader's step; `channel_review` is the lighter
 * queue for channel admins' pieces (they skip the circle leader).
 */
export const SUBMISSION_STATES = [
  'draft',
  'submitted',
  'recommended',
  'in_review',
  'returned',
  'rejected',
  'approved',
  'scheduled',
  'published',
] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];
export const SUBMISSION_STATE_LABELS: Readonly<Record<SubmissionState, string>> = {
  draft: '草稿',
  submitted: '待圈长初审',
  recommended: '圈长已推荐',
  in_review: '编辑审核中',
  returned: '退回修改',
  rejected: '未采用',
  approved: '已通过',
  scheduled: '定时发布',
  published: '已发布',
};

/** Who/what does a transition. */
export const SUBMISSION_ACTIONS = ['save', 'submit', 'recommend', 'return', 'claim', 'reject', 'approve', 'publish', 'schedule'] as const;
export type SubmissionAction = (typeof SUBMISSION_ACTIONS)[number];

export const COPYRIGHT_CHOICES = ['exclusive', 'non_exclusive'] as const;
export const GRADES = ['A', 'B', 'C'] as const;
export type Grade = (typeof GRADES)[number];
export const SAFETY_STATES = ['pending', 'pass', 'review', 'risky'] as const;
export type SafetyState = (typeof SAFETY_STATES)[number];

const submissionFields = {
  title: text(60, '标题'),
  body: text(10000, '正文'),
  /** Uploaded image ids (POST /api/v1/files), at most 9. */
  imageIds: z.array(objectIdSchema).max(9, '最多 9 张图片'),
  videoUrl: z.string().trim().url('视频链接无效').max(512).nullable(),
  place: text(50, '地点').nullable(),
  campaign: text(30, '活动标签').nullable(),
  copyright: z.enum(COPYRIGHT_CHOICES),
  /** The writer states the piece is their own original work. */
  originalityStatement: z.boolean(),
  /** Filed against an editor's assignment (选题). */
  assignmentId: objectIdSchema.nullable(),
};

/** POST /api/v1/submissions (a draft) and PATCH /api/v1/submissions/:id (edit a draft or a returned piece). */
export const saveSubmissionBodySchema = z
  .object({
    title: submissionFields.title,
    body: submissionFields.body.optional(),
    imageIds: submissionFields.imageIds.default([]),
    videoUrl: submissionFields.videoUrl.optional(),
    place: submissionFields.place.optional(),
    campaign: submissionFields.campaign.optional(),
    copyright: submissionFields.copyright.optional(),
    originalityStatement: submissionFields.originalityStatement.optional(),
    assignmentId: submissionFields.assignmentId.optional(),
  })
  .strict();
export type SaveSubmissionBody = z.infer<typeof saveSubmissionBodySchema>;

export const timelineEntrySchema = z
  .object({
    action: z.enum(SUBMISSION_ACTIONS),
    from: z.enum(SUBMISSION_STATES).nullable(),
    to: z.enum(SUBMISSION_STATES),
    by: objectIdSchema.nullable(),
    byName: z.string(),
    note: z.string().nullable(),
    at: z.string(),
  })
  .strict();
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const submissionImageSchema = z
  .object({ id: objectIdSchema, url: z.string(), safety: z.enum(SAFETY_STATES), label: z.number().int().nullable() })
  .strict();

export const submissionViewSchema = z
  .object({
    id: objectIdSchema,
    authorId: objectIdSchema,
    authorName: z.string(),
    circleId: objectIdSchema.nullable(),
    channelId: objectIdSchema.nullable(),
    title: z.string(),
    body: z.string(),
    images: z.array(submissionImageSchema),
    videoUrl: z.string().nullable(),
    place: z.string().nullable(),
    campaign: z.string().nullable(),
    copyright: z.enum(COPYRIGHT_CHOICES).nullable(),
    originalityStatement: z.boolean(),
    assignmentId: objectIdSchema.nullable(),
    state: z.enum(SUBMISSION_STATES),
    /** Text safety verdict (msgSecCheck) and whether anything (text or an image) needs an editor's eye. */
    textSafety: z.enum(SAFETY_STATES),
    flagged: z.boolean(),
    claimedBy: objectIdSchema.nullable(),
    grade: z.enum(GRADES).nullable(),
    column: articleColumnSchema.nullable(),
    articleId: objectIdSchema.nullable(),
    publishAt: z.string().nullable(),
    pointsAwarded: z.number().int(),
    timeline: z.array(timelineEntrySchema),
    submittedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type SubmissionView = z.infer<typeof submissionViewSchema>;
export const submissionResponseSchema = z.object({ submission: submissionViewSchema }).strict();
export const submissionListResponseSchema = z
  .object({ items: z.array(submissionViewSchema), nextCursor: objectIdSchema.nullable() })
  .strict();

export const mySubmissionsQuerySchema = z
  .object({
    state: z.enum(SUBMISSION_STATES).optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();

/** GET /api/v1/editorial/queue — editors see every circle; circle leaders only theirs (state `submitted`). */
export const queueQuerySchema = z
  .object({
    state: z.enum(SUBMISSION_STATES).optional(),
    circleId: objectIdSchema.optional(),
    campaign: z.string().trim().min(1).max(30).optional(),
    /** Only pieces waiting at least this many hours. */
    minAgeHours: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 365)
      .optional(),
    flagged: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    /** The lighter queue: channel admins' pieces. */
    lane: z.enum(['standard', 'channel']).optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type QueueQuery = z.infer<typeof queueQuerySchema>;

export const noteBodySchema = z.object({ note: text(500, '备注').optional() }).strict();
export const requiredNoteBodySchema = z.object({ note: text(500, '意见') }).strict();
export const approveBodySchema = z
  .object({ grade: z.enum(GRADES), column: articleColumnSchema.default('correspondent'), note: text(500, '备注').optional() })
  .strict();
export type ApproveBody = z.infer<typeof approveBodySchema>;
export const publishBodySchema = z.object({ publishAt: z.iso.datetime({ offset: true }).optional() }).strict();

/** 选题派发: an editor assigns a clue/topic to a correspondent. */
export const ASSIGNMENT_STATES = ['open', 'accepted', 'filed', 'declined'] as const;
export const createAssignmentBodySchema = z
  .object({
    title: text(60, '选题'),
    brief: text(1000, '选题说明'),
    assigneeId: objectIdSchema,
    dueAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export const assignmentViewSchema = z
  .object({
    id: objectIdSchema,
    title: z.string(),
    brief: z.string(),
    assigneeId: objectIdSchema,
    assignedBy: objectIdSchema,
    state: z.enum(ASSIGNMENT_STATES),
    submissionId: objectIdSchema.nullable(),
    dueAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .strict();
export type AssignmentView = z.infer<typeof assignmentViewSchema>;
export const assignmentResponseSchema = z.object({ assignment: assignmentViewSchema }).strict();
export const assignmentListResponseSchema = pageResponseSchema(assignmentViewSchema);
/** `state=open,accepted`: a comma-separated list of states, each at most once. */
const assignmentStatesSchema = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.array(z.enum(ASSIGNMENT_STATES, { message: '选题状态无效' })).min(1))
  .transform((states) => [...new Set(states)]);
/** GET /api/v1/assignments/mine: newest first, optionally only some states. */
export const myAssignmentsQuerySchema = z.object({ state: assignmentStatesSchema.optional(), ...queuePageQueryShape }).strict();
export type MyAssignmentsQuery = z.infer<typeof myAssignmentsQuerySchema>;
/** GET /api/v1/assignments (editors): also by assignee or by the editor who assigned. */
export const listAssignmentsQuerySchema = z
  .object({
    state: assignmentStatesSchema.optional(),
    assigneeId: objectIdSchema.optional(),
    assignedBy: objectIdSchema.optional(),
    ...queuePageQueryShape,
  })
  .strict();
export type ListAssignmentsQuery = z.infer<typeof listAssignmentsQuerySchema>;

// ── uploads ─────────────────────────────────────────────────────────────────────

export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'video/mp4'] as const;
/**
 * What an upload is for. `licence` (商户入驻's licence photo, personal data) is stored private: the public
 * GET /api/v1/files/:key answers 404 for it, and it is read only through a short-lived signed URL.
 */
export const UPLOAD_PURPOSES = ['licence'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];
export const uploadQuerySchema = z.object({ purpose: z.enum(UPLOAD_PURPOSES, { error: '上传用途不正确' }).optional() }).strict();
/** A private file's signed URL: `exp` (unix seconds) and `sig` (hex HMAC-SHA256 over key and exp). */
export const fileReadQuerySchema = z
  .object({
    exp: z
      .string()
      .regex(/^\d{1,12}$/, '链接已失效')
      .optional(),
    sig: z
      .string()
      .regex(/^[0-9a-f]{64}$/, '链接已失效')
      .optional(),
  })
  .strict();
export const uploadResponseSchema = z
  .object({
    file: z
      .object({
        id: objectIdSchema,
        url: z.string(),
        contentType: z.enum(UPLOAD_TYPES),
        size: z.number().int(),
        safety: z.enum(SAFETY_STATES),
      })
      .strict(),
  })
  .strict();
export type UploadResponse = z.infer<typeof uploadResponseSchema>;
