import type { BatchView, CreateBatchBody } from '@shared/schemas/coupons';
import type { CreatePromotionBody, PromotionView } from '@shared/schemas/merchants';
import { api } from '../../services/request';

/** The merchant workspace's writes (owners): a promotion for review, a new coupon batch. The pages show errors inline. */
export const merchantDeskApi = {
  createPromotion: (merchantId: string, body: CreatePromotionBody) =>
    api.post<{ promotion: PromotionView }>(`/api/v1/merchants/${encodeURIComponent(merchantId)}/promotions`, body, { silent: true }),
  createBatch: (body: CreateBatchBody) => api.post<{ batch: BatchView }>('/api/v1/coupon-batches', body, { silent: true }),
};
