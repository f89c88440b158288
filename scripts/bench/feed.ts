/**
 * Home feed and article reads through the real API (MongoDB, redis-server, every middleware, the feed
 * cache) against a bare Koa server answering the same JSON, in the same run with the same load:
 * autocannon from a child process, 50 connections, ours and bare taking turns (BENCH_ROUNDS). Target:
 * ratio ≥ 0.6 and p99 ≤ 20 ms. Ends with one line of key=value figures: ratio over all rounds, p99 = median
 * of the rounds, cpu_ratio = bare ÷ ours CPU per request, rss_mb = the API process's highest RSS.
 * Usage: npm run bench -- feed   (BENCH_SECONDS=10 per turn, BENCH_ROUNDS=3, BENCH_CONNECTIONS=50; see lib.ts)
 */
import Koa from 'koa';
import { newsroomSeed } from '../seed/steps/newsroom';
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

/** A Koa app doing nothing but answering the same bodies: the ceiling our API is measured against. */
function bareApp(bodies: Map<string, string>): Koa {
  const app = new Koa();
  app.use(async (ctx) => {
    const body = bodies.get(ctx.path);
    if (body === undefined) {
      ctx.status = 404;
      return;
    }
    ctx.type = 'application/json';
    ctx.body = body;
  });
  return app;
}

runBench(async () => {
  const api = await startBenchApi({
    name: 'feed',
    beforeListen: (deps, services) => newsroomSeed.run({ deps, services, log: () => undefined }),
  });
  let bare: Bare | undefined;
  try {
    const feedRes = await fetch(`${api.url}/api/v1/feed`);
    const feedBody = await feedRes.text();
    const ids = (JSON.parse(feedBody) as { items: Array<{ id: string }> }).items.slice(0, 3).map((a) => a.id);
    if (!feedRes.ok || ids.length === 0) throw new Error(`feed not ready: ${feedRes.status} ${feedBody}`);
    const paths = ['/api/v1/feed', ...ids.map((id) => `/api/v1/articles/${id}`)];
    const bodies = new Map<string, string>();
    for (const p of paths) bodies.set(p, await (await fetch(`${api.url}${p}`)).text());
    bare = await startBare(bareApp(bodies));

    console.log(
      `feed bench: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS}s each side, paths ${paths.join(' ')} (database: ${api.mongo.mode}; API log level ${api.config.logLevel})`,
    );
    await runLoad(api.url, { paths, seconds: 2 }); // warm-up: JIT, caches, connection pools
    await runLoad(bare.url, { paths, seconds: 2 });
    const bareUrl = bare.url;
    const turns = await takeTurns(
      () => runLoad(api.url, { paths }),
      () => runLoad(bareUrl, { paths }),
    );
    const { ours, fields } = reportTurns(turns);
    summaryLine({
      ...fields,
      rounds: ROUNDS,
      rss_mb: ours.rssMb,
      db_rss_mb: ours.dbRssMb,
    });
  } finally {
    await bare?.close();
    await api.stop();
  }
});
