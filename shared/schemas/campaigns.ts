import { z } from 'zod';
import { pageResponseSchema, queuePageQueryShape } from './paging';
import { text } from './text';
import { objectIdSchema } from './users';

/** Topic campaigns (专题活动): admins launch them; correspondents file pieces carrying the campaign tag. */

const isoDate = z.iso.datetime({ offset: true, message: '时间格式无效' });

export const createCampaignBodySchema = z
  .object({
    title: text(40, '标题'),
    description: text(2000, '活动说明'),
    cover: z
      .string()
      .trim()
      .max(512)
      .regex(/^(https?:\/\/\S+|\/api\/v1\/files\/[A-Za-z0-9._-]+)$/, '封面地址无效')
      .optional(),
    /** What correspondents put in a submission's `campaign` field (same limits). */
    tag: text(30, '投稿话题'),
    startsAt: isoDate,
    endsAt: isoDate,
    targetCircleIds: z.array(objectIdSchema).max(100).default([]),
    /** Extra points for each approved piece carrying the tag, on top of the contribution points. */
    bonusPoints: z.number().int().min(0).max(10_000).default(0),
  })
  .strict()
  .refine((c) => Date.parse(c.endsAt) > Date.parse(c.startsAt), { message: '结束时间必须晚于开始时间', path: ['endsAt'] });
export type CreateCampaignBody = z.infer<typeof createCampaignBodySchema>;

export const campaignIdParamsSchema = z.object({ id: objectIdSchema }).strict();
export const campaignPiecesQuerySchema = z
  .object({
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();

export const campaignFiguresSchema = z
  .object({ pieces: z.number().int(), participants: z.number().int(), reads: z.number().int() })
  .strict();

export const campaignViewSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    cover: z.string().nullable(),
    tag: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(['upcoming', 'running', 'ended']),
    targetCircleIds: z.array(z.string()),
    bonusPoints: z.number().int(),
    createdAt: z.string(),
  })
  .strict();
export type CampaignView = z.infer<typeof campaignViewSchema>;

export const campaignPieceSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    authorName: z.string(),
    cover: z.string().nullable(),
    videoUrl: z.string().nullable(),
    /** Set once published: the article to open. */
    articleId: z.string().nullable(),
    submittedAt: z.string().nullable(),
  })
  .strict();

export const launchCampaignResponseSchema = z
  .object({
    campaign: campaignViewSchema,
    /** Correspondents of the target circles a subscribe message reached, and those who had none left. */
    notified: z.number().int(),
    notSubscribed: z.number().int(),
  })
  .strict();
export const campaignPageResponseSchema = z
  .object({
    campaign: campaignViewSchema,
    figures: campaignFiguresSchema,
    pieces: z.array(campaignPieceSchema),
    nextCursor: z.string().nullable(),
  })
  .strict();
/** A campaign's status by its dates: before `startsAt`, until `endsAt`, after. */
export const CAMPAIGN_STATUSES = ['upcoming', 'running', 'ended'] as const;
/** GET /api/v1/campaigns: newest launched first, optionally only those in one status. */
export const listCampaignsQuerySchema = z.object({ status: z.enum(CAMPAIGN_STATUSES).optional(), ...queuePageQueryShape }).strict();
export type ListCampaignsQuery = z.infer<typeof listCampaignsQuerySchema>;
export const campaignListResponseSchema = pageResponseSchema(campaignViewSchema);
