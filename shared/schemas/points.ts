import { z } from 'zod';
import { objectIdSchema } from './users';

/**
 * Points: the ledger (balance, entries, expiry), the earning rules admins set, and the points mall
 * (goods, redemptions, counter verification). Shared by the API and the mini-program.
 *
 * No points are ever paid for sharing, inviting or canvassing: WeChat's platform rules forbid rewarding it,
 * so there is deliberately no such source.
 */

export const POINTS_SOURCES = ['reading', 'volunteer', 'contribution', 'contest', 'civic', 'mall', 'expiry', 'admin'] as const;
export type PointsSource = (typeof POINTS_SOURCES)[number];
/** Sources that pay through `earn()` and have admin-set rules. */
export const EARN_SOURCES = ['reading', 'volunteer', 'contribution', 'contest', 'civic'] as const;
export type EarnSource = (typeof EARN_SOURCES)[number];
export const POINTS_SOURCE_LABELS: Readonly<Record<PointsSource, string>> = {
  reading: '阅读',
  volunteer: '志愿服务',
  contribution: '投稿',
  contest: '活动评选',
  civic: '公益服务',
  mall: '积分商城',
  expiry: '积分过期',
  admin: '人工调整',
};

const reasonText = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `${label}不能为空`)
    .max(200, `${label}最多 200 个字`)
    .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), `${label}含有不允许的字符`);

// ── ledger ──────────────────────────────────────────────────────────────────────

export const pointsEntrySchema = z
  .object({
    id: objectIdSchema,
    /** Signed integer: credits positive, debits negative. */
    amount: z.number().int(),
    source: z.enum(POINTS_SOURCES),
    sourceLabel: z.string(),
    /** What a person reads in 我的积分, e.g. 阅读《…》. */
    reason: z.string(),
    ref: z.object({ type: z.string(), id: z.string() }).strict().nullable(),
    /** Credits only: when what is left of this lot lapses. */
    expiresAt: z.string().nullable(),
    /** Credits only: how much of this lot is still unspent. */
    remaining: z.number().int().nullable(),
    balanceAfter: z.number().int(),
    createdAt: z.string(),
  })
  .strict();
export type PointsEntry = z.infer<typeof pointsEntrySchema>;

export const balanceResponseSchema = z
  .object({
    balance: z.number().int(),
    /** Points lapsing within the next 7 days, and the earliest such date. */
    expiringSoon: z.object({ amount: z.number().int(), firstAt: z.string().nullable() }).strict(),
  })
  .strict();
export type BalanceResponse = z.infer<typeof balanceResponseSchema>;

export const ledgerQuerySchema = z
  .object({
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    source: z.enum(POINTS_SOURCES).optional(),
  })
  .strict();
export type LedgerQuery = z.infer<typeof ledgerQuerySchema>;

export const ledgerResponseSchema = z.object({ items: z.array(pointsEntrySchema), nextCursor: objectIdSchema.nullable() }).strict();
export type LedgerResponse = z.infer<typeof ledgerResponseSchema>;

export const expiringLotSchema = z
  .object({ entryId: objectIdSchema, remaining: z.number().int(), expiresAt: z.string(), reason: z.string() })
  .strict();
export const expiringSoonQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(90).default(7) }).strict();
export const expiringSoonResponseSchema = z.object({ total: z.number().int(), lots: z.array(expiringLotSchema) }).strict();
export type ExpiringSoonResponse = z.infer<typeof expiringSoonResponseSchema>;

// ── rules ───────────────────────────────────────────────────────────────────────

export const pointsRuleSchema = z
  .object({
    source: z.enum(EARN_SOURCES),
    /** Points per earning event when the caller doesn't name an amount. */
    amount: z.number().int().min(0).max(100_000),
    /** Most a user may earn from this source per Asia/Shanghai day; null = no cap. */
    dailyCap: z.number().int().min(1, '上限至少为 1；不设上限请留空').max(1_000_000, '每日上限最多 1000000').nullable(),
    /** Most a user may earn from this source per Asia/Shanghai calendar month; null = no cap. */
    monthlyCap: z.number().int().min(1, '上限至少为 1；不设上限请留空').max(10_000_000, '每月上限最多 10000000').nullable(),
    enabled: z.boolean(),
  })
  .strict();
export type PointsRule = z.infer<typeof pointsRuleSchema>;

export const rulesResponseSchema = z.object({ rules: z.array(pointsRuleSchema), expiryDays: z.number().int() }).strict();
/** PUT /admin/points/settings: how many days points stay valid. */
export const expiryDaysBodySchema = z.object({ expiryDays: z.number().int().min(1).max(3650) }).strict();
export const sourceParamsSchema = z.object({ source: z.enum(EARN_SOURCES) }).strict();
export const updateRuleBodySchema = pointsRuleSchema.omit({ source: true }).partial().strict();
export type UpdateRuleBody = z.infer<typeof updateRuleBodySchema>;

export const userIdParamsSchema = z.object({ userId: objectIdSchema }).strict();
export const adjustBodySchema = z
  .object({
    /** Non-zero signed integer: positive credits, negative debits (never below zero). */
    amount: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((n) => n !== 0, '调整数量不能为 0'),
    reason: reasonText('调整原因'),
  })
  .strict();
