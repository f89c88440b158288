import type { ArticleColumn, ArticleResponse, FeedResponse, HeadlinesResponse } from '@shared/schemas/newsroom';
import { api } from './request';

/** News feed and articles (server/src/modules/newsroom). */
export const newsroomApi = {
  /** `kind`: `news` leaves merchants' promotions out, `promotion` lists only them. */
  feed: (q: { column?: ArticleColumn; kind?: 'news' | 'promotion'; cursor?: string | null; limit?: number } = {}, silent = true) =>
    api.get<FeedResponse>('/api/v1/feed', {
      query: { column: q.column, kind: q.kind, cursor: q.cursor ?? undefined, limit: q.limit },
      silent,
    }),
  /** The carousel's pinned headlines. */
  headlines: () => api.get<HeadlinesResponse>('/api/v1/feed/headlines', { silent: true }),
  article: (id: string) => api.get<ArticleResponse>(`/api/v1/articles/${encodeURIComponent(id)}`, { silent: true }),
  /** Counts a read (one per person per day); failures don't matter to the reader. */
  markRead: (id: string) => api.post(`/api/v1/articles/${encodeURIComponent(id)}/read`, undefined, { silent: true }).catch(() => undefined),
};
