/**
 * Points-mall redemption through the real API (every middleware: auth, validation; the Redis gate that
 * takes the Idempotency-Key, stock, per-user limit and points in one Lua script; durable writes batched
 * into MongoDB transactions behind it) against a bare Koa server doing the same debit and the same durable
 * write (one Lua script: idempotency key, stock ≥ 1, balance ≥ price, decrement both; then, batched as ours
 * with core/batch and REDEEM_BATCH, one MongoDB transaction per batch writing the debit entries, balances,
 * redemption records and stock into bench_* copies of our collections with our models' indexes — no auth,
 * no validation, no rules), in the same run with the same load: autocannon from a child process
 * (scripts/bench/lib.ts), 50 connections; the embedded MongoDB in its own process. Then a rush on goods with little stock and users with few points, on both servers.
 * The two servers take turns BENCH_ROUNDS times (lib.ts takeTurns: who goes first alternates); after each
 * turn the bench waits until every redemption that side admitted is in MongoDB (durable_lag_s,
 * bare_durable_lag_s: the longest such waits) before the next timed turn, so neither side's batched writes
 * run during the other's turn. bare_admitted / bare_stored: the bare side's debits and its stored records
 * (equal, or a WARNING). Both servers' processes start with BENCH_NODE_FLAGS (node-flags.ts).
 * The figures combine the rounds (lib.ts combine: rps over all, median p99); cpu_ratio = bare ÷ ours CPU
 * time per request of this process, which barely depends on the neighbours.
 * Once every admitted redemption is durable, a check of what landed: 0 oversold, 0 negative balances, our
 * ledger's balance = sum of entries, and the gate's cached balances and stock equal to MongoDB's.
 * Ends with one line of key=value figures.
 * Usage: npm run bench -- points   (BENCH_SECONDS=10 per turn, BENCH_ROUNDS=3, BENCH_CONNECTIONS=50, BENCH_MONGO=in-process,
 * BENCH_PROFILE=file.cpuprofile for an extra untimed turn of ours under a CPU profile of the API process)
 */
import path from 'node:path';
import Koa from 'koa';
import { Types, type Collection, type Connection, type mongo } from 'mongoose';
import type { Redis } from 'ioredis';
import { createBatchWriter } from '../../server/src/core/batch/batch-writer';
import { oid } from '../../server/src/core/db';
import { runTransaction } from '../../server/src/core/db/transaction';
import { randomCode } from '../../server/src/core/random-code';
import { shanghaiDay, shanghaiMonth } from '../../server/src/core/time';
import { GoodsModel, RedemptionModel } from '../../server/src/modules/mall/mall.model';
import { createRedeemGate, gateKey, type PendingRedemption } from '../../server/src/modules/mall/redeem-gate';
import { REDEEM_BATCH, redemptionRecord } from '../../server/src/modules/mall/redeem-writer';
import { PointsAccountModel, PointsEntryModel } from '../../server/src/modules/points/points.model';
import type { Services } from '../../server/src/services';
import {
  CONNECTIONS,
  ROUNDS,
  SECONDS,
  combine,
  cpuRatio,
  printComparison,
  ratio,
  runBench,
  runLoad,
  startBare,
  startBenchApi,
  summaryLine,
  takeTurns,
  type Bare,
  type Figures,
} from './lib';

const USERS = 200;
const GOODS = 10;
const PRICE = 1;
const RICH = 1_000_000;
// The rush: every user holds points for two redemptions; the goods hold far fewer units than are asked for.
const RUSH_STOCK = 100;
const RUSH_PRICE = 10;
const RUSH_POINTS = 25;
const RUSH_SECONDS = 3;
// Our codes' alphabet and length (mall.service.ts).
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

interface BenchUser {
  id: string;
  token: string;
}

const requests = [{ method: 'POST' as const, path: '/', setupRequest: path.join(__dirname, 'points-setup-request.js') }];

/** Redemptions as random users on random goods, each with a fresh Idempotency-Key (points-setup-request.js). */
function load(url: string, seconds: number, users: BenchUser[], goods: string[]): Promise<Figures> {
  process.env.BENCH_POINTS_USERS = JSON.stringify(users);
  process.env.BENCH_POINTS_GOODS = JSON.stringify(goods);
  return runLoad(url, { seconds, requests });
}

