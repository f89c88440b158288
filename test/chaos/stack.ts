/**
 * The chaos suites' stack: every piece a real process that can be killed with SIGKILL and started again on
 * the same port and data — the embedded MongoDB (`server/embedded-mongo/cli.ts --data-dir`), a redis-server
 * with AOF (`appendfsync always`), and the API (`scripts/bench/api-child.ts`, as production runs it, cron jobs
 * off) — plus the WeChat fake and a "control" context in the test process (its own mongoose connection and
 * Redis client on the same database) for set-up, reconciliation and the checks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { Redis } from 'ioredis';
import { assembleDeps, createApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { TestClock } from '../../server/src/core/clock';
import { ensureIndexes } from '../../server/src/core/db';
import { createLogger } from '../../server/src/core/logger';
import { getFreePort } from '../../server/src/core/net/free-port';
import { findRedisServerBinary } from '../../server/src/core/redis';
import { buildServices } from '../../server/src/services';
import { startWechatFake } from '../../server/wechat-fake';
import { TEST_WECHAT } from '../harness/env';
import { closeServices, type TestContext } from '../harness';

const ROOT = path.resolve(__dirname, '../..');
const DB_NAME = 'rongmei_chaos';
const JWT_SECRET = 'chaos-test-jwt-secret-0123456789abcdef';

/** Node with tsx as a loader, in ONE process (the tsx binary would put a wrapper between us and the process we kill). */
function spawnTs(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; ipc?: boolean } = {}): ChildProcess {
  return track(
    spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, file), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    }),
  );
}

// Whatever happens to the test run (a failed start, jest giving up), no database or Redis outlives it.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** SIGKILL, and resolves once the process is gone (its port is free again). */
export async function kill9(child: ChildProcess): Promise<void> {
  const gone = exited(child);
  child.kill('SIGKILL');
  await gone;
}

function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]);
}

export interface MongoChild {
  uri: string;
  child: ChildProcess;
}

/** The embedded MongoDB on `port` with its journal in `dataDir`; resolves with the URI it prints once listening. */
export async function startMongo(port: number, dataDir: string): Promise<MongoChild> {
  const child = spawnTs('server/embedded-mongo/cli.ts', ['--port', String(port), '--data-dir', dataDir]);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const uri = await within(
    30_000,
    'embedded MongoDB start',
    new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('mongodb://'));
        if (line) resolve(line.trim());
      });
      child.once('exit', (code) => reject(new Error(`embedded MongoDB exited (${code}): ${err}`)));
    }),
  );
  return { uri, child };
}

export interface RedisChild {
  url: string;
  child: ChildProcess;
}

/** redis-server on `port` with AOF in `dir` (every write fsynced before the reply: `appendfsync always`). */
export async function startRedis(port: number, dir: string): Promise<RedisChild> {
  const binary = findRedisServerBinary();
  if (!binary) throw new Error('redis-server not found (apt-get install -y redis-server)');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
  ];
  const child = track(spawn(binary, args, { stdio: 'ignore' }));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await within(
      15_000,
      'redis-server start',
      (async () => {
        for (;;) {
          if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
          try {
            if (probe.status !== 'ready') await probe.connect();
            if ((await probe.ping()) === 'PONG') return;
          } catch {
            probe.disconnect();
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      })(),
    );
  } finally {
    probe.disconnect();
  }
  return { url, child };
}

export interface ApiChild {
  url: string;
  child: ChildProcess;
  /** Waits for this process's batched durable writes (coupon records, votes) queued so far. */
  settle(): Promise<void>;
  /** Graceful stop (SIGTERM-like: in-flight requests finish, writers drain). */
  stop(): Promise<void>;
}

/** The API in its own process on the given MongoDB and Redis (no cron jobs: the test runs reconciliation itself). */
export async function startApi(mongoUri: string, redisUrl: string, wechatUrl: string): Promise<ApiChild> {
  const child = spawnTs('scripts/bench/api-child.ts', [], {
    ipc: true,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      MONGODB_URI: mongoUri,
      MONGODB_DB_NAME: DB_NAME,
      REDIS_URL: redisUrl,
      JWT_SECRET,
      WECHAT_API_BASE_URL: wechatUrl,
      WECHAT_APP_ID: TEST_WECHAT.appId,
      WECHAT_APP_SECRET: TEST_WECHAT.appSecret,
      WECHAT_PUSH_TOKEN: TEST_WECHAT.pushToken,
    },
  });
  child.stdout!.resume();
  child.stderr!.pipe(process.stderr);
  const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  let nextId = 0;
  child.once('exit', () => {
    for (const w of waiting.values()) w.reject(new Error('API child exited'));
    waiting.clear();
  });
  const url = await within(
    60_000,
    'API child start',
    new Promise<string>((resolve, reject) => {
      child.on('message', (m: { type?: string; url?: string; error?: string; id?: number; ok?: boolean }) => {
        if (m.type === 'ready') resolve(m.url!);
        else if (m.type === 'failed') reject(new Error(m.error));
        else if (m.id !== undefined) {
          const w = waiting.get(m.id);
          waiting.delete(m.id);
          if (m.ok) w?.resolve();
          else w?.reject(new Error(m.error ?? 'API child op failed'));
        }
      });
      child.once('exit', (code, signal) => reject(new Error(`API child exited before listening (${code ?? signal})`)));
    }),
  );
  const ask = (op: 'settle' | 'stop') =>
    within(
      60_000,
      `API child ${op}`,
      new Promise<void>((resolve, reject) => {
        const id = (nextId += 1);
        waiting.set(id, { resolve, reject });
        child.send({ id, op });
      }),
    );
  return {
    url,
    child,
    settle: () => ask('settle'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await ask('stop').catch(() => undefined);
      await exited(child);
    },
  };
}

