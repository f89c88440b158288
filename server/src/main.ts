import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { assembleDeps, createApp } from './app';
import type { AppDeps } from './core/deps';
import { configWarnings, loadConfig, setListeningPort, type Config } from './config';
import { systemClock } from './core/clock';
import { connectMongo, disconnectMongo, ensureIndexes } from './core/db';
import { startLocalMongo } from './core/db/embedded';
import { createLogger, type Logger } from './core/logger';
import { answerClientError } from './core/net/client-error';
import { closeRedis, createInProcessRedis, createRedis, findRedisServerBinary, startRedisServer, type Redis } from './core/redis';
import { runMigrations } from './core/migrations';
import { JOBS, startJobs } from './jobs';
import { MIGRATIONS } from './migrations';
import { buildServices, type Services } from './services';

/** How long shutdown waits for services.close() (the batched writers) before closing the pools anyway (entries stay pending). */
export const SHUTDOWN_FLUSH_MS = 10_000;

export interface StartOptions {
  /** Runs after Mongo, Redis and indexes are ready and before the port opens (npm start seeds here). */
  beforeListen?: (deps: AppDeps, services: Services) => Promise<void>;
  /** Start the cron jobs (default true). */
  jobs?: boolean;
}

export interface RunningServer {
  deps: AppDeps;
  /** The API's services, built once (the app, the jobs and shutdown use these). */
  services: Services;
  server: Server;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  stop(): Promise<void>;
}

type Stop = () => Promise<void>;

async function openRedis(config: Config, logger: Logger, stops: Stop[]): Promise<Redis> {
  if (config.redisUrl) return createRedis(config.redisUrl, logger);
  if (findRedisServerBinary()) {
    const child = await startRedisServer();
    stops.push(child.stop);
    logger.warn({ url: child.url }, 'REDIS_URL not set: started a local redis-server child');
    return createRedis(child.url, logger);
  }
  return createInProcessRedis(logger);
}

/** Closes what was opened, newest first; one failing step doesn't keep the others open. */
function stopper(stops: Stop[], logger: Logger): () => Promise<void> {
  return async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, 'error during shutdown');
      }
    }
  };
}

export interface Infrastructure {
  deps: AppDeps;
  stop(): Promise<void>;
}

/**
 * Config → MongoDB → Redis → WeChat client → deps, with indexes built for every registered model.
 * Without MONGODB_URI / REDIS_URL (never in production: the config refuses) it brings up the embedded
 * MongoDB with data under DATA_DIR and a redis-server child. Used by the API and by scripts (seed).
 */
export async function openInfrastructure(config: Config, logger: Logger): Promise<Infrastructure> {
  const stops: Stop[] = [];
  const stop = stopper(stops, logger);
  try {
    let mongoUri = config.mongodbUri;
    if (!mongoUri) {
      const local = await startLocalMongo(config.dataDir, logger);
      stops.push(local.stop);
      mongoUri = local.uri;
    }
    const db = await connectMongo({ uri: mongoUri, dbName: config.mongodbDbName, logger });
    stops.push(disconnectMongo);

    const redis = await openRedis(config, logger, stops);
    stops.push(() => closeRedis(redis));

    return { deps: assembleDeps({ config, logger, clock: systemClock, db, redis }), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Bounds the API process's memory: under a sustained rush most garbage outlives a young-generation GC (requests
 * in flight), and V8's own heap growing factor lets the old space reach ~4× the live heap before it collects.
 * A fixed factor keeps RSS proportional to what is really live, at the cost of a few more (short) full GCs.
 * V8 reads the flag whenever it sets the next limit, so setting it here, before the first request, is enough.
 */
function applyHeapPolicy(config: Config): void {
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
}

/**
 * Closes the services: what the batched writers of this process hold (coupon claims, votes, mall redemptions)
 * is written — their answers are out, their records not yet. Bounded: whatever is not written by then stays
 * pending for reconciliation.
 */
async function closeServices(services: Services, logger: Logger, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = services.close().then(() => true);
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    if (!(await Promise.race([closed, timedOut])))
      logger.warn({ timeoutMs }, 'shutdown: writers not flushed in time; their entries stay pending for reconciliation');
  } finally {
    clearTimeout(timer);
  }
}

/** The API process: infrastructure → services (once) → app → indexes → listen → cron jobs; one stop() closes it all. */
export async function startServer(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
  applyHeapPolicy(config);
  for (const warning of configWarnings(config)) logger.warn(warning);
  const infra = await openInfrastructure(config, logger);
  const stops: Stop[] = [infra.stop];
  const stop = stopper(stops, logger);
  try {
    const { deps } = infra;
    const services = buildServices(deps);
    const app = createApp(deps, services);
    await ensureIndexes(deps.db, logger);
    // One-off data migrations not yet run on this database (idempotent; recorded in `migrations`).
    await runMigrations(deps.db, MIGRATIONS, { deps, services }, logger, () => deps.clock.now());
    await options.beforeListen?.(deps, services);

    const server = createServer(app.callback());
    // Requests Node cannot parse never reach Koa: answer them in the one error shape too.
    server.on('clientError', answerClientError);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    let jobs: { stop(): Promise<void> } | null = null;
    // In this order: stop taking requests and finish those in flight, close the services, which writes what
    // their answers promised (the writers' batches; closing MongoDB first would leave them to the next
    // reconciliation), stop the jobs; the pools close after (infra.stop, pushed first).
    stops.push(async () => {
      // Idle keep-alive sockets would otherwise hold close() open.
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeServices(services, logger, SHUTDOWN_FLUSH_MS);
      await jobs?.stop();
    });
    const { port } = server.address() as AddressInfo;
    setListeningPort(config, port);
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    logger.info({ url }, 'API listening');

    if (options.jobs !== false) jobs = startJobs({ deps, services }, JOBS);
    return { deps, services, server, url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Stops `running` once on SIGTERM/SIGINT, then exits; a second signal exits at once. */
export function exitOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const running = await startServer(config, logger);
  exitOnSignals(logger, running.stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    // The logger may not exist yet (bad config): plain stderr.
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