// The gate: the Idempotency-Key, stock ≥ 1, balance ≥ price, decrement both; the balance left.
const DEBIT = `
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', 86400) == false then return -1 end
local stock = tonumber(redis.call('GET', KEYS[1]) or '0')
if stock < 1 then return -2 end
local balance = tonumber(redis.call('GET', KEYS[2]) or '0')
local price = tonumber(ARGV[1])
if balance < price then return -3 end
redis.call('DECRBY', KEYS[1], 1)
return redis.call('DECRBY', KEYS[2], price)`;

/** The bare side's copies of our four collections (bench-prefixed), with our models' indexes. */
const BARE_COLLECTIONS = [
  ['bench_points_entries', PointsEntryModel],
  ['bench_points_accounts', PointsAccountModel],
  ['bench_mall_redemptions', RedemptionModel],
  ['bench_mall_goods', GoodsModel],
] as const;

interface BareStore {
  /** Creates the collections with the same indexes as our models. */
  prepare(): Promise<void>;
  /** Durable copies of users (balance) and goods (stock) the bare gate sells. */
  seed(users: readonly BenchUser[], balance: number, goods: readonly string[]): Promise<void>;
  push(item: PendingRedemption, balanceAfter: number): void;
  /** Resolves once every redemption pushed so far has been tried. */
  idle(): Promise<void>;
  stored(): Promise<number>;
  negativeBalances(): Promise<number>;
  negativeStock(): Promise<number>;
}

/**
 * The bare side's durable write: what our redemption writer (redeem-writer.ts) stores for a batch, without
 * its rules (no lot FIFO, no re-checks, no clash look-ups): the same batching (core/batch, REDEEM_BATCH) and
 * per batch ONE MongoDB transaction (runTransaction, as the ledger's) inserting the debit entries and the
 * redemption records and updating the balances and the stock with guarded $inc.
 */
function createBareStore(db: Connection, logger: Pick<Console, 'error'>): BareStore {
  const [entries, accounts, redemptions, goodsColl] = BARE_COLLECTIONS.map(([name]) => db.collection(name)) as [
    Collection,
    Collection,
    Collection,
    Collection,
  ];
  const balanceAfter = new Map<string, number>();
  const conflict = () => Object.assign(new Error('bare: balance or stock changed under the batch'), { code: 112 });
  const writer = createBatchWriter<PendingRedemption>({
    ...REDEEM_BATCH,
    async write(items) {
      await runTransaction(
        db,
        async (session) => {
          const now = new Date();
          const spent = new Map<string, number>();
          const units = new Map<string, number>();
          const records = items.map(redemptionRecord);
          const debits = items.map((i, n) => {
            spent.set(i.u, (spent.get(i.u) ?? 0) + i.p);
            units.set(i.g, (units.get(i.g) ?? 0) + 1);
            const at = new Date(i.a);
            return {
              _id: new Types.ObjectId(),
              userId: oid(i.u),
              amount: -i.p,
              source: 'mall',
              reason: `兑换「${i.n}」`,
              refType: 'redemption',
              refId: i.id,
              idempotencyKey: records[n]!.debitKey,
              day: shanghaiDay(at),
              month: shanghaiMonth(at),
              lots: [],
              balanceAfter: balanceAfter.get(i.id) ?? 0,
              createdAt: at,
            };
          });
          const accountOps = [...spent].map(([u, p]) => ({
            updateOne: { filter: { _id: oid(u), balance: { $gte: p } }, update: { $inc: { balance: -p }, $set: { updatedAt: now } } },
          }));
          if ((await accounts.bulkWrite(accountOps, { session, ordered: true })).matchedCount !== accountOps.length) throw conflict();
          await entries.insertMany(debits, { session, ordered: true });
          await redemptions.insertMany(records, { session, ordered: true });
          const goodsOps = [...units].map(([g, n]) => ({
            updateOne: { filter: { _id: oid(g), stock: { $gte: n } }, update: { $inc: { stock: -n }, $set: { updatedAt: now } } },
          }));
          if ((await goodsColl.bulkWrite(goodsOps, { session, ordered: true })).matchedCount !== goodsOps.length) throw conflict();
        },
        { busy: (cause) => new Error('bare: transaction kept conflicting', { cause }) },
      );
      for (const i of items) balanceAfter.delete(i.id);
    },
    onFailure(items, err) {
      logger.error(`bare: ${items.length} redemptions not written`, err);
    },
  });
  return {
    async prepare() {
      for (const [name, model] of BARE_COLLECTIONS) {
        await db.collection(name).deleteMany({});
        for (const [fields, options] of model.schema.indexes())
          await db.collection(name).createIndex(fields as mongo.IndexSpecification, options as mongo.CreateIndexesOptions);
      }
    },
    async seed(users, balance, goods) {
      const now = new Date();
      await accounts.insertMany(users.map((u) => ({ _id: oid(u.id), balance, updatedAt: now })));
      const docs = await GoodsModel.collection.find({ _id: { $in: goods.map(oid) } }).toArray();
      await goodsColl.insertMany(docs);
    },
    push(item, after) {
      balanceAfter.set(item.id, after);
      void writer.write(item);
    },
    idle: () => writer.idle(),
    stored: () => redemptions.countDocuments({}),
    negativeBalances: () => accounts.countDocuments({ balance: { $lt: 0 } }),
    negativeStock: () => goodsColl.countDocuments({ stock: { $lt: 0 } }),
  };
}

