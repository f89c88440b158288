/**
 * Contest voting through the real API (every middleware, JWT auth with the roles-version/deny-list check,
 * validation, the Lua gate with limits, tally, device tracking and the pending log, and the MongoDB vote
 * records written in batches just after the answers) against a bare Koa server doing only the Redis part (the
 * same per-user and per-entry daily limits and tally in one Lua call) in the same run: 20,000 votes from
 * 5,000 users (4 each, on distinct entries) on one contest, 50 keep-alive connections from a child process
 * (lib.ts runJobs), every vote sent exactly once. The MongoDB runs in its own child process (lib.ts).
 *
 * The votes go in rounds (each user's 1st vote, then the 2nd…) and each round is sent to ours and to
 * the bare server (lib.ts takeTurns: who goes first alternates) before the next round starts, so a change
 * in the load of this shared machine falls on both sides alike; after each of our rounds the bench waits
 * until its vote records are stored (api.settle: the API process's flushVotes; durable_lag_s: the longest wait) before the next timed
 * turn, so our batched writes never run during the bare server's turn. The figures combine the rounds
 * (votes/s over all of them, median p99; cpu_ratio: bare ÷ ours CPU time per vote). Afterwards the Redis tally is checked against
 * the stored votes. Ends with one line of key=value figures (rss_mb: the API process, its own child by default; see lib.ts).
 * Usage: npm run bench -- vote   (BENCH_USERS=5000 BENCH_VOTES_PER_USER=4 BENCH_CONNECTIONS=50)
 */
import path from 'node:path';
import Koa from 'koa';
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { UserModel } from '../../server/src/modules/users/users.model';
import type { Services } from '../../server/src/services';
import {
  combine,
  cpuRatio,
  printComparison,
  ratio,
  runBench,
  runJobs,
  startBare,
  startBenchApi,
  summaryLine,
  takeTurns,
  type Bare,
  type BenchApi,
  type Job,
} from './lib';

