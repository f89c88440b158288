/**
 * Contest voting through the real API (embedded MongoDB, redis-server, every middleware, JWT auth, the
 * Lua gate and a durable vote record per vote) against a bare Koa server doing only the Redis part (same
 * limits, same tally) in the same run: 20,000 votes from 5,000 users (4 each, on distinct entries) on one
 * contest, 50 keep-alive connections from a worker thread, every vote sent exactly once. Afterwards the
 * Redis tally is checked against the stored votes. Ends with one line of key=value figures.
 * Usage: npm run bench -- vote   (BENCH_USERS=5000 BENCH_VOTES_PER_USER=4 BENCH_CONNECTIONS=50)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Types } from 'mongoose';
import Koa from 'koa';
import type { Redis } from 'ioredis';
import type { AppDeps } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { accessTokensFor } from '../../server/src/core/auth';
import { createLogger } from '../../server/src/core/logger';
import { startServer } from '../../server/src/main';
import { createContestsService } from '../../server/src/modules/contests';
import { createUsersService } from '../../server/src/modules/users';

const USERS = Number(process.env.BENCH_USERS ?? 5000);
const PER_USER = Number(process.env.BENCH_VOTES_PER_USER ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ENTRIES = 20;

interface Job {
  path: string;
  token: string;
  device: string;
}
interface Figures {
  ms: number;
  ok: number;
  errors: number;
  other: Record<string, number>;
  p50: number;
  p99: number;
}

/** The load generator: a worker thread, `concurrency` keep-alive loops pulling the next job until none are left. */
const LOADER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, jobs, concurrency } = workerData;
const u = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let next = 0, ok = 0, errors = 0;
const other = {};
const lat = [];
function one(job) {
  return new Promise((done) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: job.path, agent,
      headers: { authorization: 'Bearer ' + job.token, 'x-device-id': job.device, 'content-length': 0 } }, (res) => {
      res.resume();
      res.on('end', () => {
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.statusCode === 201) ok++; else other[res.statusCode] = (other[res.statusCode] || 0) + 1;
        done();
      });
    });
    req.on('error', () => { errors++; done(); });
    req.end();
  });
}
async function loop() { for (;;) { const i = next++; if (i >= jobs.length) return; await one(jobs[i]); } }
const started = Date.now();
Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
  const ms = Date.now() - started;
  lat.sort((a, b) => a - b);
  const q = (p) => Math.round((lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] || 0) * 10) / 10;
  agent.destroy();
  parentPort.postMessage({ ms, ok, errors, other, p50: q(0.5), p99: q(0.99) });
});`;

function load(url: string, jobs: Job[]): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOADER, { eval: true, workerData: { url, jobs, concurrency: CONNECTIONS } });
    worker.once('message', (m: Figures) => {
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', reject);
  });
}

/** The bare side: bearer = user id, the same per-user/per-entry daily limits and tally in one Lua call, nothing else. */
const BARE_GATE = `
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
if total >= tonumber(ARGV[1]) then return -1 end
local per = tonumber(redis.call('GET', KEYS[2]) or '0')
if per >= tonumber(ARGV[2]) then return -2 end
redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], 172800)
redis.call('INCR', KEYS[2]); redis.call('EXPIRE', KEYS[2], 172800)
return redis.call('HINCRBY', KEYS[3], ARGV[3], 1)`;

function bareServer(redis: Redis): Server {
  const app = new Koa();
  app.use(async (ctx) => {
    const match = /^\/v\/([0-9a-f]{24})$/.exec(ctx.path);
    const user = /^Bearer (\S+)$/.exec(ctx.get('authorization'))?.[1];
    if (ctx.method !== 'POST' || !match || !user) {
      ctx.status = 404;
      return;
    }
    const entry = match[1]!;
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const result = (await redis.eval(
      BARE_GATE,
      3,
      `bare:u:${user}:${day}`,
      `bare:ue:${user}:${entry}:${day}`,
      'bare:tally',
      PER_USER,
      1,
      entry,
    )) as number;
    ctx.status = result > 0 ? 201 : 422;
    ctx.body = result > 0 ? { entryVotes: null, ok: true } : { error: { code: 'VOTE_DAILY_LIMIT' } };
  });
  return createServer(app.callback());
}

/** A contest in its voting round with ENTRIES shortlisted entries, and `users` WeChat users with tokens. */
async function setUp(deps: AppDeps, label: string, users: number) {
  const contests = createContestsService(deps);
  const people = createUsersService(deps);
  const tokens = accessTokensFor(deps);
  const stamp = Date.now();
  const voters: Array<{ id: string; token: string }> = [];
  for (let i = 0; i < users; i += 1) {
    const doc = await people.loginWechatUser({ openid: `bench-${label}-${i}-${stamp}`, sessionKey: 'bench' });
    const id = doc._id.toHexString();
    voters.push({ id, token: tokens.issue({ id, roles: [{ role: 'citizen' }], rolesVersion: doc.rolesVersion }).accessToken });
  }
  const admin = { id: new Types.ObjectId().toHexString(), roles: [{ role: 'admin' as const }] };
  const now = Date.now();
  const contest = await contests.create(admin, {
    title: `投票压测${label}`,
    description: 'bench',
    rounds: [
      { kind: 'submission', startsAt: new Date(now - 3600_000).toISOString() },
      { kind: 'voting', startsAt: new Date(now + 3000).toISOString() },
      { kind: 'results', startsAt: new Date(now + 86_400_000).toISOString() },
    ],
    entryKinds: ['photo'],
    maxEntriesPerPerson: 1,
    voting: { perUserPerDay: PER_USER, perEntryPerDay: 1, hideTotals: true, newAccountHours: 0, maxUsersPerDevice: 5 },
    juryWeight: 50,
    publicWeight: 50,
    awards: [],
  });
  const entries: string[] = [];
  for (let i = 0; i < ENTRIES; i += 1) {
    const author = voters[i]!;
    const entry = await contests.fileEntry({ id: author.id, roles: [{ role: 'citizen' }] }, contest.id, {
      kind: 'photo',
      title: `作品${i}`,
      imageUrls: [`https://img.example.cn/${i}.jpg`],
    });
    entries.push(entry.id);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, now + 3100 - Date.now())));
  await contests.advanceDue(new Date());
  // User u votes for entries u, u+1, …: distinct entries; rounds interleave users so one user's votes are spread out.
  const ours: Job[] = [];
  const bare: Job[] = [];
  for (let r = 0; r < PER_USER; r += 1) {
    for (let u = 0; u < voters.length; u += 1) {
      const entry = entries[(u + r) % ENTRIES]!;
      const device = `bench-device-${u}`;
      ours.push({ path: `/api/v1/contests/${contest.id}/entries/${entry}/votes`, token: voters[u]!.token, device });
      bare.push({ path: `/v/${entry}`, token: `${label}${voters[u]!.id}`, device });
    }
  }
  return { contestId: contest.id, ours, bare };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-vote-'));
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
  let deps: AppDeps | undefined;
  const api = await startServer(config, logger, {
    jobs: false,
    beforeListen: async (d) => {
      deps = d;
    },
  });
  let bare: Server | undefined;
  let bareRedis: Redis | undefined;
  try {
    if (!deps) throw new Error('no deps');
    console.log(`vote bench: setting up ${USERS} voters (+ a warm-up contest)…`);
    const warm = await setUp(deps, 'warm', Math.max(ENTRIES, Math.floor(USERS / 10)));
    const run = await setUp(deps, 'run', USERS);

    bareRedis = deps.redis.duplicate();
    bare = bareServer(bareRedis);
    await new Promise<void>((resolve) => bare?.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

    console.log(`vote bench: ${run.ours.length} votes from ${USERS} users, ${CONNECTIONS} connections (API log level ${logLevel})`);
    await load(api.url, warm.ours); // warm-up: JIT, caches, connection pools
    await load(bareUrl, warm.bare);
    const ours = await load(api.url, run.ours);
    const ceiling = await load(bareUrl, run.bare);

    const contests = createContestsService(deps);
    const mismatch = await contests.tallyMismatch(run.contestId);
    const stored = await deps.db.collection('contest_votes').countDocuments({ contestId: new Types.ObjectId(run.contestId) });
    const bareTally = Object.values(await deps.redis.hgetall('bare:tally')).reduce((s, v) => s + Number(v), 0);
    const vps = (f: Figures) => (f.ok + Object.values(f.other).reduce((a, b) => a + b, 0)) / (f.ms / 1000);
    const row = (name: string, f: Figures) =>
      console.log(
        `${name.padEnd(10)} votes/s=${vps(f).toFixed(0).padStart(6)}  accepted=${f.ok}  refused=${JSON.stringify(f.other)}  errors=${f.errors}  p50=${f.p50}ms  p99=${f.p99}ms  total=${(f.ms / 1000).toFixed(1)}s`,
      );
    row('ours', ours);
    row('bare koa', ceiling);
    console.log(
      `stored votes=${stored} (accepted ${ours.ok}); bare tally sum=${bareTally}; tally entries mismatching stored votes=${mismatch}`,
    );
    if (ours.ok !== run.ours.length || stored !== ours.ok) console.log('WARNING: not every vote was accepted and stored once');
    console.log(
      `ratio=${(vps(ours) / vps(ceiling)).toFixed(2)} tally_mismatch=${mismatch} stored=${stored} accepted=${ours.ok} ours_vps=${vps(ours).toFixed(0)} bare_vps=${vps(ceiling).toFixed(0)} p99_ms=${ours.p99}`,
    );
  } finally {
    if (bare) await new Promise((resolve) => bare?.close(resolve));
    bareRedis?.disconnect();
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
