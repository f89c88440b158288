import type { SearchKind, SearchResponse } from '@shared/schemas/search';
import { api } from './request';

/** The home page's search: news, merchants, activities (server/src/modules/search). */
export const searchApi = {
  search: (q: string, kind: SearchKind, cursor: string | null) =>
    api.get<SearchResponse>('/api/v1/search', { query: { q, kind, cursor: cursor ?? undefined, limit: 10 }, silent: true }),
};
