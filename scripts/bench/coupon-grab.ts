/**
 * The coupon grab at release time: 20,000 claims by 20,000 different signed-in users on a batch of 1,000,
 * through the real API (JWT, validation, the Redis Lua gate, the durable MongoDB record — the embedded
 * server in its own process, see lib.ts) against a bare Koa server doing only a Redis Lua claim (stock +
 * per-user set, no JWT, no record) in the same run with the same load: autocannon from a child process,
 * 50 connections, every claim with its own Idempotency-Key as the mini-program sends it.
 *
 * The machine is shared, so the two servers take turns: the claims go in BENCH_ROUNDS slices, each sent to
 * ours and to bare (lib.ts takeTurns: who goes first alternates), and each side's rps is its requests over
 * its own seconds (lib.ts combine; p99 is the median slice p99); a burst of other work then lands on both
 * instead of on whichever ran at that moment. After each of our slices the bench waits until its coupon
 * records are written (durable_lag_s: the longest wait) before the next timed turn, so our batched writes
 * never run during the bare server's turn. cpu_ratio (bare ÷ ours CPU time per request, this process)
 * barely depends on the neighbours.
 * Then checks what landed in MongoDB. Target: ratio ≥ 0.5 and p99 ≤ 50 ms. Ends with one key=value line.
 * Usage: npm run bench -- coupon-grab   (BENCH_CLAIMS=20000, BENCH_STOCK=1000, BENCH_ROUNDS=3, BENCH_CONNECTIONS=50;
 * BENCH_PROFILE=file: a V8 CPU profile of the API process during each of our slices, file.rN.cpuprofile — it
 * slows those slices, so read the ratio of a run without it)
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Koa from 'koa';
import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { AppDeps } from '../../server/src/core/deps';
import type { RoleHolder } from '../../server/src/core/auth';
import { CouponModel } from '../../server/src/modules/coupons/coupons.model';
import type { Services } from '../../server/src/services';
import {
  CONNECTIONS,
  ROUNDS,
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

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 20_000);
const STOCK = Number(process.env.BENCH_STOCK ?? 1_000);
const WARMUP_CLAIMS = 4_000;

/**
 * autocannon's setupRequest must be a module path (it runs in the load child): this module hands each
 * request the next user's token (one claim per user), a fresh Idempotency-Key and the batch's path.
 */
const SETUP_REQUEST = `
const fs = require('node:fs');
const { tokens, path } = JSON.parse(fs.readFileSync(process.env.COUPON_BENCH_PLAN, 'utf8'));
let i = 0;
module.exports = (req) => {
  const n = i++;
  req.method = 'POST';
  req.path = path;
  // One Idempotency-Key per tap, as the mini-program sends (the bare server ignores it).
  req.headers = { ...req.headers, authorization: 'Bearer ' + tokens[n % tokens.length], 'idempotency-key': 'bench-grab-' + n };
  return req;
};
`;

