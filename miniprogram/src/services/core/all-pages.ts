/** One page of a cursor-paged list as every list endpoint answers it. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Reads a cursor-paged list to its end, for the few short lists a page needs whole (the running campaigns a
 * picker offers, the live contests on the 活动 tab). A list that can grow without bound pages with usePagedList.
 */
export async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
