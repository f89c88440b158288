import { z } from 'zod';
import { listPageQueryShape, pageResponseSchema } from './paging';
import { objectIdSchema } from './users';

/**
 * Coupons: merchants' coupons and the government's consumption coupons (政府消费券) — batches, the grab,
 * lottery releases, 我的券 with QR codes, and redemption at the counter. Shared by the API and the mini-program.
 * Money is in fen (integers); a discount is the percentage paid (88 → 8.8 折).
 */

export const COUPON_KINDS = ['amount_off', 'discount', 'spend_x_save_y'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];
export const COUPON_KIND_LABELS: Readonly<Record<CouponKind, string>> = {
  amount_off: '立减券',
  discount: '折扣券',
  spend_x_save_y: '满减券',
};
export const COUPON_STATUSES = ['unused', 'used', 'expired'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];
export const RELEASE_MODES = ['grab', 'lottery'] as const;

const isoDate = z.iso.datetime({ offset: true, message: '请填写有效的时间（ISO 8601）' });
const fen = (label: string) => z.number().int(`${label}必须是整数（分）`).min(0).max(100_000_000);

export const couponValiditySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed'), from: isoDate, until: isoDate }).strict(),
  z.object({ type: z.literal('relative'), days: z.number().int().min(1).max(365) }).strict(),
]);
export type CouponValidity = z.infer<typeof couponValiditySchema>;

export const createBatchBodySchema = z
  .object({
    title: z.string().trim().min(1, '标题不能为空').max(40, '标题最多 40 个字'),
    description: z.string().trim().max(500).optional(),
    kind: z.enum(COUPON_KINDS),
    /** amount_off / spend_x_save_y: fen off; discount: percentage paid, 1–99. */
    value: z.number({ error: '请填写面额' }).int().min(1, '面额至少为 1').max(100_000_000),
    /** Smallest order (fen) the coupon applies to; 0 for none. spend_x_save_y needs one. */
    threshold: fen('门槛').default(0),
    totalStock: z.number({ error: '请填写发放总量' }).int().min(1, '发放总量至少 1 张').max(1_000_000, '发放总量最多 1000000 张'),
    perUserLimit: z.number({ error: '请填写每人限领张数' }).int().min(1, '每人至少限领 1 张').max(10, '每人最多限领 10 张').default(1),
    claimStartsAt: isoDate,
    claimEndsAt: isoDate,
    validity: couponValiditySchema,
    /** A merchant's own batch (issuer = that merchant) or the government's with participating merchants. */
    issuer: z.discriminatedUnion('type', [
      z.object({ type: z.literal('merchant'), merchantId: objectIdSchema }).strict(),
      z
        .object({
          type: z.literal('government'),
          merchantIds: z.array(objectIdSchema).min(1, '请至少选择一家参与商户').max(500, '参与商户最多 500 家'),
        })
        .strict(),
    ]),
    /** Government batches only: 'lottery' = sign up between claimStartsAt and claimEndsAt, then a draw. */
    mode: z.enum(RELEASE_MODES).default('grab'),
  })
  .strict();
export type CreateBatchBody = z.infer<typeof createBatchBodySchema>;

/**
 * A new batch's rules beyond its schema — windows in order, values that make sense for the kind, lotteries only
 * for government coupons — as the first problem and the field it is about (null when none). The API refuses
 * such a batch with COUPON_BATCH_INVALID and this message; the console shows it under the field before sending.
 */
export function batchRuleProblem(body: CreateBatchBody): { path: string; message: string } | null {
  const starts = Date.parse(body.claimStartsAt);
  if (Date.parse(body.claimEndsAt) <= starts) return { path: 'claimEndsAt', message: '领券结束时间应晚于开始时间' };
  if (body.validity.type === 'fixed') {
    const until = Date.parse(body.validity.until);
    if (until <= Date.parse(body.validity.from)) return { path: 'validity.until', message: '有效期结束时间应晚于开始时间' };
    if (until <= starts) return { path: 'validity.until', message: '有效期不能早于领券开始时间' };
  }
  if (body.kind === 'discount' && body.value > 99) return { path: 'value', message: '折扣券的值为实付百分比（1–99，如 88 表示 8.8 折）' };
  if (body.kind === 'spend_x_save_y' && body.threshold <= body.value) return { path: 'threshold', message: '满减券的门槛应大于减免金额' };
  if (body.kind === 'amount_off' && body.threshold > 0 && body.threshold <= body.value)
    return { path: 'threshold', message: '门槛应大于立减金额' };
  if (body.mode === 'lottery' && body.issuer.type !== 'government') return { path: 'mode', message: '只有政府消费券可以抽签发放' };
  return null;
}

export const batchViewSchema = z
  .object({
    id: objectIdSchema,
    title: z.string(),
    description: z.string(),
    kind: z.enum(COUPON_KINDS),
    value: z.number().int(),
    threshold: z.number().int(),
    totalStock: z.number().int(),
    /** Live: what the gate can still hand out (grab batches); null for lottery batches. */
    remaining: z.number().int().nullable(),
    perUserLimit: z.number().int(),
    claimStartsAt: z.string(),
    claimEndsAt: z.string(),
    validity: couponValiditySchema,
    issuer: z.object({ type: z.enum(['merchant', 'government']), merchantId: objectIdSchema.nullable() }).strict(),
    merchantIds: z.array(objectIdSchema),
    mode: z.enum(RELEASE_MODES),
    /** Where the batch is now, for the coupon centre's button. */
    phase: z.enum(['upcoming', 'open', 'ended']),
    createdAt: z.string(),
  })
  .strict();
