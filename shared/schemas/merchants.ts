import { z } from 'zod';
import { batchIdsSchema, batchResultsSchema, listPageQueryShape, pageResponseSchema, queuePageQueryShape } from './paging';
import { objectIdSchema } from './users';

/** 企业之家: merchant listings (apply → editor review), the public directory, clerks and promotions. */

export const MERCHANT_CATEGORIES = ['餐饮', '零售', '文旅', '家居家电', '汽车', '生活服务', '教育培训', '医疗健康', '其他'] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];
export const MERCHANT_STATES = ['pending', 'approved', 'declined'] as const;
export type MerchantState = (typeof MERCHANT_STATES)[number];
export const PROMOTION_KINDS = ['开业', '促销', '庆典', '新品', '其他'] as const;
export const PROMOTION_STATES = ['pending', 'published', 'rejected'] as const;

const noControlChars = (s: string) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const line = (max: number, label: string) =>
  z.string().trim().min(1, `${label}不能为空`).max(max, `${label}最多 ${max} 个字`).refine(noControlChars, `${label}含有不允许的字符`);
const photoUrl = z
  .string()
  .trim()
  .max(512)
  .regex(/^(https?:\/\/\S+|\/api\/v1\/files\/[A-Za-z0-9._-]+)$/, '图片地址无效');
const isoDate = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601' });

export const coordinatesSchema = z
  .object({
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
  })
  .strict();

const LICENCE_PHOTO_MISSING = '请上传营业执照照片';

export const applyMerchantBodySchema = z
  .object({
    name: line(40, '店名'),
    category: z.enum(MERCHANT_CATEGORIES),
    address: line(120, '地址'),
    location: coordinatesSchema,
    hours: line(60, '营业时间'),
    phone: z
      .string()
      .trim()
      .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '电话号码格式不正确'),
    photos: z.array(photoUrl).max(9).default([]),
    /** 统一社会信用代码 (18) or an older licence number (15). */
    licenceNo: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|\d{15})$/, '营业执照号格式不正确'),
    /** The licence photo the applicant uploaded (POST /api/v1/files): its file id, which must be their own upload. */
    licencePhotoFileId: z.string({ error: LICENCE_PHOTO_MISSING }).regex(/^[0-9a-f]{24}$/, LICENCE_PHOTO_MISSING),
    intro: z.string().trim().max(500).refine(noControlChars, '简介含有不允许的字符').default(''),
  })
  .strict();
export type ApplyMerchantBody = z.infer<typeof applyMerchantBodySchema>;

/** What an owner may change without a new review (name, category and licence stay as approved). */
// Spelled out (not .pick().partial()): the application's defaults would blank photos and intro on every edit.
export const updateMerchantBodySchema = z
  .object({
    address: line(120, '地址').optional(),
    location: coordinatesSchema.optional(),
    hours: line(60, '营业时间').optional(),
    phone: applyMerchantBodySchema.shape.phone.optional(),
    photos: z.array(photoUrl).max(9).optional(),
    intro: z.string().trim().max(500).refine(noControlChars, '简介含有不允许的字符').optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: '没有要修改的内容' });
export type UpdateMerchantBody = z.infer<typeof updateMerchantBodySchema>;

export const decideMerchantBodySchema = z
  .object({
    decision: z.enum(['approve', 'decline']),
    reason: z.string().trim().max(200).optional(),
  })
  .strict()
  .refine((b) => b.decision === 'approve' || (b.reason?.length ?? 0) > 0, { message: '驳回需填写理由', path: ['reason'] });

