/**
 * 数据看板 through the real API (MongoDB, redis-server, every middleware, auth, the 60 s answer cache) against a bare
 * Koa server reading the same roll-up documents from MongoDB, in the same run with the same load: autocannon from a
 * child process, 50 connections, ours and bare taking turns (BENCH_ROUNDS). The data: a year (366 days) of daily
 * roll-ups with a county's dimensions (8 towns, 10 circles, 8 departments, 20 teams, 30 coupon batches, 50
 * merchants, 10 top articles a day, 8 points sources; scripts/seed/stats-history.ts). The dashboard reads only
 * roll-ups, so the raw collections' size (ledger, 问政 cases, reads) does not enter a request; what the roll-ups
 * summarise is in their values. Requests: the default 30 days, 90 days, the whole year, an area and a department
 * filter, as an editor; the bare side keeps each query's rows 60 s as ours keeps its answers. Also printed: each
 * query's first (uncached) answer time. Target: ratio ≥ 0.6, p99 ≤ 50 ms.
 * Usage: npm run bench -- dashboard   (BENCH_SECONDS=10 per turn, BENCH_ROUNDS=3, BENCH_CONNECTIONS=50; see lib.ts)
 */
import Koa from 'koa';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../server/src/core/time';
import { RollupModel } from '../../server/src/modules/stats/stats.model';
import { identitySeed } from '../seed/steps/identity';
import { COUNTY_SCALE, sampleRollupDay } from '../seed/stats-history';
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

const DAYS = 366;

/**
 * The bare ceiling: the same roll-up rows of the query's days, read from MongoDB and kept 60 s per query (as our
 * dashboard keeps its answers), served as JSON. Without the cache a bare server answering a year of raw rows per
 * request manages a few requests a second and buries the database for the next turn: no ceiling at all.
 */
function bareApp(): Koa {
  const app = new Koa();
  const cache = new Map<string, { at: number; body: Promise<string> }>();
  app.use(async (ctx) => {
    const key = ctx.querystring;
    let hit = cache.get(key);
    if (!hit || Date.now() - hit.at > 60_000) {
      const from = String(ctx.query.from ?? '');
      const to = String(ctx.query.to ?? '');
      const body = RollupModel.find({ day: { $gte: from, $lte: to } }, { _id: 0, computedAt: 0, run: 0 })
        .lean()
        .then((rows) => JSON.stringify(rows));
      cache.set(key, (hit = { at: Date.now(), body }));
    }
    ctx.type = 'application/json';
    ctx.body = await hit.body;
  });
  return app;
}

runBench(async () => {
  let rows = 0;
  const api = await startBenchApi({
    name: 'dashboard',
    beforeListen: async (deps, services) => {
      await identitySeed.run({ deps, services, log: () => undefined });
      const today = shanghaiDayStart(shanghaiDay(deps.clock.now())).getTime();
      const now = deps.clock.now();
      for (let i = 0; i < DAYS; i += 1) {
        const day = shanghaiDay(today - (DAYS - i) * DAY_MS);
        const docs = sampleRollupDay(day, i, COUNTY_SCALE, 'bench', now);
        rows += docs.length;
        await RollupModel.insertMany(docs, { ordered: false });
      }
    },
  });
  let bare: Bare | undefined;
  try {
    const login = await fetch(`${api.url}/api/v1/auth/staff-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'editor', password: 'rongmei-editor-dev' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    if (!login.ok) throw new Error(`editor login failed: ${login.status}`);
    const headers = { authorization: `Bearer ${accessToken}` };
    const yesterday = shanghaiDay(shanghaiDayStart(shanghaiDay(Date.now())).getTime() - DAY_MS);
    const back = (n: number) => shanghaiDay(shanghaiDayStart(yesterday).getTime() - (n - 1) * DAY_MS);
    const queries: Record<string, string>[] = [
      { from: back(30), to: yesterday },
      { from: back(90), to: yesterday },
      { from: back(DAYS), to: yesterday },
      { from: back(30), to: yesterday, area: '青溪镇' },
      { from: back(90), to: yesterday, department: 'zjj' },
    ];
    const paths = queries.map((q) => `/api/v1/console/dashboard?${new URLSearchParams(q)}`);
    const cold: number[] = [];
    for (const p of paths) {
      const started = performance.now();
      const res = await fetch(`${api.url}${p}`, { headers });
      const body = (await res.json()) as { daysComputed?: number };
      cold.push(Math.round(performance.now() - started));
      if (!res.ok) throw new Error(`dashboard ${p}: ${res.status} ${JSON.stringify(body)}`);
    }
    bare = await startBare(bareApp());

    console.log(
      `dashboard bench: ${rows} roll-up rows (${DAYS} days), ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS}s each side (database: ${api.mongo.mode})`,
    );
    console.log(`first (uncached) answers, ms: ${paths.map((p, i) => `${p.slice(26)} ${cold[i]}`).join(' · ')}`);
    await runLoad(api.url, { paths, headers, seconds: 2 }); // warm-up: JIT, caches, connection pools
    await runLoad(bare.url, { paths, seconds: 2 });
    const bareUrl = bare.url;
    const turns = await takeTurns(
      () => runLoad(api.url, { paths, headers }),
      () => runLoad(bareUrl, { paths }),
    );
    const coldMax = Math.max(...cold);
    const { ours, fields } = reportTurns(turns);
    summaryLine({
      ...fields,
      cold_max_ms: coldMax,
      rollup_rows: rows,
      errors: ours.errors + ours.non2xx,
      rss_mb: ours.rssMb,
      db_rss_mb: ours.dbRssMb,
    });
  } finally {
    await bare?.close();
    await api.stop();
  }
});
