/**
 * Points-mall redemption through the real API (every middleware: auth, validation; the Redis gate that
 * takes the Idempotency-Key, stock, per-user limit and points in one Lua script; durable writes batched
 * into MongoDB transactions behind it) against a bare Koa + Redis server doing the same debit (one Lua
 * script: idempotency key, stock ≥ 1, balance ≥ price, decrement both), in the same run with the same
 * load: autocannon from a child process (scripts/bench/lib.ts), 50 connections; the embedded MongoDB in
 * its own process. Then a rush on goods with little stock and users with few points, on both servers.
 * The two servers take turns BENCH_ROUNDS times (lib.ts takeTurns: who goes first alternates); after each
 * of our turns the bench waits until every admitted redemption is in MongoDB (durable_lag_s: the longest
 * such wait) before the next timed turn, so our batched writes never run during the bare server's turn.
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
import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import { GoodsModel, RedemptionModel } from '../../server/src/modules/mall/mall.model';
import { createRedeemGate, gateKey } from '../../server/src/modules/mall/redeem-gate';
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

const DEBIT = `
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', 86400) == false then return -1 end
local stock = tonumber(redis.call('GET', KEYS[1]) or '0')
if stock < 1 then return -2 end
local balance = tonumber(redis.call('GET', KEYS[2]) or '0')
local price = tonumber(ARGV[1])
if balance < price then return -3 end
redis.call('DECRBY', KEYS[1], 1)
redis.call('DECRBY', KEYS[2], price)
return 1`;

/** The ceiling: Koa and one Redis round trip doing the same debit, no auth, no validation, no ledger. */
function bareApp(redis: Redis, prefix: string, price: () => number): Koa {
  const app = new Koa();
  app.use(async (ctx) => {
    const match = /^\/api\/v1\/mall\/goods\/([0-9a-f]{24})\/redeem$/.exec(ctx.path);
    const user = ctx.get('x-bench-user');
    const key = ctx.get('idempotency-key');
    if (ctx.method !== 'POST' || !match || !user || !key) {
      ctx.status = 404;
      return;
    }
    const r = (await redis.eval(
      DEBIT,
      3,
      `${prefix}:stock:${match[1]}`,
      `${prefix}:bal:${user}`,
      `${prefix}:idem:${user}:${key}`,
      price(),
    )) as number;
    ctx.status = r === 1 ? 201 : r === -1 ? 409 : r === -2 ? 410 : 422;
    ctx.body = { result: r };
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
    let barePrice = PRICE;
    bare = await startBare(bareApp(deps.redis, prefix, () => barePrice));

    // Throughput: plenty of stock and points, so every request is a real debit.
    const users = await makeUsers(services, RICH);
    const goods = await makeGoods(services, GOODS, 10_000_000, PRICE);
    for (const g of goods) await deps.redis.set(`${prefix}:stock:${g}`, 10_000_000);
    for (const u of users) await deps.redis.set(`${prefix}:bal:${u.id}`, RICH);

    console.log(
      `points bench: redemption, ${CONNECTIONS} connections, ${SECONDS}s per turn, ${ROUNDS} alternating rounds, ${USERS} users over ${GOODS} goods (database: ${api.mongo.mode})`,
    );
    await load(api.url, 2, users, goods); // warm-up (loads the gate's caches)
    await untilDurable(deps.redis);
    await load(bare.url, 2, users, goods);
    // Each of our turns is followed by the wait until its redemptions are durable, before the next turn.
    const turns = await takeTurns(
      () => load(api.url, SECONDS, users, goods),
      () => load(bare!.url, SECONDS, users, goods),
      { settle: () => untilDurable(deps.redis) },
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
    console.log(
      `durable    every admitted redemption in MongoDB ${turns.settleMs.map((ms) => (ms / 1000).toFixed(1)).join('s, ')}s after each of our turns ended (waited before the next turn)`,
    );

    // BENCH_PROFILE=file.cpuprofile: one more (untimed) turn of ours under a V8 CPU profile of the API process.
    if (process.env.BENCH_PROFILE) {
      await api.profile(process.env.BENCH_PROFILE, () => load(api.url, SECONDS, users, goods));
      await untilDurable(deps.redis);
      console.log(`profile    ${process.env.BENCH_PROFILE}`);
    }

    // The rush: one goods item with RUSH_STOCK units, users who can afford two each.
    const rushUsers = await makeUsers(services, RUSH_POINTS);
    const [rushGoods] = await makeGoods(services, 1, RUSH_STOCK, RUSH_PRICE);
    await deps.redis.set(`${prefix}:stock:${rushGoods}`, RUSH_STOCK);
    for (const u of rushUsers) await deps.redis.set(`${prefix}:bal:${u.id}`, RUSH_POINTS);
    const rushOurs = await load(api.url, RUSH_SECONDS, rushUsers, [rushGoods!]);
    await untilDurable(deps.redis);
    barePrice = RUSH_PRICE;
    const rushBare = await load(bare.url, RUSH_SECONDS, rushUsers, [rushGoods!]);
    const rush = await checkOurs(deps.redis, [rushGoods!], RUSH_STOCK, rushUsers);
    const bulk = await checkOurs(deps.redis, goods, 10_000_000, users);
    const check = {
      oversold: rush.oversold + bulk.oversold,
      negative: rush.negative + bulk.negative,
      mismatched: rush.mismatched + bulk.mismatched,
      gate: rush.gate + bulk.gate,
    };
    const bareStock = Number(await deps.redis.get(`${prefix}:stock:${rushGoods}`));
    let bareNegative = 0;
    for (const u of [...users, ...rushUsers]) if (Number(await deps.redis.get(`${prefix}:bal:${u.id}`)) < 0) bareNegative += 1;
    const rushSold = await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(rushGoods) });
    console.log(
      `rush       ours: ${rushSold}/${RUSH_STOCK} sold, ${rushOurs.requests} answers in ${RUSH_SECONDS}s; bare: ${RUSH_STOCK - bareStock}/${RUSH_STOCK} sold, ${rushBare.requests} answers`,
    );
    if (ours.errors + ours.non2xx > 0) console.log('WARNING: our API answered errors during the throughput run');
    if (check.mismatched > 0) console.log(`WARNING: ${check.mismatched} accounts whose balance != sum of entries`);
    if (check.gate > 0) console.log(`WARNING: ${check.gate} gate caches differ from MongoDB`);
    summaryLine({
      ratio: ratio(ours, ceiling),
      oversold: check.oversold + (bareStock < 0 ? -bareStock : 0),
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
      rss_mb: ours.rssMb,
    });
  } finally {
    await bare?.close();
    await api.stop();
  }
});
