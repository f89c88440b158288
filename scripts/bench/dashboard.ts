/**
 * 数据看板 through the real API (MongoDB, redis-server, every middleware, auth, validation, the answer cache) on a
 * county-sized data set, against a bare Koa server reading the same roll-up documents from MongoDB.
 *
 * The data (dashboard-data.ts): a year of raw activity — 1M points ledger entries, 100k 问政 cases with their event
 * histories, 1M article reads, 20k citizens, on the development seed's circles, departments and articles —
 * inserted in unordered batches, then rolled up by the production job (`services.stats.rollUp`), so the
 * `stats_daily` rows come from the raw data. Built once and kept in `.data/bench-dashboard/` (embedded MongoDB;
 * BENCH_DASHBOARD_DIR moves it, BENCH_DASHBOARD_FRESH=1 rebuilds it); with MONGODB_URI, in the database
 * `rongmei_bench_dashboard` there. A marker document (`bench_datasets`) says the set is whole.
 *
 * Load: 50 connections, round-robin over a mix of queries as an editor (7, 30, 90 and 365 days, the 30 days a
 * month earlier, each of the 8 towns over 30 days, each of the 8 departments over 90 days). Ours answers each
 * query from its per-query answer cache (60 s, bounded LRU) after the first request. Bare: for every request
 * the same find as ours (same filter, projection and cursor batches) on the same collection, sent as JSON —
 * no auth, validation, summing or cache (the brief's ceiling: what serving the roll-up documents costs). Also
 * printed: each query's first (uncached) answer time, the answer sizes of both sides, and one turn of a bare
 * side that keeps each query's rows 60 s as ours keeps its answers (`bare_cached_rps`).
 * Target: ratio ≥ 0.6, p99 ≤ 50 ms, API RSS < 300 MB.
 * Usage: npm run bench -- dashboard   (BENCH_SECONDS=10 per turn, BENCH_ROUNDS=3, BENCH_CONNECTIONS=50; see lib.ts)
 */
import path from 'node:path';
import Koa from 'koa';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../server/src/core/time';
import { RollupModel } from '../../server/src/modules/stats/stats.model';
import { COUNTY, DEPARTMENTS } from '../seed/county';
import { ensureDataset, type DatasetMarker } from './dashboard-data';
import {
  CONNECTIONS,
  ROUNDS,
  SECONDS,
  reportTurns,
  runBench,
  runLoad,
  startBare,
  startBenchApi,
  summaryLine,
  takeTurns,
  type Bare,
} from './lib';

const DB_NAME = 'rongmei_bench_dashboard';
const DB_DIR = process.env.BENCH_DASHBOARD_DIR ?? path.resolve(__dirname, '../../.data/bench-dashboard');

/** The roll-up documents of the query's days, as our dashboard reads them (stats/dashboard.ts). */
const rollupFind = (from: string, to: string) =>
  RollupModel.find({ day: { $gte: from, $lte: to } }, { _id: 0, computedAt: 0, run: 0 })
    .lean()
    .cursor({ batchSize: 1000 });

async function rollupJson(from: string, to: string): Promise<string> {
  const rows: unknown[] = [];
  for await (const r of rollupFind(from, to)) rows.push(r);
  return JSON.stringify(rows);
}

/**
 * Requests a bare server is still answering. The bare side falls far behind its load (seconds per request): when its
 * turn ends, the finds it has queued would keep the database busy through our next turn, so each bare turn is
 * followed by waiting for them (takeTurns' settleBare).
 */
