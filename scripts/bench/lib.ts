/**
 * What every bench shares: our API on a temporary data folder in its own child process (api-child.ts, as
 * production runs it) and the embedded MongoDB in another, a bare Koa server to compare with in the bench
 * process, load generated in a third child (autocannon, or a list of jobs), the RSS and CPU of the process
 * serving each side sampled from /proc during the load, a comparison table and the closing key=value line.
 *
 * Environment: BENCH_SECONDS (10), BENCH_CONNECTIONS (50), BENCH_ROUNDS (3), BENCH_API=child|in-process
 * (child), BENCH_MONGO=child|in-process (child), MONGODB_URI (an external mongod/replica set instead of the
 * embedded one), REDIS_URL (else a redis-server child both processes use), LOG_LEVEL (warn),
 * BENCH_NODE_FLAGS (Node/V8 flags of both servers' processes — the API child and this one, which serves the
 * bare side; default `--max-semi-space-size=32 --min-semi-space-size=16`, empty for none; node-flags.ts),
 * BENCH_API_NODE_ARGS (more flags for the API child only).
 *
 * With the API in a child, the bench process opens its own deps (openInfrastructure) on the same MongoDB
 * and Redis for set-up (`beforeListen`, users, tokens) and checks; what only the API process holds (the
 * queues of its batched durable writes) is reached over IPC: `api.settle()`, `api.profile()`.
 *
 * RSS and CPU: `rssMb` / `cpuUsPerReq` of a run are those of the process serving the loaded URL — the API
 * child for ours (its own figure: no bare server, no set-up data, no load generator), the bench process for
 * the bare server; `dbRssMb` is the database child's. With BENCH_API=in-process the API, the bare server
 * and the set-up data share the bench process and its RSS is an upper bound for the API's (with
 * BENCH_MONGO=in-process too it also holds the whole database; with the API in a child, BENCH_MONGO=in-process
 * runs the database in the bench process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Request as AutocannonRequest } from 'autocannon';
import type Koa from 'koa';
import type { AppDeps } from '../../server/src/core/deps';
import { loadConfig, setListeningPort, type Config } from '../../server/src/config';
import { ensureIndexes } from '../../server/src/core/db';
import { startLocalMongo } from '../../server/src/core/db/embedded';
import { createLogger, type Logger } from '../../server/src/core/logger';
import { findRedisServerBinary, startRedisServer } from '../../server/src/core/redis';
import { openInfrastructure, startServer } from '../../server/src/main';
import { buildServices, type Services } from '../../server/src/services';
import { benchNodeFlags, execArgvWithout } from './node-flags';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROOT = path.resolve(__dirname, '../..');

// ---------------------------------------------------------------------------------------------- RSS

/** Resident set size of `pid` in MB (Linux /proc), or undefined when the process is gone. */
export function rssMb(pid: number = process.pid): number | undefined {
  if (pid === process.pid) return process.memoryUsage.rss() / 1048576;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the RSS of `pid` every `everyMs` from this process (for benches with their own load generator;
 * runLoad/runJobs sample from the load child instead, so sampling never waits on the API's event loop).
 */
export function sampleRss(pid: number = process.pid, everyMs = 100): { stop(): number } {
  let max = rssMb(pid) ?? 0;
  const timer = setInterval(() => (max = Math.max(max, rssMb(pid) ?? 0)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(max, rssMb(pid) ?? 0));
    },
  };
}

// ------------------------------------------------------------------------------------- our API

export interface BenchApiOptions {
  /** Names the temporary data folder (bench-NAME-…). */
  name: string;
  /** Extra environment for loadConfig (e.g. feature flags). */
  env?: Record<string, string>;
  /** Set-up with direct access to deps and services, before the API's port opens (seed data, users, tokens). */
  beforeListen?: (deps: AppDeps, services: Services) => Promise<void>;
  /** Where the embedded MongoDB runs; default BENCH_MONGO or 'child'. Ignored when MONGODB_URI is set. */
  mongo?: 'child' | 'in-process';
  /** Where our API runs; default BENCH_API or 'child'. */
  api?: 'child' | 'in-process';
  /**
   * The embedded MongoDB's data folder, kept after the run (a data set cached between runs); default a folder
   * inside the run's temporary one, removed at the end.
   */
  dbDir?: string;
  /** Node flags of the embedded MongoDB child (e.g. a larger heap for a big data set). */
  dbNodeArgs?: string[];
  /** More arguments of the embedded MongoDB child's command line (server/embedded-mongo/cli.ts). */
  dbArgs?: string[];
}

export interface BenchApi {
  url: string;
  /**
   * This process's deps: with the API in a child process, its own connections to the same MongoDB and Redis
   * (set-up and checks only; the API's in-memory state is the child's: use settle()).
   */
  deps: AppDeps;
  /**
   * Services built once on `deps` (buildServices): the API's own with 'in-process', else this process's, for
   * set-up and checks (their in-memory state, e.g. unflushed writes, is not the API's: use settle()).
   */
  services: Services;
  config: Config;
  logger: Logger;
  dataDir: string;
  /** Where the API runs: 'child' (its own process, as production) or 'in-process' (inside the bench). */
  apiMode: 'child' | 'in-process';
  /** The API process's pid (this process's with apiMode 'in-process'). */
  pid: number;
  /**
   * How the database runs: 'child' (pid set), 'in-process' (inside the API process, or inside the bench
   * process when the API is a child) or 'external' (MONGODB_URI).
   */
  mongo: { mode: 'child' | 'in-process' | 'external'; pid?: number };
  /** Waits until the API process's batched durable writes answered so far are stored (settleWrites, there). */
  settle(): Promise<void>;
  /** Runs `work` while the API process takes a V8 CPU profile, written to `file` (for Chrome DevTools). */
  profile<T>(file: string, work: () => Promise<T>): Promise<T>;
  /** Stops the API, the database child and removes the data folder. */
  stop(): Promise<void>;
}

let dbPid: number | undefined;
/** Which process serves each server URL the benches load (our API child, or this process: bare, in-process API). */
const serverPids = new Map<string, number>();

/**
 * The writes our API answers before they are stored (vote records, coupon records), awaited in the process
 * that holds their queues: the benches' settle hook between timed turns and before checking what landed.
 */
export async function settleWrites(services: Services): Promise<void> {
  await Promise.all([services.contests.flushVotes(), services.coupons.settled()]);
}

/** Starts a V8 CPU profile of this process; stop(file) writes it (.cpuprofile JSON). */
export async function startCpuProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  // BENCH_PROFILE_KIND=promoted: instead of CPU, a sampling heap profile of the allocations that outlived a
  // young-generation GC (what fills the old space and the RSS), for Chrome DevTools (.heapprofile);
  // BENCH_PROFILE_KIND=alloc: every allocation, also those a young-generation GC collected (what drives GC).
  const kind = process.env.BENCH_PROFILE_KIND;
  const promoted = kind === 'promoted' || kind === 'alloc';
  if (promoted) {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: kind === 'alloc',
    });
  } else {
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  return {
    async stop(file) {
      const { profile } = (await post(promoted ? 'HeapProfiler.stopSampling' : 'Profiler.stop')) as { profile: unknown };
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Kills `child` when this process exits or a signal ends it (Ctrl-C, a timeout); returns the undo. */
function killWithUs(child: ChildProcess): () => void {
  const killOnExit = () => child.kill('SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    child.kill('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('exit', killOnExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}

/** SIGTERM, then SIGKILL after 10 s; resolves once `child` has exited. */
async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The embedded MongoDB as its own process (`npm run db`), durable under `dataDir` like the in-process one. */
async function startMongoChild(
  dataDir: string,
  nodeArgs: string[] = [],
  args: string[] = [],
): Promise<{ uri: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      // Node's own flags as the database runs elsewhere (the bench's young-generation flags are for the servers).
      ...execArgvWithout(benchNodeFlags()),
      ...nodeArgs,
      // BENCH_DB_PROFILE=dir: a V8 CPU profile of the database process for the whole run, written to dir at its stop.
      ...(process.env.BENCH_DB_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_DB_PROFILE}`] : []),
      path.join(ROOT, 'server/embedded-mongo/cli.ts'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // 'exit' does not run when a signal ends the bench: Ctrl-C or a timeout must not leave the database behind.
  const undo = killWithUs(child);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('mongodb://'));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`embedded MongoDB child exited (${code}): ${stderr}`)));
    child.once('error', reject);
  });
  // Dying later (out of memory…) must say why, not only surface as a closed connection in the bench.
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`embedded MongoDB child exited (${code ?? signal}): ${stderr.slice(-2000)}`);
  });
  let stopping = false;
  const stop = async () => {
    stopping = true;
    undo();
    await endChild(child);
  };
  return { uri, child, stop };
}

interface ApiChild {
  url: string;
  child: ChildProcess;
  request(op: 'settle' | 'profile-start' | 'profile-stop' | 'stop', file?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Our API in its own process (api-child.ts) with `env` as its environment; resolves once it listens. */
async function startApiChild(env: NodeJS.ProcessEnv): Promise<ApiChild> {
  // The bench's Node flags (node-flags.ts, BENCH_NODE_FLAGS), then BENCH_API_NODE_ARGS: extra Node/V8 flags
  // for the API process only (e.g. GC sizes), space-separated; a later flag wins.
  const flags = benchNodeFlags();
  const extra = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...execArgvWithout(flags), ...flags, ...extra, path.join(__dirname, 'api-child.ts')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  const undo = killWithUs(child);
  const pending = new Map<number, { resolve(): void; reject(err: Error): void }>();
  let nextId = 0;
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`API child exited (${code ?? signal})`));
    pending.clear();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (msg: { type?: string; url?: string; error?: string; id?: number; ok?: boolean }) => {
      if (msg.type === 'ready' && msg.url) return resolve(msg.url);
      if (msg.type === 'failed') return reject(new Error(`API child failed to start: ${msg.error}`));
      const p = msg.id === undefined ? undefined : pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id!);
      if (msg.ok) p.resolve();
      else p.reject(new Error(`API child: ${msg.error}`));
    });
    child.once('exit', (code, signal) => reject(new Error(`API child exited (${code ?? signal}) before listening`)));
    child.once('error', reject);
  });
  const request: ApiChild['request'] = (op, file) =>
    new Promise<void>((resolve, reject) => {
      if (exited || !child.connected) return reject(new Error(`API child gone (${op})`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, ...(file ? { file } : {}) });
    });
  const stop = async () => {
    undo();
    if (exited) return;
    // A clean stop (server, Redis, MongoDB connections), then SIGTERM/SIGKILL if it does not go.
    const gone = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([request('stop').catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 15_000))]);
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    await endChild(child);
  };
  return { url, child, request, stop };
}

/**
 * Our API as the benches run it: development config on 127.0.0.1, a free port, a fresh data folder,
 * no cron jobs, LOG_LEVEL warn unless set; by default the API in its own child process (BENCH_API=child,
 * as production runs it) and the database in another (BENCH_MONGO=child). With the API in a child, this
 * process opens its own deps on the same MongoDB and Redis (starting a redis-server child when REDIS_URL is
 * unset, whose URL both use) for `beforeListen` and the bench's checks, then starts the API.
 */
export async function startBenchApi(opts: BenchApiOptions): Promise<BenchApi> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `bench-${opts.name}-`));
  const external = process.env.MONGODB_URI;
  const mode = external ? 'external' : (opts.mongo ?? (process.env.BENCH_MONGO === 'in-process' ? 'in-process' : 'child'));
  let apiMode: BenchApi['apiMode'] = opts.api ?? (process.env.BENCH_API === 'in-process' ? 'in-process' : 'child');
  const cleanups: Array<() => Promise<void>> = [() => rm(dataDir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  };
  try {
    let mongodbUri = external;
    let pid: number | undefined;
    const bootLogger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
    if (mode === 'child') {
      const db = await startMongoChild(opts.dbDir ?? path.join(dataDir, 'db'), opts.dbNodeArgs, opts.dbArgs);
      cleanups.push(db.stop);
      mongodbUri = db.uri;
      pid = db.child.pid;
    } else if (mode === 'in-process' && apiMode === 'child') {
      // Both processes need one database: it runs here, in the bench process, and the API child connects.
      const db = await startLocalMongo(opts.dbDir ?? path.join(dataDir, 'db'), bootLogger);
      cleanups.push(db.stop);
      mongodbUri = db.uri;
    }
    let redisUrl = process.env.REDIS_URL;
    if (apiMode === 'child' && !redisUrl) {
      if (findRedisServerBinary()) {
        const redis = await startRedisServer();
        cleanups.push(redis.stop);
        redisUrl = redis.url;
      } else {
        // The in-memory stand-in cannot be shared between two processes.
        bootLogger.warn('BENCH_API=child needs redis-server or REDIS_URL: running the API in the bench process');
        apiMode = 'in-process';
      }
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...(mongodbUri ? { MONGODB_URI: mongodbUri } : {}),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...opts.env,
    };
    const config = loadConfig(env);
    const logger = createLogger({ level: config.logLevel });
    const mongo: BenchApi['mongo'] = { mode, ...(pid ? { pid } : {}) };
    const stop = async () => {
      dbPid = undefined;
      await cleanup();
    };

    if (apiMode === 'in-process') {
      const server = await startServer(config, logger, { jobs: false, beforeListen: opts.beforeListen });
      cleanups.push(server.stop);
      dbPid = pid;
      serverPids.set(server.url, process.pid);
      cleanups.push(async () => void serverPids.delete(server.url));
      return {
        url: server.url,
        deps: server.deps,
        services: server.services,
        config,
        logger,
        dataDir,
        apiMode,
        pid: process.pid,
        mongo,
        settle: () => settleWrites(server.services),
        profile: async (file, work) => {
          const p = await startCpuProfile();
          try {
            return await work();
          } finally {
            await p.stop(file);
          }
        },
        stop,
      };
    }

    // The API child: this process's deps for set-up and checks, set-up before the API starts (as in-process).
    const infra = await openInfrastructure(config, logger);
    cleanups.push(infra.stop);
    const services = buildServices(infra.deps);
    cleanups.push(() => services.close());
    await ensureIndexes(infra.deps.db);
    await opts.beforeListen?.(infra.deps, services);
    const api = await startApiChild(env);
    cleanups.push(api.stop);
    const apiPid = api.child.pid!;
    setListeningPort(config, Number(new URL(api.url).port));
    serverPids.set(api.url, apiPid);
    cleanups.push(async () => void serverPids.delete(api.url));
    dbPid = pid;
    return {
      url: api.url,
      deps: infra.deps,
      services,
      config,
      logger,
      dataDir,
      apiMode,
      pid: apiPid,
      mongo,
      settle: () => api.request('settle'),
      profile: async (file, work) => {
        await api.request('profile-start');
        try {
          return await work();
        } finally {
          await api.request('profile-stop', file);
        }
      },
      stop,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

// ------------------------------------------------------------------------------------- bare server

export interface Bare {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** The ceiling: a Koa app (or plain listener) on a free 127.0.0.1 port in this process. */
export async function startBare(app: Koa | RequestListener): Promise<Bare> {
  const server = createServer(typeof app === 'function' ? app : app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: async () => {
      server.closeIdleConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// ------------------------------------------------------------------------------------- load

export interface Figures {
  /** Completed requests per second (requests ÷ wall seconds). */
  rps: number;
  p50: number;
  p99: number;
  /** Completed requests. */
  requests: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  seconds: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /**
   * CPU time (user + system, all threads, 10 ms ticks from /proc) the process serving the loaded URL spent
   * per completed request during the load (our API child for our URL, this process for the bare server or
   * an in-process API): unlike rps it barely depends on what else runs on a shared machine.
   */
  cpuUsPerReq: number;
  /** Highest RSS (MB) of the process serving the loaded URL (our API child for ours) during the load. */
  rssMb: number;
  /** Highest RSS (MB) of the database child during the load, when it runs as one. */
  dbRssMb?: number;
}

export interface LoadOptions {
  /** Duration in seconds (default BENCH_SECONDS) unless `amount` is given. */
  seconds?: number;
  /** Stop after this many requests instead of after `seconds`. */
  amount?: number;
  connections?: number;
  /** GET these paths round-robin (shorthand for `requests`). */
  paths?: string[];
  /**
   * autocannon requests; they cross a process boundary, so `setupRequest`/`onResponse` must be paths of
   * CommonJS modules (as with autocannon workers); the child inherits process.env as it is at the call.
   */
  requests?: AutocannonRequest[];
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Per-request timeout in seconds (autocannon default 10). */
  timeout?: number;
}

/** One job of runJobs: a request sent once; `{{name}}` in path, headers and body is replaced by `live()[name]` at send time. */
export interface Job {
  /** Default POST. */
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface JobOptions {
  connections?: number;
  /** Values for `{{name}}` placeholders, re-read every `liveEveryMs` (default 500) and sent to the load child. */
  live?: () => Record<string, string>;
  liveEveryMs?: number;
  /** Return every answer's status and body, in job order. */
  answers?: boolean;
}

export type JobFigures = Figures & { answers?: Array<{ status: number; body: string }> };

/**
 * The load child: plain CommonJS run by node -e, talking over IPC. 'autocannon' mode runs autocannon in
 * the child's main thread (module-path hooks are required here); 'jobs' mode sends each job once with
 * `connections` keep-alive loops. Both sample the RSS of the given pids from /proc every 100 ms.
 */
const LOADER = String.raw`
const http = require('node:http');
const fs = require('node:fs');
const cpuMs = (pid) => { try { const f = fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; } catch { return 0; } };
const rss = (pid) => { try { const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync('/proc/' + pid + '/status', 'utf8')); return m ? Number(m[1]) / 1024 : 0; } catch { return 0; } };
let live = {};
const fill = (s) => typeof s === 'string' ? s.replace(/\{\{(\w+)\}\}/g, (_, k) => (live[k] ?? '')) : s;
process.on('message', async (msg) => {
  if (msg.type === 'live') { live = msg.values; return; }
  if (msg.type !== 'start') return;
  const { mode, opts, pids, autocannonPath } = msg;
  const max = pids.map(() => 0);
  const sample = () => pids.forEach((p, i) => { max[i] = Math.max(max[i], rss(p)); });
  sample();
  const cpu0 = pids.map(cpuMs);
  const timer = setInterval(sample, 100);
  let result;
  try {
    result = mode === 'autocannon' ? await cannon(opts, autocannonPath) : await jobs(opts);
  } catch (err) {
    clearInterval(timer);
    process.send({ type: 'error', message: String(err && err.stack || err) }, () => process.exit(1));
    return;
  }
  clearInterval(timer);
  sample();
  result.rss = max;
  result.cpuMs = pids.map((p, i) => cpuMs(p) - cpu0[i]);
  process.send({ type: 'done', result }, () => process.exit(0));
});
async function cannon(opts, autocannonPath) {
  const autocannon = require(autocannonPath);
  for (const r of opts.requests || []) {
    if (typeof r.setupRequest === 'string') r.setupRequest = require(r.setupRequest);
    if (typeof r.onResponse === 'string') r.onResponse = require(r.onResponse);
  }
  const statuses = {};
  const started = Date.now();
  const inst = autocannon(opts);
  inst.on('response', (client, statusCode) => { statuses[statusCode] = (statuses[statusCode] || 0) + 1; });
  const r = await inst;
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  return { rps: r.requests.total / seconds, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total,
    ok: r['2xx'], non2xx: r.non2xx, errors: r.errors + r.timeouts, seconds, statuses };
}
async function jobs({ url, list, connections, answers }) {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const lat = [], statuses = {}, out = answers ? new Array(list.length) : undefined;
  let next = 0, ok = 0, non2xx = 0, errors = 0;
  const one = (job, i) => new Promise((done) => {
    const body = fill(job.body);
    const headers = {};
    for (const [k, v] of Object.entries(job.headers || {})) headers[k] = fill(v);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    headers['content-length'] = body === undefined ? 0 : Buffer.byteLength(body);
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: u.hostname, port: u.port, method: job.method || 'POST', path: fill(job.path), agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => { if (out) chunks.push(c); });
      res.on('end', () => {
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        if (res.statusCode >= 200 && res.statusCode < 300) ok++; else non2xx++;
        if (out) out[i] = { status: res.statusCode, body: Buffer.concat(chunks).toString() };
        done();
      });
    });
    req.on('error', (err) => { errors++; if (out) out[i] = { status: 0, body: String(err.message) }; done(); });
    req.end(body);
  });
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: connections }, async () => { for (;;) { const i = next++; if (i >= list.length) return; await one(list[i], i); } }));
  const seconds = Math.max(Number(process.hrtime.bigint() - started) / 1e9, 0.001);
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p) => Math.round((lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] || 0) * 10) / 10;
  return { rps: list.length / seconds, p50: q(0.5), p99: q(0.99), requests: lat.length, ok, non2xx, errors, seconds, statuses, answers: out };
}
`;

type ChildResult = Omit<JobFigures, 'rssMb' | 'dbRssMb' | 'cpuUsPerReq'> & { rss: number[]; cpuMs: number[] };

/** The process serving `url`: our API child when it is the API's URL, else this one (bare server, in-process API). */
function serverPid(url: string): number {
  const origin = new URL(url).origin;
  for (const [u, pid] of serverPids) if (new URL(u).origin === origin) return pid;
  return process.pid;
}

function inLoadChild(
  mode: 'autocannon' | 'jobs',
  opts: { url: string } & Record<string, unknown>,
  live?: { values: () => Record<string, string>; everyMs: number },
) {
  const pids = [serverPid(opts.url), ...(dbPid ? [dbPid] : [])];
  const child = spawn(process.execPath, ['-e', LOADER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env });
  return new Promise<JobFigures>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const sendLive = () => {
      if (live && child.connected) child.send({ type: 'live', values: live.values() });
    };
    if (live) {
      sendLive();
      timer = setInterval(sendLive, live.everyMs);
    }
    child.on('message', (msg: { type: string; result?: ChildResult; message?: string }) => {
      if (timer) clearInterval(timer);
      if (msg.type === 'error' || !msg.result) return reject(new Error(`load child: ${msg.message ?? 'no result'}`));
      const { rss, cpuMs, ...figures } = msg.result;
      resolve({
        ...figures,
        cpuUsPerReq: Math.round(((cpuMs[0] ?? 0) * 1000) / Math.max(figures.requests, 1)),
        rssMb: Math.round(rss[0] ?? 0),
        ...(rss[1] !== undefined ? { dbRssMb: Math.round(rss[1]) } : {}),
      });
    });
    child.once('exit', (code) => {
      if (timer) clearInterval(timer);
      reject(new Error(`load child exited (${code}) without a result`));
    });
    child.send({ type: 'start', mode, opts, pids, autocannonPath: require.resolve('autocannon') });
  });
}

/**
 * autocannon against `url` from a child process (so the load generator shares neither the API's event
 * loop nor its memory), CONNECTIONS connections for SECONDS unless told otherwise.
 */
export function runLoad(url: string, opts: LoadOptions = {}): Promise<Figures> {
  const requests: AutocannonRequest[] = opts.requests ?? (opts.paths ?? ['/']).map((p) => ({ method: opts.method ?? 'GET', path: p }));
  return inLoadChild('autocannon', {
    url,
    connections: opts.connections ?? CONNECTIONS,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds ?? SECONDS }),
    ...(opts.timeout ? { timeout: opts.timeout } : {}),
    ...(opts.method ? { method: opts.method } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    requests: requests.map((r) =>
      typeof r.setupRequest === 'string' && !path.isAbsolute(r.setupRequest) ? { ...r, setupRequest: path.resolve(r.setupRequest) } : r,
    ),
  });
}

/** Sends every job once, `connections` (default CONNECTIONS) at a time over keep-alive, from a child process. */
export function runJobs(url: string, jobs: Job[], opts: JobOptions = {}): Promise<JobFigures> {
  return inLoadChild(
    'jobs',
    { url, list: jobs, connections: opts.connections ?? CONNECTIONS, answers: opts.answers ?? false },
    opts.live ? { values: opts.live, everyMs: opts.liveEveryMs ?? 500 } : undefined,
  );
}

/** BENCH_ROUNDS (default 3): how many times ours and bare take turns. */
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

export interface TurnOptions {
  /** How many times each side runs (default BENCH_ROUNDS). */
  rounds?: number;
  /**
   * Called after every "ours" turn and awaited before the next timed turn: our work still running after the
   * answers (batched durable writes) finishes here instead of landing on the bare server's turn.
   */
  settle?: () => Promise<unknown>;
  /**
   * The same after every "bare" turn, for a bare server whose durable writes are batched too: its leftover
   * writes finish here instead of landing on our next turn.
   */
  settleBare?: () => Promise<unknown>;
}

export interface Turns<O extends Figures, B extends Figures> {
  ours: O[];
  bare: B[];
  /** How long each `settle` after an "ours" turn took (ms), in round order; empty without `settle`. */
  settleMs: number[];
  /** How long each `settleBare` after a "bare" turn took (ms), in round order; empty without `settleBare`. */
  bareSettleMs: number[];
}

/**
 * Runs `ours` and `bare` in turns, `rounds` times, alternating which goes first, so a burst of other work
 * on a shared machine hits both sides alike; with `settle` (`settleBare`), the leftover work after each of
 * our (the bare server's) turns is awaited (and timed) before the next turn starts. Returns every round's figures of each side.
 */
export async function takeTurns<O extends Figures, B extends Figures>(
  ours: (round: number) => Promise<O>,
  bare: (round: number) => Promise<B>,
  opts: number | TurnOptions = {},
): Promise<Turns<O, B>> {
  const { rounds = ROUNDS, settle, settleBare } = typeof opts === 'number' ? { rounds: opts } : opts;
  const out: Turns<O, B> = { ours: [], bare: [], settleMs: [], bareSettleMs: [] };
  const timed = async (wait: (() => Promise<unknown>) | undefined, into: number[]) => {
    if (!wait) return;
    const started = Date.now();
    await wait();
    into.push(Date.now() - started);
  };
  const oursThenSettle = async (r: number) => {
    out.ours.push(await ours(r));
    await timed(settle, out.settleMs);
  };
  const bareThenSettle = async (r: number) => {
    out.bare.push(await bare(r));
    await timed(settleBare, out.bareSettleMs);
  };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      await oursThenSettle(r);
      await bareThenSettle(r);
    } else {
      await bareThenSettle(r);
      await oursThenSettle(r);
    }
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Several runs as one: rps over all requests and seconds, median p50/p99, summed counts, CPU per request over all, highest RSS. */
export function combine(runs: Figures[]): Figures {
  const sum = (f: (x: Figures) => number) => runs.reduce((a, x) => a + f(x), 0);
  const statuses: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const requests = sum((x) => x.requests);
  const dbs = runs.flatMap((x) => (x.dbRssMb === undefined ? [] : [x.dbRssMb]));
  return {
    rps:
      requests /
      Math.max(
        sum((x) => x.seconds),
        0.001,
      ),
    p50: Math.round(median(runs.map((x) => x.p50)) * 10) / 10,
    p99: Math.round(median(runs.map((x) => x.p99)) * 10) / 10,
    requests,
    ok: sum((x) => x.ok),
    non2xx: sum((x) => x.non2xx),
    errors: sum((x) => x.errors),
    seconds: sum((x) => x.seconds),
    statuses,
    cpuUsPerReq: Math.round(sum((x) => x.cpuUsPerReq * x.requests) / Math.max(requests, 1)),
    rssMb: Math.max(...runs.map((x) => x.rssMb)),
    ...(dbs.length ? { dbRssMb: Math.max(...dbs) } : {}),
  };
}

// ------------------------------------------------------------------------------------- output

/** One row per run: `name  rps=…  p50=…ms  p99=…ms  non2xx=…  errors=…  rss=…MB`. */
export function printComparison(rows: Array<[string, Figures]>, unit = 'rps'): void {
  for (const [name, f] of rows) {
    const statuses = Object.entries(f.statuses)
      .filter(([s]) => !s.startsWith('2'))
      .map(([s, n]) => `${s}×${n}`)
      .join(',');
    console.log(
      `${name.padEnd(10)} ${unit}=${f.rps.toFixed(0).padStart(7)}  p50=${f.p50}ms  p99=${f.p99}ms  ok=${f.ok}  non2xx=${f.non2xx}${statuses ? ` (${statuses})` : ''}  errors=${f.errors}  ${f.seconds.toFixed(1)}s  cpu=${f.cpuUsPerReq}µs/req  rss=${f.rssMb}MB${f.dbRssMb !== undefined ? ` db_rss=${f.dbRssMb}MB` : ''}`,
    );
  }
}

/**
 * The usual report of alternating turns: each round's rows, the combined rows, a warning when our API answered
 * errors, and the figures every comparison's closing line starts with (ratio, p99s, rps, CPU, RSS).
 */
export function reportTurns(turns: { ours: Figures[]; bare: Figures[] }): {
  ours: Figures;
  bare: Figures;
  fields: Record<string, number | undefined>;
} {
  printComparison(turns.ours.flatMap((o, i) => [[`ours #${i + 1}`, o] as [string, Figures], [`bare #${i + 1}`, turns.bare[i]!]]));
  const ours = combine(turns.ours);
  const bare = combine(turns.bare);
  printComparison([
    ['ours', ours],
    ['bare koa', bare],
  ]);
  if (ours.errors + ours.non2xx > 0) console.log('WARNING: our API answered errors during the run');
  return {
    ours,
    bare,
    fields: {
      ratio: ratio(ours, bare),
      p99_ms: ours.p99,
      p99_worst_ms: Math.max(...turns.ours.map((o) => o.p99)),
      ours_rps: ours.rps,
      bare_rps: bare.rps,
      bare_p99_ms: bare.p99,
      cpu_ratio: Number((bare.cpuUsPerReq / Math.max(ours.cpuUsPerReq, 1)).toFixed(2)),
      ours_cpu_us: ours.cpuUsPerReq,
      bare_cpu_us: bare.cpuUsPerReq,
    },
  };
}

/** The closing key=value line (printed and returned); numbers below 10 keep two decimals, others are rounded. */
export function summaryLine(record: Record<string, number | string | undefined>): string {
  const line = Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? (Math.abs(v) < 10 && !Number.isInteger(v) ? v.toFixed(2) : Math.round(v)) : v}`)
    .join(' ');
  console.log(line);
  return line;
}

/** `cpu_ratio` = bare ÷ ours CPU time per request (each side's serving process), two decimals; undefined without figures. */
export function cpuRatio(ours: Figures, bare: Figures): number | undefined {
  if (!ours.cpuUsPerReq || !bare.cpuUsPerReq) return undefined;
  return Number((bare.cpuUsPerReq / ours.cpuUsPerReq).toFixed(2));
}

/** `ratio` = ours ÷ bare throughput, two decimals. */
export function ratio(ours: Figures, bare: Figures): number {
  return Number((ours.rps / Math.max(bare.rps, 1e-9)).toFixed(2));
}

/** Runs `main`, prints a failure and exits 1; exits 0 when done even if a handle lingers. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
