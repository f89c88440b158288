/**
 * Home feed and article reads through the real API (embedded MongoDB, redis-server, every middleware,
 * the feed cache) against a bare Koa server answering the same JSON, in the same run with the same load:
 * autocannon, 50 connections, on a worker thread so load generation doesn't share the servers' thread.
 * Target: ratio ≥ 0.6 and p99 ≤ 20 ms. Ends with one line of key=value figures.
 * Usage: npm run bench -- feed   (BENCH_SECONDS=10 per server, BENCH_CONNECTIONS=50)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Koa from 'koa';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/core/logger';
import { startServer } from '../../server/src/main';
import { newsroomSeed } from '../seed/steps/newsroom';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, paths: string[], seconds: number): Promise<Figures> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

/** A Koa app doing nothing but answering the same bodies: the ceiling our API is measured against. */
function bareServer(bodies: Map<string, string>): Server {
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
  return createServer(app.callback());
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-feed-'));
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
  const api = await startServer(config, logger, {
    jobs: false,
    beforeListen: (deps) => newsroomSeed.run({ deps, log: () => undefined }),
  });
  let bare: Server | undefined;
  try {
    const feedRes = await fetch(`${api.url}/api/v1/feed`);
    const feedBody = await feedRes.text();
    const ids = (JSON.parse(feedBody) as { items: Array<{ id: string }> }).items.slice(0, 3).map((a) => a.id);
    if (!feedRes.ok || ids.length === 0) throw new Error(`feed not ready: ${feedRes.status} ${feedBody}`);
    const paths = ['/api/v1/feed', ...ids.map((id) => `/api/v1/articles/${id}`)];
    const bodies = new Map<string, string>();
    for (const p of paths) bodies.set(p, await (await fetch(`${api.url}${p}`)).text());

    bare = bareServer(bodies);
    await new Promise<void>((resolve) => bare?.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

    console.log(`feed bench: ${CONNECTIONS} connections, ${SECONDS}s each, paths ${paths.join(' ')} (API log level ${logLevel})`);
    await load(api.url, paths, 2); // warm-up: JIT, caches, connection pools
    await load(bareUrl, paths, 2);
    const ours = await load(api.url, paths, SECONDS);
    const ceiling = await load(bareUrl, paths, SECONDS);
    const row = (name: string, f: Figures) =>
      console.log(
        `${name.padEnd(10)} rps=${f.rps.toFixed(0).padStart(7)}  p50=${f.p50}ms  p99=${f.p99}ms  errors=${f.errors}  non2xx=${f.non2xx}`,
      );
    row('ours', ours);
    row('bare koa', ceiling);
    if (ours.errors + ours.non2xx > 0) console.log('WARNING: our API answered errors during the run');
    console.log(
      `ratio=${(ours.rps / ceiling.rps).toFixed(2)} p99_ms=${ours.p99} ours_rps=${ours.rps.toFixed(0)} bare_rps=${ceiling.rps.toFixed(0)}`,
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
