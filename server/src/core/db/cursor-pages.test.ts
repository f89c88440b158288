/** cursorPages: full pages of `size`, then the rest; rows made a page at a time; nothing for an empty cursor. */
import { cursorPages } from './cursor-pages';

async function* numbers(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('cursorPages', () => {
  it('yields full pages, then the shorter rest, each mapped as a whole', async () => {
    const calls: number[][] = [];
    const pages = cursorPages(numbers(5), 2, async (docs) => {
      calls.push([...docs]);
      return docs.map((d) => `row ${d}`);
    });
    expect(await collect(pages)).toEqual([['row 0', 'row 1'], ['row 2', 'row 3'], ['row 4']]);
    expect(calls).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('yields no page at all for an empty cursor, and no empty page after an exact multiple', async () => {
    expect(await collect(cursorPages(numbers(0), 2, (docs) => docs))).toEqual([]);
    expect(await collect(cursorPages(numbers(4), 2, (docs) => docs))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});
