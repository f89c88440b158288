import { createHash } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { Redis } from 'ioredis';
import { assembleDeps, createApp, type ApiApp } from '../../server/src/app';
import type { AppDeps } from '../../server/src/core/deps';
import { loadConfig } from '../../server/src/config';
import { TestClock } from '../../server/src/core/clock';
import { ensureIndexes } from '../../server/src/core/db';
import { createLogger } from '../../server/src/core/logger';
import { buildServices, type Services } from '../../server/src/services';
import { HARNESS_ENV, REDIS_DATABASES, TEST_WECHAT, harnessValue } from './env';

export interface TestContext {
  /** The app (with `app.routers`, the routers it mounted). */
  app: ApiApp;
  /**
   * supertest bound to the app (no port): `await t.request.get('/healthz')`. Composed on each access, so
   * middleware a test appends with `t.app.use(...)` is included.
   */
  readonly request: ReturnType<typeof supertest>;
  deps: AppDeps;
  /** The app's services, built once (buildServices): the same instances its routes use. */
  services: Services;
  clock: TestClock;
  /** Base URL of the run's WeChat fake (its control endpoints live there too). */
  wechatUrl: string;
  close(): Promise<void>;
}

export interface TestContextOptions {
  /** Extra environment for loadConfig (e.g. `{ BODY_LIMIT: '1kb' }`). */
  env?: Record<string, string>;
  /** Point the app at another Redis (e.g. a closed port to prove readiness fails). */
  redisUrl?: string;
  /** Starting instant of the test clock. */
  now?: Date | string;
}

/** Database name per test file: readable, unique, within MongoDB's 63-byte limit. */
function databaseNameFor(testPath: string): string {
  const base = path
    .basename(testPath)
    .replace(/\.test\.ts$/, '')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .slice(0, 40);
  const hash = createHash('sha1').update(testPath).digest('hex').slice(0, 8);
  return `t_${base}_${hash}`;
}

function redisUrlForWorker(base: string): string {
  const url = new URL(base);
  url.pathname = `/${Number(process.env.JEST_WORKER_ID ?? '1') % REDIS_DATABASES}`;
  return url.toString();
}

// Every context in one test file shares the file's mongoose connection (jest gives each file its own
// module registry, hence its own mongoose); the first context opens it on a freshly dropped database.
let openContexts = 0;
let fileSetup: Promise<void> | undefined;

async function setUpFile(dbName: string, redisUrl: string): Promise<void> {
  await mongoose.connect(harnessValue(HARNESS_ENV.mongoUri), { dbName, autoIndex: false, autoCreate: false });
  await mongoose.connection.dropDatabase();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  await redis.quit();
}

/**
 * Closes a context's services as shutdown does (the token mirror, the writers' pending batches), bounded: a
 * context whose Redis or MongoDB a test took down may have writes that can no longer land.
 */
export async function closeServices(services: Services, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    services.close().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Builds the real app for one test file: the run's Mongo (a database of its own, dropped first), the
 * run's redis-server (a logical DB per jest worker, flushed first), the WeChat fake, a TestClock and a
 * silent logger (TEST_LOG_LEVEL=debug to see logs). Call `close()` in afterAll.
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const testPath = expect.getState().testPath ?? 'unknown';
  const sharedRedisUrl = redisUrlForWorker(harnessValue(HARNESS_ENV.redisUrl));
  const wechatUrl = harnessValue(HARNESS_ENV.wechatUrl);
  fileSetup ??= setUpFile(databaseNameFor(testPath), sharedRedisUrl);
  await fileSetup;
  openContexts += 1;

  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGODB_URI: harnessValue(HARNESS_ENV.mongoUri),
    REDIS_URL: options.redisUrl ?? sharedRedisUrl,
    WECHAT_API_BASE_URL: wechatUrl,
    WECHAT_APP_ID: TEST_WECHAT.appId,
    WECHAT_APP_SECRET: TEST_WECHAT.appSecret,
    WECHAT_PUSH_TOKEN: TEST_WECHAT.pushToken,
    ...options.env,
  });
  const logger = createLogger({ level: config.logLevel });
  const redis = new Redis(config.redisUrl ?? sharedRedisUrl, {
    maxRetriesPerRequest: 1,
    // A context pointed at a dead Redis must fail fast rather than retry for the whole test.
    retryStrategy: options.redisUrl ? () => null : (times) => Math.min(times * 100, 1000),
  });
  redis.on('error', () => undefined);
  const clock = new TestClock(options.now);
  const deps: AppDeps = assembleDeps({ config, logger, clock, db: mongoose.connection, redis });
  const services = buildServices(deps);
  const app = createApp(deps, services);
  await ensureIndexes(mongoose.connection);

  let closed = false;
  return {
    app,
    get request() {
      return supertest(app.callback());
    },
    deps,
    services,
    clock,
    wechatUrl,
    async close() {
      if (closed) return;
      closed = true;
      await closeServices(services);
      redis.disconnect();
      openContexts -= 1;
      if (openContexts === 0) {
        await mongoose.connection.dropDatabase().catch(() => undefined);
        await mongoose.disconnect();
        fileSetup = undefined;
      }
    },
  };
}