const USERS = Number(process.env.BENCH_USERS ?? 5000);
const PER_USER = Number(process.env.BENCH_VOTES_PER_USER ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ENTRIES = 20;

/** The bare side: bearer = user id, the same per-user/per-entry daily limits and tally in one Lua call, nothing else. */
const BARE_GATE = `
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
if total >= tonumber(ARGV[1]) then return -1 end
local per = tonumber(redis.call('GET', KEYS[2]) or '0')
if per >= tonumber(ARGV[2]) then return -2 end
redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], 172800)
redis.call('INCR', KEYS[2]); redis.call('EXPIRE', KEYS[2], 172800)
return redis.call('HINCRBY', KEYS[3], ARGV[3], 1)`;

function bareApp(redis: Redis): Koa {
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
  return app;
}

/**
 * A contest in its voting round with ENTRIES shortlisted entries, and `users` WeChat users (inserted
 * directly: set-up, not measured) with access tokens. Returns the jobs per round (round r = every
 * user's r-th vote), for ours and for the bare server.
 */
async function setUp({ contests, accessTokens: tokens }: Services, label: string, users: number) {
  const past = new Date(Date.now() - 30 * 86_400_000);
  const ids = Array.from({ length: users }, () => new Types.ObjectId());
  for (let i = 0; i < users; i += 1000) {
    await UserModel.insertMany(
      ids.slice(i, i + 1000).map((id) => ({
        _id: id,
        nickname: `投票者${id.toHexString().slice(-6)}`,
        openid: `bench-${label}-${id.toHexString()}`,
        roles: [],
        rolesVersion: 0,
        createdAt: past,
        updatedAt: past,
      })),
    );
  }
  const voters = ids.map((id) => ({
    id: id.toHexString(),
    token: tokens.issue({ id: id.toHexString(), roles: [{ role: 'citizen' }], rolesVersion: 0 }).accessToken,
  }));
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
    voting: { perUserPerDay: PER_USER, perEntryPerDay: 1, hideTotals: true, newAccountHours: 72, maxUsersPerDevice: 5 },
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
  // User u votes for entries u, u+1, …: distinct entries.
  const ours: Job[][] = [];
  const bare: Job[][] = [];
  for (let r = 0; r < PER_USER; r += 1) {
    ours.push([]);
    bare.push([]);
    voters.forEach((voter, u) => {
      const entry = entries[(u + r) % ENTRIES]!;
      const headers = { authorization: `Bearer ${voter.token}`, 'x-device-id': `bench-device-${u}` };
      ours[r]!.push({ path: `/api/v1/contests/${contest.id}/entries/${entry}/votes`, headers });
      bare[r]!.push({ path: `/v/${entry}`, headers: { ...headers, authorization: `Bearer ${label}${voter.id}` } });
    });
  }
  return { contestId: contest.id, ours, bare };
}

/**
 * BENCH_PROFILE=file.cpuprofile: a V8 CPU profile of the API process during each of our runs, for
 * Chrome DevTools, one file per round (file.r1.cpuprofile, file.r2.cpuprofile, …).
 */
async function profiled<T>(api: BenchApi, round: number, work: () => Promise<T>): Promise<T> {
  const base = process.env.BENCH_PROFILE;
  if (!base) return work();
  const ext = path.extname(base);
  const file = path.resolve(`${ext ? base.slice(0, -ext.length) : base}.r${round}${ext || '.cpuprofile'}`);
  const result = await api.profile(file, work);
  console.log(`vote bench: CPU profile of our round ${round} in ${file}`);
  return result;
}

runBench(async () => {
  const api = await startBenchApi({ name: 'vote' });
  let bare: Bare | undefined;
  try {
    const { deps, services } = api;
    console.log(`vote bench: setting up ${USERS} voters (+ a warm-up contest), MongoDB ${api.mongo.mode}…`);
    const warm = await setUp(services, 'warm', Math.max(ENTRIES, Math.floor(USERS / 10)));
    const run = await setUp(services, 'run', USERS);
    bare = await startBare(bareApp(deps.redis));

    console.log(`vote bench: ${USERS * PER_USER} votes from ${USERS} users, ${CONNECTIONS} connections, ${PER_USER} rounds`);
    // Warm-up: JIT, caches, connection pools; then our vote records, written in batches after the answers.
    await runJobs(api.url, warm.ours.flat(), { connections: CONNECTIONS });
    await api.settle();
    await runJobs(bare.url, warm.bare.flat(), { connections: CONNECTIONS });
    // Round r = every user's r-th vote, to ours and to the bare server in turn (who goes first alternates);
    // after each of our rounds its vote records are written before the next timed turn starts.
    const {
      ours: oursRuns,
      bare: bareRuns,
      settleMs,
    } = await takeTurns(
      (r) => profiled(api, r + 1, () => runJobs(api.url, run.ours[r]!, { connections: CONNECTIONS })),
      (r) => runJobs(bare!.url, run.bare[r]!, { connections: CONNECTIONS }),
      { rounds: PER_USER, settle: () => api.settle() },
    );
    const ours = combine(oursRuns);
    const ceiling = combine(bareRuns);

    // The API's vote records are stored (settled above); the check reads Redis and MongoDB from here.
    const mismatch = await services.contests.tallyMismatch(run.contestId);
    const stored = await deps.db.collection('contest_votes').countDocuments({ contestId: new Types.ObjectId(run.contestId) });
    const bareTally = Object.values(await deps.redis.hgetall('bare:tally')).reduce((s, v) => s + Number(v), 0);
    printComparison(
      [
        ['ours', ours],
        ['bare koa', ceiling],
      ],
      'votes/s',
    );
    console.log(
      `rounds (votes/s ours/bare): ${oursRuns.map((f, i) => `${f.rps.toFixed(0)}/${bareRuns[i]!.rps.toFixed(0)}`).join(' ')}; ` +
        `stored votes=${stored} (accepted ${ours.ok}); bare tally sum=${bareTally}; tally entries mismatching stored votes=${mismatch}`,
    );
    if (ours.ok !== USERS * PER_USER || stored !== ours.ok) console.log('WARNING: not every vote was accepted and stored once');
    summaryLine({
      ratio: ratio(ours, ceiling),
      tally_mismatch: mismatch,
      stored,
      accepted: ours.ok,
      ours_vps: ours.rps,
      bare_vps: ceiling.rps,
      p99_ms: ours.p99,
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