const BARE_CLAIM = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -2 end
if tonumber(redis.call('GET', KEYS[1]) or '0') <= 0 then return -1 end
redis.call('DECR', KEYS[1])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`;

/** The ceiling: Koa, a user id straight from the header, one Lua claim in Redis, a tiny JSON answer. */
function bareApp(redis: Redis): Koa {
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
  return app;
}

const LICENCE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A shop approved by an editor and its owner, through the services (as the API would). */
async function shopWithOwner({ users, merchants, storage }: Services): Promise<{ merchantId: string; owner: RoleHolder }> {
  const editor = await users.createStaff(null, {
    username: 'bench-editor',
    password: 'bench-password-1',
    nickname: '编辑',
    roles: [{ role: 'editor' }],
  });
  const ownerView = await users.createStaff(null, { username: 'bench-shop', password: 'bench-password-1', nickname: '店主', roles: [] });
  // Any image of the owner's will do as the licence photo: the bench is about claiming coupons.
  const licence = await storage.upload({ id: ownerView.id, openid: null }, LICENCE_PNG);
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
      licencePhotoFileId: licence.id,
      intro: '',
    },
  );
  await merchants.decide({ id: editor.id, roles: [{ role: 'editor' }] }, applied.id, 'approve');
  return {
    merchantId: applied.id,
    owner: { id: ownerView.id, roles: [{ role: 'merchant_owner', scope: { type: 'merchant', id: applied.id } }] },
  };
}

async function newBatch(
  deps: AppDeps,
  services: Services,
  shop: { merchantId: string; owner: RoleHolder },
  stock: number,
): Promise<string> {
  const now = deps.clock.now();
  const batch = await services.coupons.createBatch(shop.owner, {
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

runBench(async () => {
  const api = await startBenchApi({ name: 'coupon-grab' });
  let bare: Bare | undefined;
  try {
    const { deps, services } = api;
    const shop = await shopWithOwner(services);
    const warmBatch = await newBatch(deps, services, shop, 100);
    const batchId = await newBatch(deps, services, shop, STOCK);
    const tokens = services.accessTokens;
    const mint = (n: number) =>
      Array.from(
        { length: n },
        () => tokens.issue({ id: new Types.ObjectId().toHexString(), roles: [{ role: 'citizen' }], rolesVersion: 0 }).accessToken,
      );
    const setupFile = path.join(api.dataDir, 'coupon-grab-setup-request.js');
    await writeFile(setupFile, SETUP_REQUEST);
    let plans = 0;
    /** Sends `list.length` claims to `p` (one per token) from the load child. */
    const claims = async (url: string, p: string, list: string[]) => {
      const file = path.join(api.dataDir, `plan-${++plans}.json`);
      await writeFile(file, JSON.stringify({ tokens: list, path: p }));
      process.env.COUPON_BENCH_PLAN = file;
      return runLoad(url, { amount: list.length, timeout: 30, requests: [{ method: 'POST', path: p, setupRequest: setupFile }] });
    };
    await deps.redis.set('bare:warm:stock', 100);
    await deps.redis.set('bare:run:stock', STOCK);
    bare = await startBare(bareApp(deps.redis));

    console.log(
      `coupon-grab bench: ${CLAIMS} claims by ${CLAIMS} users on ${STOCK} coupons, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds (database: ${api.mongo.mode}; API log level ${api.config.logLevel})`,
    );
    await claims(api.url, `/api/v1/coupon-batches/${warmBatch}/claim`, mint(WARMUP_CLAIMS)); // warm-up: JIT, pools, script cache
    await api.settle();
    await claims(bare.url, '/claim/warm', mint(WARMUP_CLAIMS));
    const slice = Math.ceil(CLAIMS / ROUNDS);
    const size = (r: number) => Math.max(0, Math.min(slice, CLAIMS - r * slice));
    const {
      ours: oursSlices,
      bare: bareSlices,
      settleMs,
    } = await takeTurns(
      (r) =>
        process.env.BENCH_PROFILE
          ? api.profile(`${process.env.BENCH_PROFILE}.r${r + 1}.cpuprofile`, () =>
              claims(api.url, `/api/v1/coupon-batches/${batchId}/claim`, mint(size(r))),
            )
          : claims(api.url, `/api/v1/coupon-batches/${batchId}/claim`, mint(size(r))),
      (r) => claims(bare!.url, '/claim/run', mint(size(r))),
      { settle: () => api.settle() },
    );
    const ours = combine(oursSlices);
    const ceiling = combine(bareSlices);

    // Answers leave right after the gate; the records follow in batched writes (awaited after each slice).
    await api.settle();
    const records = await CouponModel.find({ batchId: new Types.ObjectId(batchId) }, { userId: 1, code: 1 }).lean();
    const issued = records.length;
    const duplicates =
      issued - new Set(records.map((r) => r.userId.toHexString())).size + (issued - new Set(records.map((r) => r.code)).size);
    const oversold = Math.max(0, issued - STOCK);
    const bareIssued = await deps.redis.scard('bare:run:users');

    printComparison([
      ...oursSlices.map((f, i): [string, Figures] => [`ours ${i + 1}`, f]),
      ...bareSlices.map((f, i): [string, Figures] => [`bare ${i + 1}`, f]),
      ['ours', ours],
      ['bare koa', ceiling],
    ]);
    console.log(`ours: ${ours.ok} answered 201, ${issued} records in MongoDB; bare: ${bareIssued} claims in Redis`);
    if (ours.errors > 0 || ours.ok !== issued) console.log('WARNING: answers and records disagree, or the API errored');
    summaryLine({
      ratio: ratio(ours, ceiling),
      issued,
      oversold,
      duplicates,
      p99_ms: ours.p99,
      ours_rps: ours.rps,
      bare_rps: ceiling.rps,
      bare_p99_ms: ceiling.p99,
      cpu_ratio: cpuRatio(ours, ceiling),
      ours_cpu_us: ours.cpuUsPerReq,
      bare_cpu_us: ceiling.cpuUsPerReq,
      durable_lag_s: Number((Math.max(...settleMs) / 1000).toFixed(1)),
      rss_mb: ours.rssMb,
    });
  } finally {
    await bare?.close();
    await api.stop();
  }
});