interface BareGoods {
  name: string;
  price: number;
}

/**
 * The ceiling: Koa, one Redis round trip doing the same debit (the gate) and the same durable write, batched
 * (BareStore) — no auth, no validation, no rules. `admitted` counts the debits the gate took.
 */
function bareApp(redis: Redis, prefix: string, goods: Map<string, BareGoods>, store: BareStore, counts: { admitted: number }): Koa {
  const app = new Koa();
  app.use(async (ctx) => {
    const match = /^\/api\/v1\/mall\/goods\/([0-9a-f]{24})\/redeem$/.exec(ctx.path);
    const user = ctx.get('x-bench-user');
    const key = ctx.get('idempotency-key');
    const g = match ? goods.get(match[1]!) : undefined;
    if (ctx.method !== 'POST' || !match || !g || !user || !key) {
      ctx.status = 404;
      return;
    }
    const r = (await redis.eval(
      DEBIT,
      3,
      `${prefix}:stock:${match[1]}`,
      `${prefix}:bal:${user}`,
      `${prefix}:idem:${user}:${key}`,
      g.price,
    )) as number;
    if (r < 0) {
      ctx.status = r === -1 ? 409 : r === -2 ? 410 : 422;
      ctx.body = { result: r };
      return;
    }
    const item: PendingRedemption = {
      id: new Types.ObjectId().toHexString(),
      u: user,
      g: match[1]!,
      p: g.price,
      n: g.name,
      d: 'pickup',
      o: 'bench-outlet',
      c: randomCode(CODE_ALPHABET, 12),
      k: key,
      s: null,
      a: Date.now(),
    };
    counts.admitted += 1;
    store.push(item, r);
    ctx.status = 201;
    ctx.body = { redemption: { id: item.id, code: item.c, status: 'pending' }, balance: r };
  });
  return app;
}

async function makeUsers({ accessTokens: tokens, points: ledger }: Services, points: number): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  for (let i = 0; i < USERS; i++) {
    const id = new Types.ObjectId().toHexString();
    await ledger.earn({
      userId: id,
      source: 'contest',
      amount: points,
      reason: '压测积分',
      ref: { type: 'bench', id },
      idempotencyKey: `bench:${id}`,
    });
    users.push({ id, token: tokens.issue({ id, roles: [{ role: 'citizen' }], rolesVersion: 0 }).accessToken });
  }
  return users;
}

async function makeGoods({ mall }: Services, count: number, stock: number, price: number): Promise<string[]> {
  const admin = { id: new Types.ObjectId().toHexString(), roles: [{ role: 'admin' as const }] };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const g = await mall.createGoods(admin, {
      name: `压测商品${i}`,
      images: [],
      description: '',
      price,
      stock,
      perUserLimit: null,
      deliveryMode: 'pickup',
      outletId: 'bench-outlet',
      activeFrom: null,
      activeUntil: null,
    });
    ids.push(g.id);
  }
  return ids;
}

/** Until every redemption the gate admitted is in MongoDB (the answers came first); how long that took. */
async function untilDurable(redis: Redis): Promise<number> {
  const started = Date.now();
  for (let quiet = 0; quiet < 3;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    quiet = (await redis.hlen(gateKey.pending)) === 0 ? quiet + 1 : 0;
    if (Date.now() - started > 300_000) throw new Error('redemptions still pending after 5 minutes');
  }
  return Date.now() - started;
}