let bareInFlight = 0;
async function bareSettled(): Promise<void> {
  while (bareInFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
}
function counted(app: Koa): Koa {
  app.middleware.unshift(async (_ctx, next) => {
    bareInFlight += 1;
    try {
      await next();
    } finally {
      bareInFlight -= 1;
    }
  });
  return app;
}

/** The bare ceiling: the same find for every request, its documents as JSON. */
function bareApp(): Koa {
  const app = new Koa();
  app.use(async (ctx) => {
    ctx.type = 'application/json';
    ctx.body = await rollupJson(String(ctx.query.from ?? ''), String(ctx.query.to ?? ''));
  });
  return counted(app);
}

/** The same, keeping each query's JSON 60 s as our dashboard keeps its answers. */
function bareCachedApp(): Koa {
  const app = new Koa();
  const cache = new Map<string, { at: number; body: Promise<string> }>();
  app.use(async (ctx) => {
    let hit = cache.get(ctx.querystring);
    if (!hit || Date.now() - hit.at > 60_000) {
      hit = { at: Date.now(), body: rollupJson(String(ctx.query.from ?? ''), String(ctx.query.to ?? '')) };
      cache.set(ctx.querystring, hit);
    }
    ctx.type = 'application/json';
    ctx.body = await hit.body;
  });
  return counted(app);
}

runBench(async () => {
  let data: (DatasetMarker & { cached: boolean }) | undefined;
  const started = Date.now();
  const api = await startBenchApi({
    name: 'dashboard',
    env: { MONGODB_DB_NAME: DB_NAME },
    dbDir: DB_DIR,
    // A million-document collection or two: more heap than V8's default for the database process.
    dbNodeArgs: ['--max-old-space-size=8192'],
    // Compacting the journal snapshots the whole store in one synchronous step: at this size it blocks the database
    // long enough for the driver to give up on it mid-load. It is compacted when the next run opens it instead.
    dbArgs: ['--compact-threshold-mb', '100000'],
    beforeListen: async (deps, services) => {
      data = await ensureDataset(deps, services, (line) => console.log(`[dashboard data] ${line}`));
    },
  });
  let bare: Bare | undefined;
  let bareCached: Bare | undefined;
  try {
    const set = data!;
    console.log(
      `dashboard data set ${set.cached ? `reused (built ${set.builtAt.toISOString()} in ${set.buildSeconds} s)` : `built in ${set.buildSeconds} s`}: ` +
        `${set.ledger} ledger entries, ${set.cases} 问政 cases, ${set.reads} reads, ${set.users} citizens, ${set.firstDay}…${set.lastDay}, ` +
        `${set.rollupRows} roll-up rows (start to API listening: ${Math.round((Date.now() - started) / 1000)} s)`,
    );
    const login = await fetch(`${api.url}/api/v1/auth/staff-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'editor', password: 'rongmei-editor-dev' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    if (!login.ok) throw new Error(`editor login failed: ${login.status}`);
    const headers = { authorization: `Bearer ${accessToken}` };
    // Ranges end on the data set's last day (a reused set may be older than yesterday).
    const last = set.lastDay;
    const back = (n: number, end = last) => shanghaiDay(shanghaiDayStart(end).getTime() - (n - 1) * DAY_MS);
    const monthBefore = back(31);
    const queries: Record<string, string>[] = [
      { from: back(7), to: last },
      { from: back(30), to: last },
      { from: back(90), to: last },
      { from: back(365), to: last },
      { from: back(30, monthBefore), to: monthBefore },
      ...COUNTY.towns.map((area) => ({ from: back(30), to: last, area })),
      ...DEPARTMENTS.map((d) => ({ from: back(90), to: last, department: d.code })),
    ];
    const paths = queries.map((q) => `/api/v1/console/dashboard?${new URLSearchParams(q)}`);
    const cold: number[] = [];
    let oursBytes = 0;
    for (const p of paths) {
      const t = performance.now();
      const res = await fetch(`${api.url}${p}`, { headers });
      const text = await res.text();
      cold.push(Math.round(performance.now() - t));
      oursBytes += Buffer.byteLength(text);
      if (!res.ok) throw new Error(`dashboard ${p}: ${res.status} ${text}`);
    }
    bare = await startBare(bareApp());
    bareCached = await startBare(bareCachedApp());
    let bareBytes = 0;
    for (const p of paths) bareBytes += Buffer.byteLength(await (await fetch(`${bare.url}${p}`)).text());

    console.log(
      `dashboard bench: ${paths.length} queries, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS}s each side (database: ${api.mongo.mode})`,
    );
    console.log(`first (uncached) answers, ms: ${cold.join(' ')}`);
    console.log(
      `answer size per query, kB (mean): ours ${Math.round(oursBytes / paths.length / 1024)}, bare ${Math.round(bareBytes / paths.length / 1024)}`,
    );
    await runLoad(api.url, { paths, headers, seconds: 2 }); // warm-up: JIT, caches, connection pools
    await runLoad(bare.url, { paths, seconds: 2 });
    const bareUrl = bare.url;
    await bareSettled();
    const turns = await takeTurns(
      () => runLoad(api.url, { paths, headers }),
      () => runLoad(bareUrl, { paths }),
      { settleBare: bareSettled },
    );
    const { ours, fields } = reportTurns(turns);
    await runLoad(bareCached.url, { paths, seconds: 2 });
    await bareSettled();
    const cachedTurn = await runLoad(bareCached.url, { paths });
    await bareSettled();
    console.log(`bare, rows kept 60 s per query: rps=${Math.round(cachedTurn.rps)} p99=${cachedTurn.p99}ms`);
    summaryLine({
      ...fields,
      bare_cached_rps: cachedTurn.rps,
      cold_max_ms: Math.max(...cold),
      ours_kb: Math.round(oursBytes / paths.length / 1024),
      bare_kb: Math.round(bareBytes / paths.length / 1024),
      errors: ours.errors + ours.non2xx,
      rss_mb: ours.rssMb,
      db_rss_mb: ours.dbRssMb,
      ledger: set.ledger,
      cases: set.cases,
      reads: set.reads,
      rollup_rows: set.rollupRows,
    });
  } finally {
    await bareSettled();
    await bareCached?.close();
    await bare?.close();
    await api.stop();
  }
});