export interface Stack {
  dir: string;
  mongoPort: number;
  redisPort: number;
  mongo: MongoChild;
  redis: RedisChild;
  wechatUrl: string;
  /** The test process's own context on the same MongoDB and Redis (set-up, reconciliation, checks). */
  control: TestContext;
  restartMongo(): Promise<void>;
  restartRedis(): Promise<void>;
  close(): Promise<void>;
}

/** Starts MongoDB, Redis and the WeChat fake as above, and the control context. */
export async function startStack(): Promise<Stack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rongmei-chaos-'));
  const mongoPort = await getFreePort();
  const redisPort = await getFreePort();
  const stack = {
    dir,
    mongoPort,
    redisPort,
    mongo: await startMongo(mongoPort, path.join(dir, 'mongo')),
    redis: await startRedis(redisPort, dir),
  } as Stack;
  const wechat = await startWechatFake({ appId: TEST_WECHAT.appId, appSecret: TEST_WECHAT.appSecret, pushToken: TEST_WECHAT.pushToken });
  stack.wechatUrl = wechat.url;

  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'silent',
    MONGODB_URI: stack.mongo.uri,
    MONGODB_DB_NAME: DB_NAME,
    REDIS_URL: stack.redis.url,
    JWT_SECRET,
    WECHAT_API_BASE_URL: wechat.url,
    WECHAT_APP_ID: TEST_WECHAT.appId,
    WECHAT_APP_SECRET: TEST_WECHAT.appSecret,
    WECHAT_PUSH_TOKEN: TEST_WECHAT.pushToken,
  });
  await mongoose.connect(stack.mongo.uri, { dbName: DB_NAME, autoIndex: false, autoCreate: false, serverSelectionTimeoutMS: 20_000 });
  const redis = new Redis(stack.redis.url, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 100, 500) });
  redis.on('error', () => undefined);
  const clock = new TestClock(new Date());
  const deps = assembleDeps({ config, logger: createLogger({ level: config.logLevel }), clock, db: mongoose.connection, redis });
  const services = buildServices(deps);
  const app = createApp(deps, services);
  await ensureIndexes(mongoose.connection);
  stack.control = {
    app,
    get request() {
      return supertest(app.callback());
    },
    deps,
    services,
    clock,
    wechatUrl: wechat.url,
    close: async () => undefined,
  };

  stack.restartMongo = async () => {
    stack.mongo = await startMongo(mongoPort, path.join(dir, 'mongo'));
  };
  stack.restartRedis = async () => {
    stack.redis = await startRedis(redisPort, dir);
  };
  stack.close = async () => {
    await closeServices(services);
    redis.disconnect();
    await mongoose.disconnect().catch(() => undefined);
    await wechat.stop();
    for (const c of [stack.mongo.child, stack.redis.child]) await kill9(c);
    await rm(dir, { recursive: true, force: true });
  };
  return stack;
}

export interface Answer {
  status: number;
  body: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
  /** What went wrong on the client side (connection refused or reset by a killed API, timeout). */
  failure?: string;
}

/**
 * One request with a hard deadline: a request the API does not answer within `timeoutMs` is recorded as a
 * hang (`failure: 'timeout'`), a refused or reset connection as `failure: <code>`; never throws.
 */
export async function call(
  url: string,
  init: { method?: string; token?: string; headers?: Record<string, string>; body?: unknown },
  timeoutMs = 15_000,
): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method: init.method ?? 'POST',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: Answer['body'] = {};
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      body = { raw: text };
    }
    return { status: res.status, body };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    return { status: 0, body: {}, failure: e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'error') };
  }
}

/**
 * Runs `total` requests, at most `concurrency` at a time, spread over about `spreadMs` (so the burst is still
 * going when the fault strikes).
 */
export async function burst<T>(total: number, concurrency: number, spreadMs: number, request: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(total);
  let next = 0;
  const gap = spreadMs / total;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next;
        next += 1;
        if (i >= total) return;
        const due = started + i * gap - Date.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
        out[i] = await request(i);
      }
    }),
  );
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
