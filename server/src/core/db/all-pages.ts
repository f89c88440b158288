/**
 * Every row of a cursor-paged list, walking `nextCursor` to the end: for scripts (the seed) that must see a whole
 * list, never for a request handler (which answers one page).
 */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    rows.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}
