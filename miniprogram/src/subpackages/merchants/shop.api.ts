import type { ApplyMerchantBody, MerchantDetail, UpdateMerchantBody, inviteResponseSchema } from '@shared/schemas/merchants';
import type { z } from 'zod';
import { api } from '../../services/request';

const id = (v: string) => encodeURIComponent(v);
type InviteResponse = z.infer<typeof inviteResponseSchema>;

/**
 * 企业之家入驻 and the owner's shop (server/src/modules/merchants): apply, edit the profile, invite clerks,
 * accept an invite. Silent: the pages show the server's Chinese message next to the form.
 */
export const shopApi = {
  mine: () => api.get<{ items: MerchantDetail[] }>('/api/v1/merchants/mine', { silent: true }),
  apply: (body: ApplyMerchantBody) => api.post<{ merchant: MerchantDetail }>('/api/v1/merchants/applications', body, { silent: true }),
  update: (merchantId: string, body: UpdateMerchantBody) =>
    api.patch<{ merchant: MerchantDetail }>(`/api/v1/merchants/${id(merchantId)}`, body, { silent: true }),
  /** A one-time code (8 letters and digits, valid 24 hours) a clerk types in or scans (qrDataUrl) to join the shop. */
  invite: (merchantId: string) =>
    api.post<InviteResponse>(`/api/v1/merchants/${id(merchantId)}/clerk-invites`, undefined, { silent: true }),
  acceptInvite: (code: string) =>
    api.post<{ merchant: MerchantDetail }>('/api/v1/merchants/clerk-invites/accept', { code }, { silent: true }),
};
