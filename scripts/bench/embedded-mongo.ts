/**
 * Embedded MongoDB through mongoose: inserts and indexed finds (by _id and by a unique key) at 1k, 10k
 * and 100k documents. Indexed lookups should stay about as fast at 100k as at 1k (find_ratio_100k_1k ≈ 1).
 * Also the durable insert rate with a data folder (journal + group commit), and this process's RSS.
 * Usage: npm run bench -- embedded-mongo
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import mongoose, { Schema, type Connection, type Types } from 'mongoose';
import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { rssMb, summaryLine } from './lib';

const SIZES = [1_000, 10_000, 100_000];
const INSERT_CONCURRENCY = 16;
/** Finds per measured round; the best of FIND_ROUNDS rounds is reported, after one unmeasured warm-up round. */
const FIND_OPS = 1_000;
const FIND_ROUNDS = 3;

const itemSchema = new Schema({ key: { type: String, required: true, unique: true }, n: Number, title: String });

/** Runs `count` async operations, `concurrency` at a time; returns ops per second. */
async function rate(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await op(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

const round = (x: number) => Math.round(x);

/**
 * Best rate over FIND_ROUNDS rounds of FIND_OPS sequential finds, after a warm-up round: the machine is
 * shared, so the best round is the figure least disturbed by other processes (and by JIT warm-up at 1k).
 */
async function bestFindRate(op: () => Promise<unknown>): Promise<number> {
  await rate(FIND_OPS, 1, op);
  let best = 0;
  for (let r = 0; r < FIND_ROUNDS; r++) best = Math.max(best, await rate(FIND_OPS, 1, op));
  return best;
}

async function benchSize(conn: Connection, size: number, figures: Record<string, number>): Promise<void> {
  const label = size >= 1000 ? `${size / 1000}k` : String(size);
  const Item = conn.model(`Item${label}`, itemSchema, `items_${label}`);
  await Item.init();
  const ids: Types.ObjectId[] = new Array(size);
  const insert = await rate(size, INSERT_CONCURRENCY, async (i) => {
    const doc = await Item.create({ key: `k${i}`, n: i, title: `标题 ${i}` });
    ids[i] = doc._id;
  });
  const pick = () => Math.floor(Math.random() * size);
  const byId = await bestFindRate(async () => {
    const i = pick();
    const doc = await Item.findById(ids[i]).lean();
    if (doc?.n !== i) throw new Error(`findById returned the wrong document for ${i}`);
  });
  const byKey = await bestFindRate(async () => {
    const i = pick();
    const doc = await Item.findOne({ key: `k${i}` }).lean();
    if (doc?.n !== i) throw new Error(`findOne by key returned the wrong document for ${i}`);
  });
  console.log(
    `${label.padStart(5)} docs: insert ${round(insert)} ops/s (${INSERT_CONCURRENCY} concurrent)  ` +
      `findById ${round(byId)} ops/s  findOne(unique key) ${round(byKey)} ops/s`,
  );
  figures[`insert_${label}`] = round(insert);
  figures[`find_${label}`] = round(byId);
  figures[`find_key_${label}`] = round(byKey);
  // Server and client share this process: its memory holding `size` documents (all sizes so far were dropped).
  figures[`rss_mb_${label}`] = Math.round(rssMb() ?? 0);
  await Item.collection.drop();
}

async function benchDurableInserts(figures: Record<string, number>): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-embedded-mongo-'));
  const server = await startEmbeddedMongo({ dataDir });
  const conn = await mongoose.createConnection(server.uri, { dbName: 'bench' }).asPromise();
  try {
    const Item = conn.model('DurableItem', itemSchema);
    await Item.init();
    const count = 10_000;
    const insert = await rate(count, INSERT_CONCURRENCY, (i) => Item.create({ key: `k${i}`, n: i, title: `标题 ${i}` }));
    console.log(`  10k docs with a data folder (journal, fsync per group): insert ${round(insert)} ops/s`);
    figures.insert_durable_10k = round(insert);
  } finally {
    await conn.close();
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await startEmbeddedMongo();
  const conn = await mongoose.createConnection(server.uri, { dbName: 'bench' }).asPromise();
  const figures: Record<string, number> = {};
  try {
    console.log(
      `embedded-mongo bench (mongoose ${mongoose.version}, in memory, finds one at a time, lean, best of ${FIND_ROUNDS}×${FIND_OPS})`,
    );
    for (const size of SIZES) await benchSize(conn, size, figures);
  } finally {
    await conn.close();
    await server.stop();
  }
  await benchDurableInserts(figures);
  figures.find_ratio_100k_1k = Number((figures.find_100k! / figures.find_1k!).toFixed(2));
  figures.find_key_ratio_100k_1k = Number((figures.find_key_100k! / figures.find_key_1k!).toFixed(2));
  summaryLine(figures);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
