/** pageByIdDesc and pageByIdAsc against the run's real MongoDB (the harness's): newest first, filtered, and the cursor walks every page once. */
import mongoose, { Schema, Types, type Connection, type Model } from 'mongoose';
import { HARNESS_ENV, harnessValue } from '../../../../test/harness/env';
import { pageByIdAsc, pageByIdDesc } from './id-page';

interface Note {
  _id: Types.ObjectId;
  owner: string;
  n: number;
}

let conn: Connection;
let Notes: Model<Note>;
const ids: Types.ObjectId[] = [];

beforeAll(async () => {
  conn = await mongoose.createConnection(harnessValue(HARNESS_ENV.mongoUri), { dbName: `t_id_page_${process.pid}` }).asPromise();
  await conn.dropDatabase();
  Notes = conn.model<Note>('Note', new Schema<Note>({ owner: String, n: Number }));
  // Ascending ids: n = 0 is the oldest. Every other note is someone else's.
  for (let n = 0; n < 10; n++) {
    const _id = new Types.ObjectId();
    ids.push(_id);
    await Notes.collection.insertOne({ _id, owner: n % 2 === 0 ? 'me' : 'other', n });
  }
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

/**
 * Follows the cursor through my notes two at a time (ten pages at most) and returns their `n` in the order
 * read; `between(pages)` runs after each page that has a successor.
 */
async function walk(pageBy: typeof pageByIdDesc, between?: (pages: number) => Promise<void>): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10; pages++) {
    const page = await pageBy(Notes, { owner: 'me' }, { cursor, limit: 2 });
    seen.push(...page.docs.map((d) => d.n));
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
    await between?.(pages);
  }
  return seen;
}

describe('pageByIdDesc', () => {
  it('gives the newest matching documents first and a cursor while more follow', async () => {
    const first = await pageByIdDesc(Notes, { owner: 'me' }, { limit: 2 });
    expect(first.docs.map((d) => d.n)).toEqual([8, 6]);
    expect(first.nextCursor).toBe(ids[6]!.toHexString());
  });

  it('walks every matching document exactly once, ending with a null cursor', async () => {
    expect(await walk(pageByIdDesc)).toEqual([8, 6, 4, 2, 0]);
  });

  it('gives no cursor when the page holds the last documents exactly', async () => {
    const page = await pageByIdDesc(Notes, { owner: 'other' }, { cursor: ids[4]!.toHexString(), limit: 2 });
    expect(page.docs.map((d) => d.n)).toEqual([3, 1]);
    expect(page.nextCursor).toBeNull();
  });
});

describe('pageByIdAsc', () => {
  it('walks the oldest first, every matching document once, and reaches rows added while paging', async () => {
    // A queue grows while someone works through it: the new row lands after every page already read.
    const seen = await walk(pageByIdAsc, async (pages) => {
      if (pages === 0) await Notes.collection.insertOne({ _id: new Types.ObjectId(), owner: 'me', n: 10 });
    });
    expect(seen).toEqual([0, 2, 4, 6, 8, 10]);
    await Notes.deleteOne({ n: 10 });
  });
});
