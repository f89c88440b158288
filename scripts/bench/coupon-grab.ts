/**
 * The coupon grab at release time: 20,000 claims by 20,000 different signed-in users on a batch of 1,000,
 * through the real API (JWT, validation, the Redis Lua gate, the durable MongoDB record on the embedded
 * server) against a bare Koa server doing only a Redis Lua claim (stock + per-user set, no JWT, no record)
 * in the same run with the same load: autocannon, 50 connections, on a worker thread. Then checks what
 * landed in MongoDB. Target: ratio ≥ 0.5 and p99 ≤ 50 ms. Ends with one line of key=value figures.
 * Usage: npm run bench -- coupon-grab   (BENCH_CLAIMS=20000, BENCH_STOCK=1000, BENCH_CONNECTIONS=50)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
import { accessTokensFor, type RoleHolder } from '../../server/src/core/auth';
import { createLogger } from '../../server/src/core/logger';
import { startServer } from '../../server/src/main';
import { createCouponsService } from '../../server/src/modules/coupons';
import { CouponModel } from '../../server/src/modules/coupons/coupons.model';
import { createMerchantsService } from '../../server/src/modules/merchants';
import { createUsersService } from '../../server/src/modules/users';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 20_000);
const STOCK = Number(process.env.BENCH_STOCK ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_CLAIMS = 4_000;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/**
 * autocannon's worker thread can't receive functions, only module paths: this module hands each request
 * the next user's token (one claim per user) and the batch's path.
 */
const SETUP_REQUEST = `
const fs = require('node:fs');
const { tokens, path } = JSON.parse(fs.readFileSync(process.env.COUPON_BENCH_PLAN, 'utf8'));
let i = 0;
module.exports = (req) => {
  const n = i++;
  const token = tokens[n % tokens.length];
  req.method = 'POST';
  req.path = path;
  // One Idempotency-Key per tap, as the mini-program sends (the bare server ignores it).
  req.headers = { ...req.headers, authorization: 'Bearer ' + token, 'idempotency-key': 'bench-grab-' + n };
  return req;
};
`;

