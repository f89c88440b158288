/**
 * Reads a cursor in pages of `size` documents, the way the exports stream a year of rows without holding
 * it: each page is turned into rows as a whole (so its lookups can be batched) and yielded, the last,
 * shorter page too; an empty cursor yields nothing.
 */
export async function* cursorPages<D, R>(
  cursor: AsyncIterable<D>,
  size: number,
  toRows: (docs: D[]) => R[] | Promise<R[]>,
): AsyncGenerator<R[]> {
  let page: D[] = [];
  for await (const doc of cursor) {
    page.push(doc);
    if (page.length >= size) {
      const docs = page;
      page = [];
      yield await toRows(docs);
    }
  }
  if (page.length > 0) yield await toRows(page);
}
