/**
 * Durability: acknowledged writes survive SIGKILL of the server process, a torn journal tail is discarded
 * on start with a log line, the journal is compacted on start and when it grows, and without a data folder
 * everything stays in memory. Only meaningful for the embedded server (it needs a data folder).
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../index';
import { JOURNAL_FILE } from '../src/journal';

const REPO_ROOT = path.join(__dirname, '../../..');
const WRITER = path.join(__dirname, 'crash-writer.ts');
/** Upper bound for one writer run; it normally reaches its target in a second or two. */
const WRITER_DEADLINE_MS = 20_000;

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'embedded-mongo-crash-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

interface Acked {
  ids: number[];
  maxCounter: number;
}

/**
 * Runs the writer child until it has acknowledged `target` inserts, then SIGKILLs it mid-stream.
 *
 * The writer runs under `node --import tsx` rather than the `tsx` CLI: the CLI is a wrapper that starts
 * the script in a second node process, so SIGKILL of the wrapper left the real writer running (and the
 * stdout pipe open, so 'close' never came). The child also leads its own process group and the whole
 * group is killed, so no helper process (esbuild) outlives it either.
 */
function writeThenKill(target: number, firstId = 0): Promise<Acked> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(firstId)], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const acked: Acked = { ids: [], maxCounter: 0 };
    let stderr = '';
    let killed = false;
    const killGroup = (): void => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const watchdog = setTimeout(() => {
      killGroup();
      reject(new Error(`writer acknowledged only ${acked.ids.length}/${target} inserts in ${WRITER_DEADLINE_MS} ms: ${stderr}`));
    }, WRITER_DEADLINE_MS);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const [kind, value] = line.split(' ');
      if (kind === 'ack') acked.ids.push(Number(value));
      if (kind === 'inc') acked.maxCounter = Math.max(acked.maxCounter, Number(value));
      if (!killed && acked.ids.length >= target) killGroup();
    });
    child.on('error', (err) => {
      clearTimeout(watchdog);
      reject(err);
    });
    // 'close' waits for stdout to drain, so every line the child wrote before dying has been read.
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

async function findAll(client: MongoClient): Promise<{ ids: Set<number>; counter: number }> {
  const docs = await client.db('crash').collection<{ _id: number | string; n?: number }>('docs').find().toArray();
  const counter = docs.find((d) => d._id === 'counter')?.n ?? -1;
  return { ids: new Set(docs.filter((d) => typeof d._id === 'number').map((d) => d._id as number)), counter };
}

async function findJournal(dir: string): Promise<string> {
  const entries = await fs.readdir(dir, { recursive: true });
  const hit = entries.find((e) => path.basename(e) === JOURNAL_FILE);
  if (!hit) throw new Error(`no ${JOURNAL_FILE} under ${dir}: ${entries.join(', ')}`);
  return path.join(dir, hit);
}

/** Starts a server with `options`, runs `fn` with a client connected to it, then closes both whatever happens. */
async function onServer<T>(options: Parameters<typeof startEmbeddedMongo>[0], fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const server = await startEmbeddedMongo(options);
  try {
    const client = await new MongoClient(server.uri).connect();
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  } finally {
    await server.stop();
  }
}

test('every write acknowledged before SIGKILL is found after a restart on the same folder, past a torn tail', async () => {
  const first = await writeThenKill(400);
  expect(first.ids.length).toBeGreaterThanOrEqual(400);

  // SIGKILL cannot tear a write() the kernel already accepted; a power cut can. Simulate one on top of
  // the crash: the start of a frame whose header promises more bytes than follow.
  const journal = await findJournal(dataDir);
  const torn = Buffer.alloc(8 + 40, 0x61);
  torn.writeUInt32LE(300, 0);
  torn.writeUInt32LE(0x12345678, 4);
  await fs.appendFile(journal, torn);

  const logs: string[] = [];
  await onServer({ dataDir, log: (m) => logs.push(m) }, async (client) => {
    expect(logs.filter((m) => /discarded 48 byte\(s\) of torn or corrupt last record/.test(m))).toHaveLength(1);
    const found = await findAll(client);
    const missing = first.ids.filter((id) => !found.ids.has(id));
    expect(missing).toEqual([]);
    expect(found.counter).toBeGreaterThanOrEqual(first.maxCounter);
  });

  // Killed again after recovering: the second run's acknowledged writes survive as well as the first's.
  const second = await writeThenKill(200, 1_000_000);
  await onServer({ dataDir }, async (client) => {
    const found = await findAll(client);
    expect([...first.ids, ...second.ids].filter((id) => !found.ids.has(id))).toEqual([]);
  });
}, 60_000);

