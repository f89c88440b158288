import type { CampaignView, CreateCampaignBody } from '@shared/schemas/campaigns';
import type { ContestView, CreateContestBody } from '@shared/schemas/contests';
import type { CircleView } from '@shared/schemas/newsroom';
import type { UserView } from '@shared/schemas/users';
import { allPages, type CursorPage } from './core/all-pages';
import { api } from './request';

/**
 * Admin side of campaigns and contests (server/src/modules/{campaigns,contests}): launching a campaign,
 * configuring a contest and appointing its jurors, and the lists the forms pick from. Writes show the
 * server's Chinese message as a toast; the forms also keep it on the page.
 */
export const contestsAdminApi = {
  /** A page of campaigns, newest launched first. */
  campaigns: (cursor?: string | null) =>
    api.get<CursorPage<CampaignView>>('/api/v1/campaigns', { query: { cursor, limit: 50 }, silent: true }),
  /** A page of contests, newest first. */
  contests: (cursor?: string | null) =>
    api.get<CursorPage<ContestView>>('/api/v1/contests', { query: { cursor, limit: 50 }, silent: true }),
  /** Every circle (a picker's short list), read page by page. */
  circles: () => allPages((cursor) => api.get<CursorPage<CircleView>>('/api/v1/circles', { query: { cursor, limit: 100 }, silent: true })),
  launchCampaign: (body: CreateCampaignBody) =>
    api.post<{ campaign: CampaignView; notified: number; notSubscribed: number }>('/api/v1/campaigns', body),
  createContest: (body: CreateContestBody) => api.post<{ contest: ContestView }>('/api/v1/contests', body),
  contest: (contestId: string) => api.get<{ contest: ContestView }>(`/api/v1/contests/${encodeURIComponent(contestId)}`, { silent: true }),
  /** Replaces the configuration of a contest that has not started (jurors stay). */
  reconfigureContest: (contestId: string, body: CreateContestBody) =>
    api.put<{ contest: ContestView }>(`/api/v1/contests/${encodeURIComponent(contestId)}`, body),
  appointJuror: (contestId: string, userId: string) =>
    api.post<{ contest: ContestView }>(`/api/v1/contests/${encodeURIComponent(contestId)}/jurors`, { userId }),
  /** Admins: people by nickname or username, to appoint as jurors. */
  searchUsers: (q: string) =>
    api.get<{ items: UserView[]; nextCursor: string | null }>('/api/v1/admin/users', { query: { q, limit: 10 }, silent: true }),
};