/**
 * What landed: units sold beyond stock, accounts below zero or not equal to their entries, and gate
 * caches (where loaded) that differ from MongoDB.
 */
async function checkOurs(
  redis: Redis,
  goods: string[],
  initialStock: number,
  users: BenchUser[],
): Promise<{ oversold: number; negative: number; mismatched: number; gate: number }> {
  const gate = createRedeemGate(redis);
  const none = '000000000000000000000000';
  let oversold = 0;
  let gateMismatches = 0;
  for (const id of goods) {
    const sold = await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(id), status: { $ne: 'cancelled' } });
    const stock = (await GoodsModel.findById(id).lean())!.stock;
    oversold += Math.max(0, sold - initialStock) + (stock < 0 ? -stock : 0) + Math.abs(initialStock - sold - stock);
    const cached = (await gate.cached(none, id)).stock;
    if (cached !== null && cached !== stock) gateMismatches += 1;
  }
  let negative = 0;
  let mismatched = 0;
  for (const u of users) {
    const balance = (await PointsAccountModel.findById(u.id).lean())?.balance ?? 0;
    const entries = await PointsEntryModel.find({ userId: new Types.ObjectId(u.id) }, { amount: 1 }).lean();
    if (balance < 0) negative += 1;
    if (entries.reduce((s, e) => s + e.amount, 0) !== balance) mismatched += 1;
    const cached = (await gate.cached(u.id, none)).balance;
    if (cached !== null && cached !== balance) gateMismatches += 1;
  }
  return { oversold, negative, mismatched, gate: gateMismatches };
}