export type BatchView = z.infer<typeof batchViewSchema>;
export const batchResponseSchema = z.object({ batch: batchViewSchema }).strict();
/** 领券中心: soonest claim start first (a stable `(claimStartsAt, id)` cursor), a page at a time. */
export const batchListResponseSchema = pageResponseSchema(batchViewSchema);

export const listBatchesQuerySchema = z
  .object({
    merchantId: objectIdSchema.optional(),
    issuer: z.enum(['merchant', 'government']).optional(),
    mode: z.enum(RELEASE_MODES).optional(),
    /** Default: batches still claimable or upcoming; `ended`: the claim (or lottery sign-up) window has closed. */
    include: z.enum(['current', 'ended', 'all']).default('current'),
    /** By claim start: `soonest` first (领券中心) or `latest` first (the admin's list, lottery results). */
    order: z.enum(['soonest', 'latest']).default('soonest'),
    ...listPageQueryShape,
  })
  .strict();

export const couponViewSchema = z
  .object({
    id: objectIdSchema,
    batchId: objectIdSchema,
    title: z.string(),
    kind: z.enum(COUPON_KINDS),
    value: z.number().int(),
    threshold: z.number().int(),
    status: z.enum(COUPON_STATUSES),
    claimedAt: z.string(),
    validFrom: z.string(),
    validUntil: z.string(),
    redeemedAt: z.string().nullable(),
    redeemedMerchantId: objectIdSchema.nullable(),
    merchantIds: z.array(objectIdSchema),
  })
  .strict();
export type CouponView = z.infer<typeof couponViewSchema>;
export const couponResponseSchema = z.object({ coupon: couponViewSchema }).strict();
/** 我的券: the latest claimed first (a stable `(claimedAt, id)` cursor), a page at a time. */
export const couponListResponseSchema = pageResponseSchema(couponViewSchema);
export const myCouponsQuerySchema = z.object({ status: z.enum(COUPON_STATUSES).optional(), ...listPageQueryShape }).strict();

export const claimResponseSchema = z.object({ coupon: couponViewSchema, remaining: z.number().int() }).strict();
/**
 * The grab's optional `Idempotency-Key` header: the same rule as every retry-safe write (a retry with the
 * same key gets the first claim's coupon back, never a second one).
 */
export { idempotencyKeySchema as grabRequestKeySchema } from './idempotency';

export const couponQrResponseSchema = z
  .object({
    /** What the QR code encodes (the clerk's scanner sends it back as `code`). */
    payload: z.string(),
    /** data:image/png;base64,… */
    dataUrl: z.string(),
    validUntil: z.string(),
  })
  .strict();

/** The QR payload prefix; the code after it is the coupon's unguessable redemption code. */
export const COUPON_QR_PREFIX = 'rmcoupon:';
export const redeemBodySchema = z
  .object({
    /** The scanned payload (`rmcoupon:<code>`) or the bare code typed in. */
    code: z
      .string()
      .trim()
      .max(64)
      .transform((s) => (s.startsWith(COUPON_QR_PREFIX) ? s.slice(COUPON_QR_PREFIX.length) : s))
      .pipe(z.string().regex(/^[A-Za-z0-9]{16,32}$/, '券码无效')),
    merchantId: objectIdSchema,
    /** Order amount (fen), checked against the batch's threshold when given. */
    orderAmount: fen('消费金额').optional(),
  })
  .strict();
export type RedeemBody = z.infer<typeof redeemBodySchema>;

export const batchStatsSchema = z
  .object({
    batchId: objectIdSchema,
    title: z.string(),
    totalStock: z.number().int(),
    claimed: z.number().int(),
    redeemed: z.number().int(),
    expired: z.number().int(),
    unused: z.number().int(),
    /** Government batches: coupons redeemed at the asking merchant. */
    redeemedHere: z.number().int().nullable(),
  })
  .strict();
export type BatchStats = z.infer<typeof batchStatsSchema>;
export const batchStatsResponseSchema = z.object({ stats: batchStatsSchema }).strict();
export const merchantStatsResponseSchema = z.object({ items: z.array(batchStatsSchema) }).strict();

export const drawViewSchema = z
  .object({
    batchId: objectIdSchema,
    /** Hex seed the draw used: anyone can re-run drawWinners(seed, entrants, stock) and get the same winners. */
    seed: z.string(),
    entrants: z.array(objectIdSchema),
    winners: z.array(objectIdSchema),
    drawnAt: z.string(),
  })
  .strict();
export type DrawView = z.infer<typeof drawViewSchema>;
export const drawResponseSchema = z.object({ draw: drawViewSchema }).strict();
export const signupResponseSchema = z.object({ signedUp: z.literal(true), entrants: z.number().int() }).strict();
/** GET …/signup: whether the caller is signed up (any device), and how many are. */
export const signupStatusSchema = z.object({ signedUp: z.boolean(), entrants: z.number().int() }).strict();

export const batchIdParamsSchema = z.object({ id: objectIdSchema }).strict();
export const merchantIdParamsSchema = z.object({ merchantId: objectIdSchema }).strict();
