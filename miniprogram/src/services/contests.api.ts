import type { CampaignView, ListCampaignsQuery } from '@shared/schemas/campaigns';
import type { ContestView, EntryView, FileEntryBody, ListContestsQuery, ResultsResponse, VoteView } from '@shared/schemas/contests';
import type { CursorPage } from './core/all-pages';
import Taro from '@tarojs/taro';
import { api } from './request';

const id = (v: string) => encodeURIComponent(v);
const DEVICE_KEY = 'rongmei.deviceId';

/** A stable per-install id sent with votes (X-Device-Id): several accounts voting from one phone get flagged. */
export function deviceId(): string {
  let value = Taro.getStorageSync<string>(DEVICE_KEY);
  if (!value) {
    value = `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
    Taro.setStorageSync(DEVICE_KEY, value);
  }
  return value;
}

export interface VoteResult {
  voteId: string;
  remainingToday: number;
  remainingForEntryToday: number;
  entryVotes: number | null;
}
/** A vote as the flagged-votes list shows it (admins). */
export type FlaggedVote = VoteView;
export type { ResultsResponse };
export interface CampaignPage {
  campaign: CampaignView;
  figures: { pieces: number; participants: number; reads: number };
  pieces: Array<{ id: string; title: string; authorName: string; cover: string | null; articleId: string | null }>;
  nextCursor: string | null;
}

/** Contests and campaigns (server/src/modules/contests, campaigns). */
export const contestsApi = {
  /** A page of contests, newest first (`status` by the schedule). */
  list: (query: Partial<Pick<ListContestsQuery, 'status' | 'cursor'>> = {}) =>
    api.get<CursorPage<ContestView>>('/api/v1/contests', { query: { ...query, limit: 50 }, silent: true }),
  /** A page of campaigns, newest launched first (`status` by their dates). */
  campaigns: (query: Partial<Pick<ListCampaignsQuery, 'status' | 'cursor'>> = {}) =>
    api.get<CursorPage<CampaignView>>('/api/v1/campaigns', { query: { ...query, limit: 50 }, silent: true }),
  /** A photo entry (the photos already uploaded through uploadImage). */
  fileEntry: (contestId: string, body: FileEntryBody) =>
    api.post<{ entry: EntryView }>(`/api/v1/contests/${id(contestId)}/entries`, body, { silent: true }),
  contest: (contestId: string) => api.get<{ contest: ContestView }>(`/api/v1/contests/${id(contestId)}`, { silent: true }),
  /** A page of a contest's entries in filing order: only mine, only those in the running (shortlisted). */
  entries: (contestId: string, filters: { mine?: boolean; shortlisted?: boolean; cursor?: string | null } = {}) =>
    api.get<CursorPage<EntryView>>(`/api/v1/contests/${id(contestId)}/entries`, {
      query: {
        ...(filters.mine ? { mine: 'true' } : {}),
        ...(filters.shortlisted ? { shortlisted: 'true' } : {}),
        ...(filters.cursor ? { cursor: filters.cursor } : {}),
        limit: 50,
      },
      silent: true,
    }),
  entry: (entryId: string) => api.get<{ entry: EntryView }>(`/api/v1/contest-entries/${id(entryId)}`, { silent: true }),
  /**
   * Shows the server's message (e.g. 今天的 3 票已用完) as a toast on refusal. One Idempotency-Key per tap: the
   * client's own retries after a lost answer resend it, and the vote gate answers with that vote, not a second.
   */
  vote: (contestId: string, entryId: string) =>
    api.post<VoteResult>(`/api/v1/contests/${id(contestId)}/entries/${id(entryId)}/votes`, undefined, {
      headers: { 'X-Device-Id': deviceId() },
      idempotencyKey: true,
    }),
  results: (contestId: string) => api.get<ResultsResponse>(`/api/v1/contests/${id(contestId)}/results`, { silent: true }),
  /** Jurors: shortlisted entries are scored 0–100 (revisable until results). */
  score: (contestId: string, entryId: string, score: number) =>
    api.put<{ entryId: string; score: number }>(`/api/v1/contests/${id(contestId)}/entries/${id(entryId)}/score`, { score }),
  /** Admins: votes flagged as possible stuffing, and voiding one with a reason. */
  flagged: (contestId: string) =>
    api.get<{ items: FlaggedVote[]; nextCursor: string | null }>(`/api/v1/contests/${id(contestId)}/flagged-votes`, {
      query: { status: 'valid' },
      silent: true,
    }),
  voidVote: (contestId: string, voteId: string, reason: string) =>
    api.post<{ voteId: string }>(`/api/v1/contests/${id(contestId)}/votes/${id(voteId)}/void`, { reason }),
  campaign: (campaignId: string) => api.get<CampaignPage>(`/api/v1/campaigns/${id(campaignId)}`, { silent: true }),
};
