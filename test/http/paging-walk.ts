/** Walks a `{ items, nextCursor }` list to its end, for the paging suites: optionally doing something between pages. */
export interface Walked<T> {
  items: T[];
  pages: number;
  /** The last page's nextCursor (null when the walk ended properly). */
  lastCursor: string | null;
}

export async function walkPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  between?: (page: number) => Promise<void>,
): Promise<Walked<T>> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let last: string | null = null;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    pages += 1;
    last = page.nextCursor;
    cursor = page.nextCursor ?? undefined;
    if (cursor && between) await between(pages);
    if (pages > 100) throw new Error('paging never ended');
  } while (cursor);
  return { items, pages, lastCursor: last };
}

/** The queries every paged list refuses with 400 VALIDATION_FAILED. */
export const BAD_PAGE_QUERIES: ReadonlyArray<Record<string, string | number>> = [
  { limit: 0 },
  { limit: 101 },
  { limit: 'many' },
  { cursor: 'nope' },
  { cursor: '1764547200000.zz' },
];