test('garbage appended to the journal (a torn last write) is discarded on start with a log line', async () => {
  await onServer({ dataDir }, (client) =>
    client
      .db('torn')
      .collection<{ _id: number }>('docs')
      .insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i }))),
  );

  const journal = await findJournal(dataDir);
  await fs.appendFile(journal, Buffer.from([0x2a, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03]));

  const logs: string[] = [];
  await onServer({ dataDir, log: (m) => logs.push(m) }, async (client) => {
    expect(logs.filter((m) => /torn or corrupt last record/.test(m))).toHaveLength(1);
    expect(await client.db('torn').collection('docs').countDocuments()).toBe(50);
    await client.db('torn').collection<{ _id: number }>('docs').insertOne({ _id: 50 });
  });

  // The truncated journal keeps accepting writes and replays cleanly.
  await onServer({ dataDir }, async (client) => {
    expect(await client.db('torn').collection('docs').countDocuments()).toBe(51);
  });
}, 30_000);

test('indexes and collection drops survive a restart', async () => {
  await onServer({ dataDir }, async (client) => {
    const db = client.db('persist');
    await db.collection('users').createIndex({ email: 1 }, { unique: true });
    await db.collection('users').insertOne({ email: 'a@x' });
    await db.collection('gone').insertOne({ a: 1 });
    await db.collection('gone').drop();
    await db.collection('users').updateOne({ email: 'a@x' }, { $set: { name: 'A' } });
  });

  await onServer({ dataDir }, async (client) => {
    const db = client.db('persist');
    expect(await db.collection('users').findOne({ email: 'a@x' }, { projection: { _id: 0 } })).toEqual({ email: 'a@x', name: 'A' });
    expect((await db.listCollections().toArray()).map((x) => x.name)).toEqual(['users']);
    await expect(db.collection('users').insertOne({ email: 'a@x' })).rejects.toMatchObject({ code: 11000 });
  });
}, 30_000);

test('without a data folder nothing is written to disk and nothing survives a restart', async () => {
  await onServer(undefined, (client) => client.db('mem').collection<{ _id: number }>('docs').insertOne({ _id: 1 }));
  await onServer(undefined, async (client) => {
    expect(await client.db('mem').collection('docs').countDocuments()).toBe(0);
  });
});

test('the journal is compacted on start and when it grows past the threshold, keeping the latest state', async () => {
  const threshold = 64 * 1024;
  let journal = '';
  let largest = 0;
  await onServer({ dataDir, compactThresholdBytes: threshold }, async (client) => {
    const coll = client.db('compact').collection<{ _id: string; n: number; pad: string }>('docs');
    await coll.insertOne({ _id: 'hot', n: 0, pad: 'p'.repeat(2000) });
    journal = await findJournal(dataDir);
    // 600 rewrites of a 2 KB document: about 1.3 MB of journal without compaction. Thirty at a time, so
    // group commit keeps the number of fsyncs (slow on a busy disk) low.
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 30 }, () => coll.updateOne({ _id: 'hot' }, { $inc: { n: 1 } })));
      largest = Math.max(largest, (await fs.stat(journal)).size);
    }
  });
  expect(largest).toBeLessThan(4 * threshold);

  await onServer({ dataDir }, async (client) => {
    // Compaction on start leaves one snapshot record per collection and document.
    expect((await fs.stat(journal)).size).toBeLessThan(4096);
    expect(
      await client
        .db('compact')
        .collection('docs')
        .findOne({ _id: 'hot' as never }, { projection: { pad: 0 } }),
    ).toEqual({ _id: 'hot', n: 600 });
  });
}, 60_000);
