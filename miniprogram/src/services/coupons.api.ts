import type { BatchStats, BatchView, CouponStatus, CouponView, DrawView } from '@shared/schemas/coupons';
import type { MerchantDetail, MerchantView, PromotionView } from '@shared/schemas/merchants';
import type { CursorPage } from './core/all-pages';
import { api } from './request';

type Items<T> = { items: T[] };
/** A cursor-paged list: pass `nextCursor` back for the next page (null on the last). */
export type Page<T> = CursorPage<T>;
const id = (v: string) => encodeURIComponent(v);

/** 企业之家 (server/src/modules/merchants): directory, merchant page, promotions, my merchants. */
export const merchantsApi = {
  directory: (q: { category?: string; q?: string; lat?: number; lng?: number; limit?: number }) =>
    api.get<Items<MerchantView>>('/api/v1/merchants', { query: q, silent: true }),
  get: (merchantId: string) => api.get<{ merchant: MerchantView }>(`/api/v1/merchants/${id(merchantId)}`, { silent: true }),
  promotions: (merchantId: string, cursor?: string | null) =>
    api.get<Page<PromotionView>>(`/api/v1/merchants/${id(merchantId)}/promotions`, {
      query: { cursor: cursor ?? undefined },
      silent: true,
    }),
  mine: () => api.get<Items<MerchantDetail>>('/api/v1/merchants/mine', { silent: true }),
};

/** Coupons (server/src/modules/coupons): 领券中心, grab, lottery sign-up, 我的券 + QR, redemption, stats. */
export const couponsApi = {
  batches: (q: { merchantId?: string; issuer?: 'merchant' | 'government'; cursor?: string | null } = {}) =>
    api.get<Page<BatchView>>('/api/v1/coupon-batches', { query: { ...q, cursor: q.cursor ?? undefined }, silent: true }),
  batch: (batchId: string) => api.get<{ batch: BatchView }>(`/api/v1/coupon-batches/${id(batchId)}`, { silent: true }),
  // An Idempotency-Key on every grab: a retry with the same key gets the first grab's coupon back instead
  // of a second one. Pass the key of an unsettled earlier tap (subpackages/coupons/grab-keys.ts) to retry it.
  claim: (batchId: string, idempotencyKey: string | true = true) =>
    api.post<{ coupon: CouponView; remaining: number }>(`/api/v1/coupon-batches/${id(batchId)}/claim`, undefined, { idempotencyKey }),
  signUp: (batchId: string) => api.post<{ signedUp: true; entrants: number }>(`/api/v1/coupon-batches/${id(batchId)}/signup`),
  draw: (batchId: string) => api.get<{ draw: DrawView }>(`/api/v1/coupon-batches/${id(batchId)}/draw`, { silent: true }),
  mine: (status?: CouponStatus, cursor?: string | null, limit?: number) =>
    api.get<Page<CouponView>>('/api/v1/coupons/mine', { query: { status, cursor: cursor ?? undefined, limit }, silent: true }),
  qrCode: (couponId: string) =>
    api.get<{ payload: string; dataUrl: string; validUntil: string }>(`/api/v1/coupons/${id(couponId)}/qrcode`, { silent: true }),
  // The scan's key (services/core/retry-keys.ts, one per scanned code until settled): a retry after a lost
  // answer gets 核销成功 again instead of 已核销.
  redeem: (body: { code: string; merchantId: string; orderAmount?: number }, idempotencyKey: string | true = true) =>
    api.post<{ coupon: CouponView }>('/api/v1/coupons/redeem', body, { idempotencyKey }),
  merchantStats: (merchantId: string) => api.get<Items<BatchStats>>(`/api/v1/merchants/${id(merchantId)}/coupon-stats`, { silent: true }),
};

/** 满 100 减 20 / 立减 5 元 / 8.8 折 — how a coupon's value reads (money in fen). */
export function couponValueText(c: { kind: BatchView['kind']; value: number; threshold: number }): string {
  const yuan = (fen: number) => `${fen % 100 === 0 ? fen / 100 : (fen / 100).toFixed(2)} 元`;
  if (c.kind === 'discount')
    return `${(c.value / 10).toFixed(1).replace(/\.0$/, '')} 折${c.threshold > 0 ? `（满 ${yuan(c.threshold)}）` : ''}`;
  if (c.kind === 'spend_x_save_y') return `满 ${yuan(c.threshold)} 减 ${yuan(c.value)}`;
  return `立减 ${yuan(c.value)}${c.threshold > 0 ? `（满 ${yuan(c.threshold)}）` : ''}`;
}

/**
 * The value column of a coupon card, WeChat card-coupon style: a big number, its unit, and the condition under
 * it ("20" "元" "满 100 元可用"; "8.8" "折" "无门槛").
 */
export function couponValueParts(c: { kind: BatchView['kind']; value: number; threshold: number }): {
  amount: string;
  unit: string;
  condition: string;
} {
  const yuan = (fen: number) => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));
  const condition = c.threshold > 0 ? `满 ${yuan(c.threshold)} 元可用` : '无门槛';
  if (c.kind === 'discount') return { amount: (c.value / 10).toFixed(1).replace(/\.0$/, ''), unit: '折', condition };
  return { amount: yuan(c.value), unit: '元', condition };
}

/** 2026-11-24 10:00 (Asia/Shanghai). */
export function shanghaiTime(iso: string): string {
  const s = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}