export const merchantViewSchema = z
  .object({
    id: objectIdSchema,
    name: z.string(),
    category: z.enum(MERCHANT_CATEGORIES),
    address: z.string(),
    location: coordinatesSchema,
    hours: z.string(),
    phone: z.string(),
    photos: z.array(z.string()),
    intro: z.string(),
    state: z.enum(MERCHANT_STATES),
    /** Metres from the asking point when the directory was asked with lat/lng. */
    distanceM: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .strict();
export type MerchantView = z.infer<typeof merchantViewSchema>;

/** What the applicant, the owner and editors see besides the public listing. */
export const merchantDetailSchema = merchantViewSchema
  .extend({
    licenceNo: z.string(),
    /**
     * The licence photo (it carries personal data): only for the applicant and the editors reviewing, never for
     * clerks or the public shop page. Absent too on applications filed before the photo was asked for.
     */
    licencePhoto: z.object({ fileId: objectIdSchema, url: z.string() }).strict().optional(),
    ownerId: objectIdSchema,
    reason: z.string().nullable(),
    decidedAt: z.string().nullable(),
  })
  .strict();
export type MerchantDetail = z.infer<typeof merchantDetailSchema>;

export const merchantResponseSchema = z.object({ merchant: merchantDetailSchema }).strict();
export const publicMerchantResponseSchema = z.object({ merchant: merchantViewSchema }).strict();
export const merchantListResponseSchema = z.object({ items: z.array(merchantViewSchema) }).strict();
export const merchantDetailListResponseSchema = z.object({ items: z.array(merchantDetailSchema) }).strict();

const numberFromQuery = (min: number, max: number) => z.coerce.number().min(min).max(max);
export const directoryQuerySchema = z
  .object({
    category: z.enum(MERCHANT_CATEGORIES).optional(),
    q: z.string().trim().min(1).max(40).optional(),
    lat: numberFromQuery(-90, 90).optional(),
    lng: numberFromQuery(-180, 180).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict()
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), { message: 'lat 和 lng 需同时提供', path: ['lat'] });
export type DirectoryQuery = z.infer<typeof directoryQuerySchema>;

export const applicationsQuerySchema = z.object({ state: z.enum(MERCHANT_STATES).default('pending'), ...queuePageQueryShape }).strict();
export const merchantApplicationPageSchema = pageResponseSchema(merchantDetailSchema);
/** POST /merchants/applications/decisions — approve or decline several applications at once. */
export const batchDecideMerchantsBodySchema = z
  .object({ ids: batchIdsSchema, decision: z.enum(['approve', 'decline']), reason: z.string().trim().max(200).optional() })
  .strict()
  .refine((b) => b.decision === 'approve' || (b.reason?.length ?? 0) > 0, { message: '驳回需填写理由', path: ['reason'] });
export const batchDecideMerchantsResponseSchema = batchResultsSchema(merchantDetailSchema);

/** The page a clerk joins a shop on; a scanned invite opens it with `?invite=<code>`. */
export const CLERK_JOIN_PAGE = 'subpackages/merchants/pages/shop/index';

/** What the invite's QR code says: the join page with the code, so the app's scanner (or a link) fills it in. */
export function clerkInviteQrText(code: string): string {
  return `/${CLERK_JOIN_PAGE}?invite=${code}`;
}

/**
 * The invite code in what a scanner read: the QR's text (clerkInviteQrText, with or without the host in front)
 * or the code typed on its own. Null when it holds no code.
 */
export function inviteCodeFromScan(text: string): string | null {
  const raw = text.trim();
  const m = /[?&]invite=([A-Za-z0-9]{8})(?:&|#|$)/.exec(raw) ?? /^([A-Za-z0-9]{8})$/.exec(raw);
  return m?.[1] ? m[1].toUpperCase() : null;
}

export const inviteResponseSchema = z
  .object({
    code: z.string(),
    expiresAt: z.string(),
    /** The code as a QR image (PNG data URL) encoding clerkInviteQrText(code), for the clerk to scan. */
    qrDataUrl: z.string(),
  })
  .strict();
export const acceptInviteBodySchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{8}$/, '邀请码格式不正确'),
  })
  .strict();

export const createPromotionBodySchema = z
  .object({
    kind: z.enum(PROMOTION_KINDS),
    title: line(40, '标题'),
    body: z.string().trim().min(1, '内容不能为空').max(2000, '内容最多 2000 个字'),
    photos: z.array(photoUrl).max(9).default([]),
    startsAt: isoDate.optional(),
    endsAt: isoDate.optional(),
  })
  .strict();
export type CreatePromotionBody = z.infer<typeof createPromotionBodySchema>;

export const reviewPromotionBodySchema = z
  .object({ decision: z.enum(['publish', 'reject']), reason: z.string().trim().max(200).optional() })
  .strict()
  .refine((b) => b.decision === 'publish' || (b.reason?.length ?? 0) > 0, { message: '驳回需填写理由', path: ['reason'] });

export const promotionViewSchema = z
  .object({
    id: objectIdSchema,
    merchantId: objectIdSchema,
    merchantName: z.string(),
    kind: z.enum(PROMOTION_KINDS),
    title: z.string(),
    body: z.string(),
    photos: z.array(z.string()),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    state: z.enum(PROMOTION_STATES),
    /** WeChat's text-check verdict: 'review' promotions are flagged for the editor. */
    textSafety: z.enum(['pass', 'review', 'risky']),
    reason: z.string().nullable(),
    /** The feed article (企业之家 column) once published. */
    articleId: objectIdSchema.nullable(),
    createdAt: z.string(),
  })
  .strict();
export type PromotionView = z.infer<typeof promotionViewSchema>;
/** Several promotions reviewed at once (the console's 批量发布 / 批量驳回): each as a single review would. */
export const batchReviewPromotionsBodySchema = z
  .object({ ids: batchIdsSchema, decision: z.enum(['publish', 'reject']), reason: z.string().trim().max(200).optional() })
  .strict()
  .refine((b) => b.decision === 'publish' || (b.reason?.length ?? 0) > 0, { message: '驳回需填写理由', path: ['reason'] });
export const batchReviewPromotionsResponseSchema = batchResultsSchema(promotionViewSchema);
export const promotionResponseSchema = z.object({ promotion: promotionViewSchema }).strict();
export const promotionQueueQuerySchema = z.object({ state: z.enum(PROMOTION_STATES).default('pending'), ...queuePageQueryShape }).strict();
export const promotionPageSchema = pageResponseSchema(promotionViewSchema);
/** Published promotions (企业之家 column, one shop's page): newest published first, a page at a time. */
export const promotionsQuerySchema = z.object({ ...listPageQueryShape }).strict();
/** The shop's own promotions in every review state (owner and clerks): all of them, or one state; newest first. */
export const ownPromotionsQuerySchema = z.object({ state: z.enum(PROMOTION_STATES).optional(), ...listPageQueryShape }).strict();

export const idParamsSchema = z.object({ id: objectIdSchema }).strict();
