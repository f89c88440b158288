/**
 * Points-mall redemption through the real API (embedded MongoDB transactions, redis-server idempotency,
 * every middleware: auth, validation, Idempotency-Key) against a bare Koa + Redis server doing the same
 * debit (one Lua script: idempotency key, stock ≥ 1, balance ≥ price, decrement both), in the same run with
 * the same load: autocannon, 50 connections, on a worker thread. Then a rush on goods with little stock
 * and users with few points, on both servers, and a check of what landed: 0 oversold, 0 negative
 * balances, our ledger's balance = sum of entries. Ends with one line of key=value figures.
 * Usage: npm run bench -- points   (BENCH_SECONDS=10 per server, BENCH_CONNECTIONS=50)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Koa from 'koa';
import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { AppDeps } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { accessTokensFor } from '../../server/src/core/auth';
import { createLogger } from '../../server/src/core/logger';
import { startServer } from '../../server/src/main';
import { createMallService } from '../../server/src/modules/mall';
import { GoodsModel, RedemptionModel } from '../../server/src/modules/mall/mall.model';
import { createPointsService } from '../../server/src/modules/points';
import { PointsAccountModel, PointsEntryModel } from '../../server/src/modules/points/points.model';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const USERS = 200;
const GOODS = 10;
const PRICE = 1;
const RICH = 1_000_000;
// The rush: every user holds points for two redemptions; the goods hold far fewer units than are asked for.
const RUSH_STOCK = 100;
const RUSH_PRICE = 10;
const RUSH_POINTS = 25;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  ok: number;
}

interface BenchUser {
  id: string;
  token: string;
}

async function load(url: string, seconds: number, users: BenchUser[], goods: string[]): Promise<Figures> {
  process.env.BENCH_POINTS_USERS = JSON.stringify(users);
  process.env.BENCH_POINTS_GOODS = JSON.stringify(goods);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    requests: [{ method: 'POST', path: '/', setupRequest: path.join(__dirname, 'points-setup-request.js') }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    ok: result['2xx'],
  };
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
function bareServer(redis: Redis, prefix: string, price: () => number): Server {
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
  return createServer(app.callback());
}

async function makeUsers(deps: AppDeps, points: number): Promise<BenchUser[]> {
  const tokens = accessTokensFor({ config: deps.config, clock: deps.clock });
  const ledger = createPointsService(deps);
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

async function makeGoods(deps: AppDeps, count: number, stock: number, price: number): Promise<string[]> {
  const mall = createMallService(deps);
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

/** What landed in our database: units sold beyond stock, and accounts below zero or not equal to their entries. */
async function checkOurs(
  goods: string[],
  initialStock: number,
  users: BenchUser[],
): Promise<{ oversold: number; negative: number; mismatched: number }> {
  let oversold = 0;
  for (const id of goods) {
    const sold = await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(id), status: { $ne: 'cancelled' } });
    const stock = (await GoodsModel.findById(id).lean())!.stock;
    oversold += Math.max(0, sold - initialStock) + (stock < 0 ? -stock : 0) + Math.abs(initialStock - sold - stock);
  }
  let negative = 0;
  let mismatched = 0;
  for (const u of users) {
    const balance = (await PointsAccountModel.findById(u.id).lean())?.balance ?? 0;
    const entries = await PointsEntryModel.find({ userId: new Types.ObjectId(u.id) }, { amount: 1 }).lean();
    if (balance < 0) negative += 1;
    if (entries.reduce((s, e) => s + e.amount, 0) !== balance) mismatched += 1;
  }
  return { oversold, negative, mismatched };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-points-'));
  const logLevel = process.env.LOG_LEVEL ?? 'warn';
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: logLevel,
  });
  const logger = createLogger({ level: config.logLevel });
  const api = await startServer(config, logger, { jobs: false });
  let bare: Server | undefined;
  try {
    const { deps } = api;
    const prefix = `bench-points:${Date.now()}`;
    let barePrice = PRICE;
    bare = bareServer(deps.redis, prefix, () => barePrice);
    await new Promise<void>((resolve) => bare?.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

    // Throughput: plenty of stock and points, so every request is a real debit.
    const users = await makeUsers(deps, RICH);
    const goods = await makeGoods(deps, GOODS, 10_000_000, PRICE);
    for (const g of goods) await deps.redis.set(`${prefix}:stock:${g}`, 10_000_000);
    for (const u of users) await deps.redis.set(`${prefix}:bal:${u.id}`, RICH);

    console.log(
      `points bench: redemption, ${CONNECTIONS} connections, ${SECONDS}s each, ${USERS} users over ${GOODS} goods (API log level ${logLevel})`,
    );
    await load(api.url, 2, users, goods); // warm-up
    await load(bareUrl, 2, users, goods);
    const ours = await load(api.url, SECONDS, users, goods);
    const ceiling = await load(bareUrl, SECONDS, users, goods);
    const row = (name: string, f: Figures) =>
      console.log(
        `${name.padEnd(10)} rps=${f.rps.toFixed(0).padStart(7)}  p50=${f.p50}ms  p99=${f.p99}ms  ok=${f.ok}  errors=${f.errors}  non2xx=${f.non2xx}`,
      );
    row('ours', ours);
    row('bare koa', ceiling);

    // The rush: one goods item with RUSH_STOCK units, users who can afford two each.
    const rushUsers = await makeUsers(deps, RUSH_POINTS);
    const [rushGoods] = await makeGoods(deps, 1, RUSH_STOCK, RUSH_PRICE);
    await deps.redis.set(`${prefix}:stock:${rushGoods}`, RUSH_STOCK);
    for (const u of rushUsers) await deps.redis.set(`${prefix}:bal:${u.id}`, RUSH_POINTS);
    const rushOurs = await load(api.url, 3, rushUsers, [rushGoods!]);
    barePrice = RUSH_PRICE;
    const rushBare = await load(bareUrl, 3, rushUsers, [rushGoods!]);
    // autocannon stops counting at the deadline; requests still in flight finish on the server. Wait for quiet.
    for (let before = -1, now = 0; before !== now;) {
      before = now;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      now = await PointsEntryModel.estimatedDocumentCount();
    }
    const rush = await checkOurs([rushGoods!], RUSH_STOCK, rushUsers);
    const bulk = await checkOurs(goods, 10_000_000, users);
    const check = {
      oversold: rush.oversold + bulk.oversold,
      negative: rush.negative + bulk.negative,
      mismatched: rush.mismatched + bulk.mismatched,
    };
    const bareStock = Number(await deps.redis.get(`${prefix}:stock:${rushGoods}`));
    let bareNegative = 0;
    for (const u of [...users, ...rushUsers]) if (Number(await deps.redis.get(`${prefix}:bal:${u.id}`)) < 0) bareNegative += 1;
    const rushSold = await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(rushGoods) });
    console.log(
      `rush       ours: ${rushSold}/${RUSH_STOCK} sold, ${rushOurs.ok + rushOurs.non2xx} answers in 3s; bare: ${RUSH_STOCK - bareStock}/${RUSH_STOCK} sold, ${rushBare.ok + rushBare.non2xx} answers`,
    );
    if (ours.errors + ours.non2xx > 0) console.log('WARNING: our API answered errors during the throughput run');
    if (check.mismatched > 0) console.log(`WARNING: ${check.mismatched} accounts whose balance != sum of entries`);
    console.log(
      `ratio=${(ours.rps / ceiling.rps).toFixed(2)} oversold=${check.oversold + (bareStock < 0 ? -bareStock : 0)} negative_balances=${check.negative + bareNegative} ` +
        `ledger_mismatches=${check.mismatched} p99_ms=${ours.p99} ours_rps=${ours.rps.toFixed(0)} bare_rps=${ceiling.rps.toFixed(0)} rush_sold=${rushSold}/${RUSH_STOCK}`,
    );
  } finally {
    if (bare) await new Promise((resolve) => bare?.close(resolve));
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
