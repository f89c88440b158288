import type { BatchView, DrawView } from '@shared/schemas/coupons';
import { isApiError } from '../../services/core/api-error';
import { api } from '../../services/request';

const id = (v: string) => encodeURIComponent(v);

/**
 * Government consumption coupons (政府消费券): every government batch including ended ones (lottery results
 * for citizens, the admin's list), and the admin's draw (a new batch goes through merchantDeskApi.createBatch, the same endpoint). Pages show errors inline.
 */
export const governmentCouponsApi = {
  /** Every government batch, the latest claim start first, a page at a time (the admin's list). */
  batches: (cursor?: string | null) =>
    api.get<{ items: BatchView[]; nextCursor: string | null }>('/api/v1/coupon-batches', {
      query: { issuer: 'government', include: 'all', order: 'latest', cursor: cursor ?? undefined },
      silent: true,
    }),
  /** Lotteries whose sign-up has closed, the latest first: one page is plenty for 抽签结果 (the last 30 days). */
  endedLotteries: () =>
    api.get<{ items: BatchView[]; nextCursor: string | null }>('/api/v1/coupon-batches', {
      query: { issuer: 'government', mode: 'lottery', include: 'ended', order: 'latest', limit: 50 },
      silent: true,
    }),
  draw: (batchId: string) => api.post<{ draw: DrawView }>(`/api/v1/coupon-batches/${id(batchId)}/draw`, undefined, { silent: true }),
  /** Whether the signed-in user signed up for a lottery batch (from any phone); silent: the page still shows the batch. */
  signupStatus: (batchId: string) =>
    api.get<{ signedUp: boolean; entrants: number }>(`/api/v1/coupon-batches/${id(batchId)}/signup`, { silent: true }),
  /** The recorded draw, or null before it (404 尚未抽签); other failures are thrown. */
  drawOf: (batchId: string): Promise<DrawView | null> =>
    api.get<{ draw: DrawView }>(`/api/v1/coupon-batches/${id(batchId)}/draw`, { silent: true }).then(
      (r) => r.draw,
      (err: unknown) => {
        if (isApiError(err) && err.status === 404) return null;
        throw err;
      },
    ),
};