async function load(url: string, planFile: string, setupFile: string, amount: number): Promise<Figures> {
  process.env.COUPON_BENCH_PLAN = planFile;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    workers: 1,
    timeout: 30,
    requests: [{ setupRequest: setupFile }],
  } as autocannon.Options);
  const seconds = Math.max(result.duration, 0.001);
  return {
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const BARE_CLAIM = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -2 end
if tonumber(redis.call('GET', KEYS[1]) or '0') <= 0 then return -1 end
redis.call('DECR', KEYS[1])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`;

/** The ceiling: Koa, a user id straight from the header, one Lua claim in Redis, a tiny JSON answer. */
function bareServer(redis: Redis): Server {
  const app = new Koa();
  app.use(async (ctx) => {
    const match = /^\/claim\/([a-z0-9-]+)$/.exec(ctx.path);
    const user = ctx.get('authorization').slice(-24);
    if (ctx.method !== 'POST' || !match || !user) {
      ctx.status = 404;
      return;
    }
    const code = (await redis.eval(BARE_CLAIM, 2, `bare:${match[1]}:stock`, `bare:${match[1]}:users`, user)) as number;
    ctx.status = code === 1 ? 201 : code === -1 ? 410 : 422;
    ctx.body = code === 1 ? { ok: true } : { error: { code: code === -1 ? 'COUPON_SOLD_OUT' : 'COUPON_LIMIT_REACHED' } };
  });
  return createServer(app.callback());
}

/** A shop approved by an editor and its owner, through the services (as the API would). */
async function shopWithOwner(deps: AppDeps): Promise<{ merchantId: string; owner: RoleHolder }> {
  const users = createUsersService(deps);
  const merchants = createMerchantsService(deps);
  const editor = await users.createStaff(null, {
    username: 'bench-editor',
    password: 'bench-password-1',
    nickname: '编辑',
    roles: [{ role: 'editor' }],
  });
  const ownerView = await users.createStaff(null, { username: 'bench-shop', password: 'bench-password-1', nickname: '店主', roles: [] });
  const applied = await merchants.apply(
    { id: ownerView.id, roles: [] },
    {
      name: '压测小店',
      category: '零售',
      address: '城关街道',
      location: { lng: 116.3, lat: 26.8 },
      hours: '全天',
      phone: '13800138000',
      photos: [],
      licenceNo: '91361030MA35ABCD1X',
      intro: '',
    },
  );
  await merchants.decide({ id: editor.id, roles: [{ role: 'editor' }] }, applied.id, 'approve');
  return {
    merchantId: applied.id,
    owner: { id: ownerView.id, roles: [{ role: 'merchant_owner', scope: { type: 'merchant', id: applied.id } }] },
  };
}

async function newBatch(deps: AppDeps, shop: { merchantId: string; owner: RoleHolder }, stock: number): Promise<string> {
  const now = deps.clock.now();
  const batch = await createCouponsService(deps).createBatch(shop.owner, {
    title: '压测券',
    kind: 'amount_off',
    value: 500,
    threshold: 0,
    totalStock: stock,
    perUserLimit: 1,
    claimStartsAt: new Date(now.getTime() - 60_000).toISOString(),
    claimEndsAt: new Date(now.getTime() + 3600_000).toISOString(),
    validity: { type: 'relative', days: 7 },
    issuer: { type: 'merchant', merchantId: shop.merchantId },
    mode: 'grab',
  });
  return batch.id;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-coupon-grab-'));
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
    const shop = await shopWithOwner(deps);
    const warmBatch = await newBatch(deps, shop, 100);
    const batchId = await newBatch(deps, shop, STOCK);
    const tokens = accessTokensFor(deps);
    const mint = (n: number) =>
      Array.from(
        { length: n },
        () => tokens.issue({ id: new Types.ObjectId().toHexString(), roles: [{ role: 'citizen' }], rolesVersion: 0 }).accessToken,
      );

    const setupFile = path.join(dataDir, 'setup-request.js');
    await writeFile(setupFile, SETUP_REQUEST);
    const plan = async (name: string, p: string, list: string[]) => {
      const file = path.join(dataDir, `${name}.json`);
      await writeFile(file, JSON.stringify({ tokens: list, path: p }));
      return file;
    };
    const oursWarm = await plan('ours-warm', `/api/v1/coupon-batches/${warmBatch}/claim`, mint(WARMUP_CLAIMS));
    const oursRun = await plan('ours', `/api/v1/coupon-batches/${batchId}/claim`, mint(CLAIMS));
    await deps.redis.set('bare:warm:stock', 100);
    await deps.redis.set('bare:run:stock', STOCK);
    const bareWarm = await plan('bare-warm', '/claim/warm', mint(WARMUP_CLAIMS));
    const bareRun = await plan('bare', '/claim/run', mint(CLAIMS));

    bare = bareServer(deps.redis);
    await new Promise<void>((resolve) => bare?.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

    console.log(
      `coupon-grab bench: ${CLAIMS} claims by ${CLAIMS} users on ${STOCK} coupons, ${CONNECTIONS} connections (API log level ${logLevel})`,
    );
    await load(api.url, oursWarm, setupFile, WARMUP_CLAIMS); // warm-up: JIT, pools, script cache
    await load(bareUrl, bareWarm, setupFile, WARMUP_CLAIMS);
    const ours = await load(api.url, oursRun, setupFile, CLAIMS);
    const ceiling = await load(bareUrl, bareRun, setupFile, CLAIMS);

    const records = await CouponModel.find({ batchId: new Types.ObjectId(batchId) }, { userId: 1, code: 1 }).lean();
    const issued = records.length;
    const duplicates =
      issued - new Set(records.map((r) => r.userId.toHexString())).size + (issued - new Set(records.map((r) => r.code)).size);
    const oversold = Math.max(0, issued - STOCK);
    const bareIssued = await deps.redis.scard('bare:run:users');

    const row = (name: string, f: Figures) =>
      console.log(
        `${name.padEnd(10)} rps=${f.rps.toFixed(0).padStart(7)}  p50=${f.p50}ms  p99=${f.p99}ms  2xx=${f.ok}  non2xx=${f.non2xx}  errors=${f.errors}`,
      );
    row('ours', ours);
    row('bare koa', ceiling);
    console.log(`ours: ${ours.ok} answered 201, ${issued} records in MongoDB; bare: ${bareIssued} claims in Redis`);
    if (ours.errors > 0 || ours.ok !== issued) console.log('WARNING: answers and records disagree, or the API errored');
    console.log(
      `ratio=${(ours.rps / ceiling.rps).toFixed(2)} issued=${issued} oversold=${oversold} duplicates=${duplicates} p99_ms=${ours.p99} ours_rps=${ours.rps.toFixed(0)} bare_rps=${ceiling.rps.toFixed(0)} bare_p99_ms=${ceiling.p99}`,
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
