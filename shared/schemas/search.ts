import { z } from 'zod';
import { objectIdSchema } from './users';

/**
 * Search from the home page: news, merchants and volunteer activities, one kind at a time (the page shows
 * them as tabs), paged.
 */
export const SEARCH_KINDS = ['article', 'merchant', 'activity'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const SEARCH_KIND_LABELS: Readonly<Record<SearchKind, string>> = { article: '新闻', merchant: '商家', activity: '活动' };

/** GET /api/v1/search?q=&kind=&cursor=&limit= — `cursor` is the previous page's nextCursor. */
export const searchQuerySchema = z
  .object({
    q: z.string().trim().min(1, '请输入要搜索的内容').max(40, '搜索内容最多 40 个字'),
    kind: z.enum(SEARCH_KINDS).default('article'),
    cursor: z
      .string()
      .regex(/^\d{1,3}$/, '分页游标无效')
      .optional(),
    limit: z.coerce.number().int().min(1).max(30).default(10),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** One result, the same shape whatever its kind: what a list row shows and what it opens. */
export const searchHitSchema = z
  .object({
    kind: z.enum(SEARCH_KINDS),
    id: objectIdSchema,
    title: z.string(),
    /** A line under the title: the summary, the address, the place and time. */
    summary: z.string(),
    cover: z.string().nullable(),
    /** When it was published / starts (ISO), for merchants when listed. */
    at: z.string(),
    /** A merchant's promotion among the news: shown marked 推广. */
    sponsored: z.boolean(),
  })
  .strict();
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResponseSchema = z.object({ items: z.array(searchHitSchema), nextCursor: z.string().nullable() }).strict();
export type SearchResponse = z.infer<typeof searchResponseSchema>;

/** Results past this many are not offered (refine the words instead). */
export const SEARCH_MAX_RESULTS = 100;
