import type { BatchView, CreateBatchBody } from '@shared/schemas/coupons';
import type { CreatePromotionBody, PromotionView } from '@shared/schemas/merchants';
import { api } from '../../services/request';

/**
 * The merchant workspace: writes (owners: a promotion for review, a new coupon batch; the pages show errors
 * inline) and the shop's own promotions in every review state (owner and clerks).
 */
export const merchantDeskApi = {
  /** Newest first, a page at a time (`nextCursor` for the next). */
  ownPromotions: (merchantId: string, cursor?: string | null) =>
    api.get<{ items: PromotionView[]; nextCursor: string | null }>(`/api/v1/merchants/${encodeURIComponent(merchantId)}/promotions/all`, {
      query: { cursor: cursor ?? undefined },
      silent: true,
    }),
  createPromotion: (merchantId: string, body: CreatePromotionBody) =>
    api.post<{ promotion: PromotionView }>(`/api/v1/merchants/${encodeURIComponent(merchantId)}/promotions`, body, { silent: true }),
  createBatch: (body: CreateBatchBody) => api.post<{ batch: BatchView }>('/api/v1/coupon-batches', body, { silent: true }),
};
