import type { SearchHit, SearchQuery, SearchResponse } from '@shared/schemas/search';
import { SEARCH_MAX_RESULTS } from '@shared/schemas/search';
import type { MerchantsService } from '../merchants';
import type { NewsroomService } from '../newsroom';
import type { VolunteersService } from '../volunteers';

export interface SearchServiceDeps {
  newsroom: Pick<NewsroomService, 'search'>;
  merchants: Pick<MerchantsService, 'directory'>;
  volunteers: Pick<VolunteersService, 'listActivities'>;
}

export type SearchService = ReturnType<typeof createSearchService>;

/**
 * One search box over three modules, each asked through its own service: published news (newest first),
 * approved merchants (newest first) and volunteer activities not yet over (soonest first). The cursor is an
 * offset: results are few and a person pages through a handful.
 */
export function createSearchService({ newsroom, merchants, volunteers }: SearchServiceDeps) {
  async function page(query: SearchQuery, offset: number): Promise<{ items: SearchHit[]; more: boolean }> {
    const { q, limit } = query;
    switch (query.kind) {
      case 'article': {
        const found = await newsroom.search(q, offset, limit);
        const items = found.items.map((a): SearchHit => ({
          kind: 'article',
          id: a.id,
          title: a.title,
          summary: a.summary,
          cover: a.cover,
          at: a.publishedAt,
          sponsored: a.sponsored,
        }));
        return { items, more: found.more };
      }
      case 'merchant': {
        const all = await merchants.directory({ q, limit: Math.min(offset + limit + 1, SEARCH_MAX_RESULTS) });
        const items = all.slice(offset, offset + limit).map((m): SearchHit => ({
          kind: 'merchant',
          id: m.id,
          title: m.name,
          summary: m.address,
          cover: m.photos[0] ?? null,
          at: m.createdAt,
          sponsored: false,
        }));
        return { items, more: all.length > offset + limit };
      }
      case 'activity': {
        const { items: all } = await volunteers.listActivities(null, {
          include: 'upcoming',
          q,
          limit: Math.min(offset + limit + 1, SEARCH_MAX_RESULTS),
        });
        const items = all.slice(offset, offset + limit).map((a): SearchHit => ({
          kind: 'activity',
          id: a.id,
          title: a.title,
          summary: `${a.teamName} · ${a.placeName}`,
          cover: null,
          at: a.startAt,
          sponsored: false,
        }));
        return { items, more: all.length > offset + limit };
      }
    }
  }

  return {
    async search(query: SearchQuery): Promise<SearchResponse> {
      const offset = query.cursor ? Number(query.cursor) : 0;
      const { items, more } = await page(query, offset);
      const next = offset + items.length;
      return { items, nextCursor: more && next < SEARCH_MAX_RESULTS ? String(next) : null };
    },
  };
}
