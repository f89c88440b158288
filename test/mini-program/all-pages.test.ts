/**
 * allPages (miniprogram/src/services/core/all-pages.ts) reads a cursor-paged list to its end for the short lists a
 * page needs whole: every page once, in order, passing back each page's cursor, and stopping at a null cursor.
 */
import { allPages, type CursorPage } from '../../miniprogram/src/services/core/all-pages';

describe('allPages', () => {
  it('follows nextCursor page by page until it is null, keeping the order', async () => {
    const pages: Record<string, CursorPage<number>> = {
      start: { items: [1, 2], nextCursor: 'a' },
      a: { items: [3, 4], nextCursor: 'b' },
      b: { items: [5], nextCursor: null },
    };
    const asked: Array<string | undefined> = [];
    const items = await allPages(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? 'start']!;
    });
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'a', 'b']);
  });

  it('reads an empty list once, and lets a failed page fail the whole read', async () => {
    let calls = 0;
    expect(
      await allPages(async () => {
        calls += 1;
        return { items: [], nextCursor: null };
      }),
    ).toEqual([]);
    expect(calls).toBe(1);
    await expect(
      allPages(async (cursor) => {
        if (cursor) throw new Error('网络异常');
        return { items: [1], nextCursor: 'x' };
      }),
    ).rejects.toThrow('网络异常');
  });
});