export type AdjustBody = z.infer<typeof adjustBodySchema>;
export const adjustResponseSchema = z.object({ entry: pointsEntrySchema, balance: z.number().int() }).strict();

// ── mall ────────────────────────────────────────────────────────────────────────

export const DELIVERY_MODES = ['pickup', 'ship'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const DELIVERY_MODE_LABELS: Readonly<Record<DeliveryMode, string>> = { pickup: '到柜台领取', ship: '邮寄' };

const imageUrlSchema = z
  .string()
  .trim()
  .max(512)
  .regex(/^(https?:\/\/\S+|\/api\/v1\/files\/[A-Za-z0-9._-]+)$/, '图片地址无效');

export const goodsBodySchema = z
  .object({
    name: reasonText('商品名称').pipe(z.string().max(60, '商品名称最多 60 个字')),
    images: z.array(imageUrlSchema).max(9).default([]),
    description: z.string().trim().max(2000).default(''),
    price: z.number().int().min(1).max(1_000_000),
    stock: z.number().int().min(0).max(1_000_000),
    /** How many one person may redeem (active redemptions); null = no limit. */
    perUserLimit: z.number().int().min(1).max(1000).nullable().default(null),
    deliveryMode: z.enum(DELIVERY_MODES),
    /** Which counter (outlet scope id) hands it over; required for pickup goods. */
    outletId: z.string().trim().min(1).max(64).nullable().default(null),
    activeFrom: z.iso.datetime({ offset: true }).nullable().default(null),
    activeUntil: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .strict();
export type GoodsBody = z.infer<typeof goodsBodySchema>;
export const updateGoodsBodySchema = goodsBodySchema.partial().strict();
export const stockBodySchema = z.object({ delta: z.number().int().min(-1_000_000).max(1_000_000) }).strict();

export const goodsSchema = z
  .object({
    id: objectIdSchema,
    name: z.string(),
    images: z.array(z.string()),
    description: z.string(),
    price: z.number().int(),
    stock: z.number().int(),
    perUserLimit: z.number().int().nullable(),
    deliveryMode: z.enum(DELIVERY_MODES),
    outletId: z.string().nullable(),
    activeFrom: z.string().nullable(),
    activeUntil: z.string().nullable(),
    /** Inside its active window now. */
    active: z.boolean(),
  })
  .strict();
export type Goods = z.infer<typeof goodsSchema>;
export const goodsResponseSchema = z.object({ goods: goodsSchema }).strict();
export const goodsListQuerySchema = z
  .object({ cursor: objectIdSchema.optional(), limit: z.coerce.number().int().min(1).max(50).default(20) })
  .strict();
export const goodsListResponseSchema = z.object({ items: z.array(goodsSchema), nextCursor: objectIdSchema.nullable() }).strict();
export const idParamsSchema = z.object({ id: objectIdSchema }).strict();

export const shippingAddressSchema = z
  .object({
    name: reasonText('收件人').pipe(z.string().max(20)),
    phone: z.string().regex(/^1\d{10}$/, '手机号无效'),
    address: reasonText('地址').pipe(z.string().max(200)),
  })
  .strict();
export const redeemBodySchema = z.object({ shipping: shippingAddressSchema.optional() }).strict();
export type RedeemBody = z.infer<typeof redeemBodySchema>;

export const REDEMPTION_STATUSES = ['pending', 'fulfilled', 'cancelled'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

export const redemptionSchema = z
  .object({
    id: objectIdSchema,
    goodsId: objectIdSchema,
    goodsName: z.string(),
    userId: objectIdSchema,
    price: z.number().int(),
    deliveryMode: z.enum(DELIVERY_MODES),
    outletId: z.string().nullable(),
    status: z.enum(REDEMPTION_STATUSES),
    /** Single-use code shown as a QR at the counter; only to its owner (and staff verifying it). */
    code: z.string(),
    shipping: shippingAddressSchema.nullable(),
    createdAt: z.string(),
    fulfilledAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
  })
  .strict();
export type Redemption = z.infer<typeof redemptionSchema>;
export const redemptionResponseSchema = z.object({ redemption: redemptionSchema, balance: z.number().int().optional() }).strict();
export const redemptionQrResponseSchema = z.object({ code: z.string(), qrDataUrl: z.string() }).strict();
export const redemptionListResponseSchema = z.object({ items: z.array(redemptionSchema), nextCursor: objectIdSchema.nullable() }).strict();
/** GET /admin/mall/redemptions — every redemption, newest first, by status and delivery mode (shipping work, 核销). */
export const adminRedemptionsQuerySchema = z
  .object({
    status: z.enum(REDEMPTION_STATUSES).optional(),
    deliveryMode: z.enum(DELIVERY_MODES).optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type AdminRedemptionsQuery = z.infer<typeof adminRedemptionsQuerySchema>;
export const verifyBodySchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{10,16}$/, '兑换码格式不正确'),
  })
  .strict();
export const cancelBodySchema = z.object({ reason: reasonText('取消原因').optional() }).strict();
