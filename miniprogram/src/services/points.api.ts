import type { BalanceResponse, ExpiringSoonResponse, Goods, LedgerResponse, Redemption } from '@shared/schemas/points';
import { api } from './request';

const id = (v: string) => encodeURIComponent(v);
type Paged<T> = { items: T[]; nextCursor: string | null };

/** Points ledger and mall (server/src/modules/points, server/src/modules/mall). */
export const pointsApi = {
  balance: () => api.get<BalanceResponse>('/api/v1/me/points', { silent: true }),
  ledger: (cursor: string | null) =>
    api.get<LedgerResponse>('/api/v1/me/points/ledger', { query: { cursor: cursor ?? undefined, limit: 20 }, silent: true }),
  expiringSoon: () => api.get<ExpiringSoonResponse>('/api/v1/me/points/expiring-soon', { silent: true }),
  goods: (cursor: string | null) =>
    api.get<Paged<Goods>>('/api/v1/mall/goods', { query: { cursor: cursor ?? undefined, limit: 20 }, silent: true }),
  goodsDetail: (goodsId: string) => api.get<{ goods: Goods }>(`/api/v1/mall/goods/${id(goodsId)}`, { silent: true }),
  // One key per confirmed tap: a network retry replays the answer instead of redeeming twice.
  redeem: (goodsId: string, shipping?: { name: string; phone: string; address: string }) =>
    api.post<{ redemption: Redemption; balance: number }>(`/api/v1/mall/goods/${id(goodsId)}/redeem`, shipping ? { shipping } : {}, {
      idempotencyKey: true,
    }),
  redemptions: (cursor: string | null) =>
    api.get<Paged<Redemption>>('/api/v1/me/redemptions', { query: { cursor: cursor ?? undefined, limit: 20 }, silent: true }),
  qr: (redemptionId: string) =>
    api.get<{ code: string; qrDataUrl: string }>(`/api/v1/me/redemptions/${id(redemptionId)}/qr`, { silent: true }),
  cancel: (redemptionId: string) =>
    api.post<{ redemption: Redemption; balance: number }>(`/api/v1/me/redemptions/${id(redemptionId)}/cancel`, {}),
  preview: (code: string) => api.get<{ redemption: Redemption }>(`/api/v1/mall/verifications/${id(code)}`),
  // The scan's key (services/core/retry-keys.ts, one per code until settled): a retry after a lost answer
  // gets 核销成功 again instead of 已领取.
  verify: (code: string, idempotencyKey: string | true = true) =>
    api.post<{ redemption: Redemption }>('/api/v1/mall/verifications', { code }, { idempotencyKey }),
};

/** 2026-11-24 10:00 (Asia/Shanghai). */
export function shanghaiTime(iso: string): string {
  const s = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

export const REDEMPTION_STATUS_LABELS: Readonly<Record<Redemption['status'], string>> = {
  pending: '待领取',
  fulfilled: '已领取',
  cancelled: '已取消',
};
