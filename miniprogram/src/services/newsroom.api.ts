import type {
  ArticleColumn,
  ArticleResponse,
  FeedResponse,
  HeadlinesResponse,
  PublicColumnListResponse,
  LikeResponse,
  ReadResponse,
  RelatedResponse,
} from '@shared/schemas/newsroom';
import { api } from './request';

const enc = encodeURIComponent;

/** News feed and articles (server/src/modules/newsroom). */
export const newsroomApi = {
  /** `kind`: `news` leaves merchants' promotions out, `promotion` lists only them. */
  feed: (q: { column?: ArticleColumn; kind?: 'news' | 'promotion'; cursor?: string | null; limit?: number } = {}, silent = true) =>
    api.get<FeedResponse>('/api/v1/feed', {
      query: { column: q.column, kind: q.kind, cursor: q.cursor ?? undefined, limit: q.limit },
      silent,
    }),
  /** The enabled columns in the admins' order (homeTab: shown as a 首页 tab). */
  columns: () => api.get<PublicColumnListResponse>('/api/v1/columns', { silent: true }),
  /** The carousel's pinned headlines. */
  headlines: () => api.get<HeadlinesResponse>('/api/v1/feed/headlines', { silent: true }),
  article: (id: string) => api.get<ArticleResponse>(`/api/v1/articles/${enc(id)}`, { silent: true }),
  /** Counts a read (one per person per day) and says whether this reader liked it; failures don't matter to the reader. */
  markRead: (id: string) => api.post<ReadResponse>(`/api/v1/articles/${enc(id)}/read`, undefined, { silent: true }).catch(() => undefined),
  like: (id: string) => api.put<LikeResponse>(`/api/v1/articles/${enc(id)}/like`),
  unlike: (id: string) => api.del<LikeResponse>(`/api/v1/articles/${enc(id)}/like`),
  /** 相关阅读: newest stories of the same circle or column. */
  related: (id: string) => api.get<RelatedResponse>(`/api/v1/articles/${enc(id)}/related`, { query: { limit: 5 }, silent: true }),
};
