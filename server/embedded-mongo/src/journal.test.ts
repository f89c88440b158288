import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'bson';
import { JOURNAL_FILE, openJournal, type Journal, type JournalRecord } from './journal';

let dir: string;
const open: Journal[] = [];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'journal-test-'));
});

afterEach(async () => {
  for (const j of open.splice(0)) await j.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function openIn(d = dir, log?: (msg: string) => void) {
  const res = await openJournal(d, log);
  open.push(res.journal);
  return res;
}

async function reopen(journal: Journal, log?: (msg: string) => void) {
  await journal.close();
  return openIn(dir, log);
}

const put = (ns: string, doc: Record<string, unknown>): JournalRecord => ({ t: 'put', ns, doc });

/** Reopening the journal replays the first record only and says once that it dropped the last. */
async function expectLastRecordDropped() {
  const logs: string[] = [];
  const { replay } = await openIn(dir, (m) => logs.push(m));
  expect(replay).toHaveLength(1);
  expect(logs).toHaveLength(1);
}

describe('journal', () => {
  test('a fresh folder replays nothing and creates an empty journal', async () => {
    const { journal, replay } = await openIn();
    expect(replay).toEqual([]);
    expect(journal.sizeBytes).toBe(0);
    await expect(fs.stat(path.join(dir, JOURNAL_FILE))).resolves.toBeTruthy();
  });

  test('every BSON type and every record kind round-trip with their types intact', async () => {
    const oid = new ObjectId();
    const doc = {
      _id: oid,
      i32: new Int32(5),
      i64: Long.fromString('9007199254740993'),
      dbl: new Double(5),
      frac: new Double(2.5),
      dec: Decimal128.fromString('1.10'),
      date: new Date('2026-01-02T03:04:05.678Z'),
      bin: new Binary(Buffer.from([0, 1, 2, 255]), 0),
      ts: new Timestamp({ t: 1, i: 2 }),
      str: '融媒社区',
      bool: false,
      nil: null,
      nested: { arr: [new Int32(1), new Double(1), Long.fromNumber(1), { deep: 'x' }] },
    };
    const batch: JournalRecord[] = [
      { t: 'createCollection', ns: 'db.c', options: { capped: false } },
      { t: 'createCollection', ns: 'db.d' },
      { t: 'createIndex', ns: 'db.c', spec: { key: { a: new Int32(1), b: new Int32(-1) }, name: 'a_1_b_-1', unique: true } },
      put('db.c', doc),
      { t: 'del', ns: 'db.c', id: new Int32(7) },
      { t: 'dropIndex', ns: 'db.c', name: 'a_1_b_-1' },
      { t: 'dropCollection', ns: 'db.d' },
      { t: 'dropDatabase', db: 'other' },
    ];
    const first = await openIn();
    await first.journal.append(batch);
    const { replay } = await reopen(first.journal);

    expect(replay).toHaveLength(batch.length);
    expect(replay.map((r) => r.t)).toEqual(batch.map((r) => r.t));
    expect(replay[1]).toEqual({ t: 'createCollection', ns: 'db.d' }); // no options key invented
    const back = (replay[3] as Extract<JournalRecord, { t: 'put' }>).doc;
    expect(Object.keys(back)[0]).toBe('_id');
    expect(back._id).toBeInstanceOf(ObjectId);
    expect((back._id as ObjectId).equals(oid)).toBe(true);
    expect(back.i32).toBeInstanceOf(Int32);
    expect((back.i32 as Int32).value).toBe(5);
    expect(back.i64).toBeInstanceOf(Long);
    expect((back.i64 as Long).toString()).toBe('9007199254740993');
    expect(back.dbl).toBeInstanceOf(Double);
    expect((back.dbl as Double).value).toBe(5);
    expect((back.frac as Double).value).toBe(2.5);
    expect(back.dec).toBeInstanceOf(Decimal128);
    expect((back.dec as Decimal128).toString()).toBe('1.10');
    expect(back.date).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    expect(back.bin).toBeInstanceOf(Binary);
    expect(Buffer.from((back.bin as Binary).buffer)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(back.ts).toBeInstanceOf(Timestamp);
    expect(back.str).toBe('融媒社区');
    expect(back.bool).toBe(false);
    expect(back.nil).toBeNull();
    const arr = (back.nested as { arr: unknown[] }).arr;
    expect(arr[0]).toBeInstanceOf(Int32);
    expect(arr[1]).toBeInstanceOf(Double);
    expect(arr[2]).toBeInstanceOf(Long);
    expect(arr[3]).toEqual({ deep: 'x' });
    expect((replay[4] as Extract<JournalRecord, { t: 'del' }>).id).toBeInstanceOf(Int32);
  });

  test('batches replay in append order across reopenings', async () => {
    const a = await openIn();
    await a.journal.append([put('db.c', { _id: new Int32(1), v: 'a' })]);
    await a.journal.append([put('db.c', { _id: new Int32(1), v: 'b' }), put('db.c', { _id: new Int32(2), v: 'c' })]);
    const b = await reopen(a.journal);
    await b.journal.append([{ t: 'del', ns: 'db.c', id: new Int32(2) }]);
    const c = await reopen(b.journal);
    expect(c.replay.map((r) => (r.t === 'put' ? `put:${String(r.doc.v)}` : r.t))).toEqual(['put:a', 'put:b', 'put:c', 'del']);
  });

  test('concurrent appends share syncs (group commit) and all resolve durably', async () => {
    const { journal } = await openIn();
    const n = 200;
    await Promise.all(Array.from({ length: n }, (_, i) => journal.append([put('db.c', { _id: new Int32(i), n: new Int32(i) })])));
    const syncs = (journal as unknown as { syncCount: number }).syncCount;
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThan(n / 2);
    const { replay } = await reopen(journal);
    expect(replay).toHaveLength(n);
    expect(replay.map((r) => ((r as Extract<JournalRecord, { t: 'put' }>).doc._id as Int32).value)).toEqual(
      Array.from({ length: n }, (_, i) => i),
    );
  });

  test('sizeBytes grows with appends and equals the file size', async () => {
    const { journal } = await openIn();
    await journal.append([put('db.c', { _id: new Int32(1), s: 'x'.repeat(100) })]);
    const size = journal.sizeBytes;
    expect(size).toBeGreaterThan(100);
    expect((await fs.stat(path.join(dir, JOURNAL_FILE))).size).toBe(size);
  });

  test('a torn last record is truncated away with one log line; earlier batches survive', async () => {
    const first = await openIn();
    await first.journal.append([put('db.c', { _id: new Int32(1) })]);
    await first.journal.append([put('db.c', { _id: new Int32(2), big: 'y'.repeat(500) })]);
    await first.journal.close();
    const file = path.join(dir, JOURNAL_FILE);
    const full = (await fs.stat(file)).size;
    await fs.truncate(file, full - 100); // the second batch's write was cut short

    const logs: string[] = [];
    const { journal, replay } = await openIn(dir, (m) => logs.push(m));
    expect(replay).toHaveLength(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/torn or corrupt last record/);
    // The journal keeps working after the truncation point.
    await journal.append([put('db.c', { _id: new Int32(3) })]);
    const again = await reopen(journal, (m) => logs.push(m));
    expect(again.replay.map((r) => ((r as Extract<JournalRecord, { t: 'put' }>).doc._id as Int32).value)).toEqual([1, 3]);
    expect(logs).toHaveLength(1);
  });

  test('garbage after the last record is discarded with a log line', async () => {
    const first = await openIn();
    await first.journal.append([put('db.c', { _id: new Int32(1) })]);
    await first.journal.close();
    await fs.appendFile(path.join(dir, JOURNAL_FILE), Buffer.from('garbage bytes from a torn write \x00\x01\x02'));
    await expectLastRecordDropped();
  });

  test('a last record whose checksum fails is discarded', async () => {
    const first = await openIn();
    await first.journal.append([put('db.c', { _id: new Int32(1) })]);
    await first.journal.append([put('db.c', { _id: new Int32(2) })]);
    await first.journal.close();
    const file = path.join(dir, JOURNAL_FILE);
    const buf = await fs.readFile(file);
    buf.writeUInt8(buf.readUInt8(buf.length - 3) ^ 0xff, buf.length - 3); // flip bits inside the last payload, length unchanged
    await fs.writeFile(file, buf);
    await expectLastRecordDropped();
  });

  test('corruption in the middle is an error, not a silent truncation', async () => {
    const first = await openIn();
    await first.journal.append([put('db.c', { _id: new Int32(1), s: 'first' })]);
    const firstEnd = first.journal.sizeBytes;
    await first.journal.append([put('db.c', { _id: new Int32(2) })]);
    await first.journal.close();
    const file = path.join(dir, JOURNAL_FILE);
    const buf = await fs.readFile(file);
    buf.writeUInt8(buf.readUInt8(firstEnd - 3) ^ 0xff, firstEnd - 3);
    await fs.writeFile(file, buf);
    await expect(openJournal(dir)).rejects.toThrow(/corrupt/);
    expect((await fs.readFile(file)).equals(buf)).toBe(true); // nothing was truncated
  });

  test('compaction replaces the history with the snapshot; later appends follow it', async () => {
    const { journal } = await openIn();
    for (let i = 0; i < 50; i++) await journal.append([put('db.c', { _id: new Int32(1), v: new Int32(i) })]);
    const before = journal.sizeBytes;
    await journal.compact([{ t: 'createCollection', ns: 'db.c' }, put('db.c', { _id: new Int32(1), v: new Int32(49) })]);
    expect(journal.sizeBytes).toBeLessThan(before);
    expect((await fs.stat(path.join(dir, JOURNAL_FILE))).size).toBe(journal.sizeBytes);
    await journal.append([put('db.c', { _id: new Int32(2), v: new Int32(0) })]);
    const { replay } = await reopen(journal);
    expect(replay.map((r) => r.t)).toEqual(['createCollection', 'put', 'put']);
    expect(await fs.readdir(dir)).toEqual([JOURNAL_FILE]);
  });

  test('appends racing a compaction all resolve and land after the snapshot', async () => {
    const { journal } = await openIn();
    const early = journal.append([put('db.c', { _id: new Int32(0) })]);
    const compaction = journal.compact([put('db.c', { _id: new Int32(0) })]);
    const late = Array.from({ length: 20 }, (_, i) => journal.append([put('db.c', { _id: new Int32(i + 1) })]));
    await Promise.all([early, compaction, ...late]);
    const { replay } = await reopen(journal);
    expect(replay.map((r) => ((r as Extract<JournalRecord, { t: 'put' }>).doc._id as Int32).value)).toEqual(
      Array.from({ length: 21 }, (_, i) => i),
    );
  });

  test('a large snapshot (beyond one BSON document) compacts and replays', async () => {
    const { journal } = await openIn();
    const pad = 'z'.repeat(100_000);
    const snapshot = Array.from({ length: 170 }, (_, i) => put('db.big', { _id: new Int32(i), pad }));
    await journal.compact(snapshot); // ~17 MB, more than BSON's 16 MB document limit
    const { replay } = await reopen(journal);
    expect(replay).toHaveLength(170);
  });

  test('a crash during compaction leaves the old journal intact', async () => {
    const first = await openIn();
    await first.journal.append([put('db.c', { _id: new Int32(1) })]);
    await first.journal.close();
    // What a compaction that died before its rename leaves behind.
    await fs.writeFile(path.join(dir, `${JOURNAL_FILE}.compact`), Buffer.from('half-written snapshot'));
    const logs: string[] = [];
    const { replay } = await openIn(dir, (m) => logs.push(m));
    expect(replay).toHaveLength(1);
    expect(logs).toEqual([]);
    expect(await fs.readdir(dir)).toEqual([JOURNAL_FILE]);
  });

  test('append after close is refused', async () => {
    const { journal } = await openIn();
    await journal.close();
    await expect(journal.append([put('db.c', { _id: new Int32(1) })])).rejects.toThrow(/closed/);
  });
});