runBench(async () => {
  const api = await startBenchApi({ name: 'points' });
  let bare: Bare | undefined;
  try {
    const { deps, services } = api;
    const prefix = `bench-points:${Date.now()}`;
    const bareGoods = new Map<string, BareGoods>();
    const store = createBareStore(deps.db, console);
    await store.prepare();
    const bareCounts = { admitted: 0 };
    bare = await startBare(bareApp(deps.redis, prefix, bareGoods, store, bareCounts));
    /** The bare side sells the same goods to the same users: its gate's figures and its durable copies. */
    const bareSells = async (users: BenchUser[], balance: number, goods: string[], stock: number, price: number) => {
      for (const [i, g] of goods.entries()) {
        bareGoods.set(g, { name: `压测商品${i}`, price });
        await deps.redis.set(`${prefix}:stock:${g}`, stock);
      }
      for (const u of users) await deps.redis.set(`${prefix}:bal:${u.id}`, balance);
      await store.seed(users, balance, goods);
    };

    // Throughput: plenty of stock and points, so every request is a real debit.
    const users = await makeUsers(services, RICH);
    const goods = await makeGoods(services, GOODS, 10_000_000, PRICE);
    await bareSells(users, RICH, goods, 10_000_000, PRICE);

    // This process serves the bare side: its node flags, without tsx's loader.
    const loader = /^--(require|import)$/;
    const flags = process.execArgv.filter((a, i, all) => !loader.test(a) && !loader.test(all[i - 1] ?? '')).join(' ') || 'none';
    console.log(
      `points bench: redemption, ${CONNECTIONS} connections, ${SECONDS}s per turn, ${ROUNDS} alternating rounds, ${USERS} users over ${GOODS} goods (database: ${api.mongo.mode}; the bare side's node flags: ${flags})`,
    );
    await load(api.url, 2, users, goods); // warm-up (loads the gate's caches)
    await untilDurable(deps.redis);
    await load(bare.url, 2, users, goods);
    await store.idle();
    // Each turn is followed by the wait until its side's redemptions are durable, before the next turn.
    const turns = await takeTurns(
      () => load(api.url, SECONDS, users, goods),
      () => load(bare!.url, SECONDS, users, goods),
      { settle: () => untilDurable(deps.redis), settleBare: () => store.idle() },
    );
    const ours = combine(turns.ours);
    const ceiling = combine(turns.bare);
    printComparison([
      ...turns.ours.map((f, i): [string, Figures] => [`ours ${i + 1}`, f]),
      ...turns.bare.map((f, i): [string, Figures] => [`bare ${i + 1}`, f]),
      ['ours', ours],
      ['bare koa', ceiling],
    ]);
    const drainMs = Math.max(...turns.settleMs);
    const seconds = (ms: number[]) => ms.map((x) => (x / 1000).toFixed(1)).join('s, ');
    console.log(
      `durable    every admitted redemption in MongoDB ${seconds(turns.settleMs)}s after each of our turns ended, ${seconds(turns.bareSettleMs)}s after the bare turns (waited before the next turn)`,
    );

    // BENCH_PROFILE=file.cpuprofile: one more (untimed) turn of ours under a V8 CPU profile of the API process.
    if (process.env.BENCH_PROFILE) {
      const profiled = await api.profile(process.env.BENCH_PROFILE, () => load(api.url, SECONDS, users, goods));
      await untilDurable(deps.redis);
      // The requests answered in the profiled turn: to read a profile per request.
      console.log(`profile    ${process.env.BENCH_PROFILE} (${profiled.ok} answered, ${profiled.rps.toFixed(0)} per second)`);
    }

    // The rush: one goods item with RUSH_STOCK units, users who can afford two each.
    const rushUsers = await makeUsers(services, RUSH_POINTS);
    const [rushGoods] = await makeGoods(services, 1, RUSH_STOCK, RUSH_PRICE);
    await bareSells(rushUsers, RUSH_POINTS, [rushGoods!], RUSH_STOCK, RUSH_PRICE);
    const rushOurs = await load(api.url, RUSH_SECONDS, rushUsers, [rushGoods!]);
    await untilDurable(deps.redis);
    const rushBare = await load(bare.url, RUSH_SECONDS, rushUsers, [rushGoods!]);
    await store.idle();
    const bareStored = await store.stored();
    const rush = await checkOurs(deps.redis, [rushGoods!], RUSH_STOCK, rushUsers);
    const bulk = await checkOurs(deps.redis, goods, 10_000_000, users);
    const check = {
      oversold: rush.oversold + bulk.oversold,
      negative: rush.negative + bulk.negative,
      mismatched: rush.mismatched + bulk.mismatched,
      gate: rush.gate + bulk.gate,
    };
    const bareStock = Number(await deps.redis.get(`${prefix}:stock:${rushGoods}`));
    let bareNegative = await store.negativeBalances();
    for (const u of [...users, ...rushUsers]) if (Number(await deps.redis.get(`${prefix}:bal:${u.id}`)) < 0) bareNegative += 1;
    const bareOversold = (bareStock < 0 ? -bareStock : 0) + (await store.negativeStock());
    const rushSold = await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(rushGoods) });
    console.log(
      `rush       ours: ${rushSold}/${RUSH_STOCK} sold, ${rushOurs.requests} answers in ${RUSH_SECONDS}s; bare: ${RUSH_STOCK - bareStock}/${RUSH_STOCK} sold, ${rushBare.requests} answers`,
    );
    if (ours.errors + ours.non2xx > 0) console.log('WARNING: our API answered errors during the throughput run');
    if (check.mismatched > 0) console.log(`WARNING: ${check.mismatched} accounts whose balance != sum of entries`);
    if (check.gate > 0) console.log(`WARNING: ${check.gate} gate caches differ from MongoDB`);
    console.log(`bare       ${bareCounts.admitted} redemptions admitted, ${bareStored} stored in MongoDB`);
    if (bareStored !== bareCounts.admitted) console.log('WARNING: the bare side did not store every redemption it admitted');
    summaryLine({
      ratio: ratio(ours, ceiling),
      oversold: check.oversold + bareOversold,
      negative_balances: check.negative + bareNegative,
      ledger_mismatches: check.mismatched,
      gate_mismatches: check.gate,
      p99_ms: ours.p99,
      ours_rps: ours.rps,
      bare_rps: ceiling.rps,
      bare_p99_ms: ceiling.p99,
      cpu_ratio: cpuRatio(ours, ceiling),
      ours_cpu_us: ours.cpuUsPerReq,
      bare_cpu_us: ceiling.cpuUsPerReq,
      rounds: ROUNDS,
      rush_sold: `${rushSold}/${RUSH_STOCK}`,
      durable_lag_s: Number((drainMs / 1000).toFixed(1)),
      bare_durable_lag_s: Number((Math.max(...turns.bareSettleMs) / 1000).toFixed(1)),
      bare_admitted: bareCounts.admitted,
      bare_stored: bareStored,
      rss_mb: ours.rssMb,
    });
  } finally {
    await bare?.close();
    await api.stop();
  }
});
