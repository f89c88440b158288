import { Redis } from 'ioredis';
import type { Logger } from '../logger';

export { Redis } from 'ioredis';
export { startRedisServer, findRedisServerBinary, type RedisServerProcess } from './redis-server';

/**
 * One ioredis client per process. Reconnects forever with a capped back-off; commands fail fast
 * (one retry) instead of queueing for minutes, so a Redis outage shows up as 503s, not hung requests.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
  let warned = false;
  redis.on('error', (err) => {
    // ioredis emits an error on every failed reconnect; one line per outage is enough.
    if (!warned) logger.error({ err }, 'redis error');
    warned = true;
  });
  redis.on('ready', () => {
    warned = false;
  });
  return redis;
}

/**
 * Last resort for `npm start` on a machine with neither REDIS_URL nor a redis-server binary: an in-process
 * emulation (ioredis-mock) so the app still runs. Single process only — locks and rate limits are not
 * shared — so never in production or tests.
 */
export function createInProcessRedis(logger: Logger): Redis {
  logger.warn(
    'REDIS_URL not set and no redis-server binary found: using an in-process Redis emulation (ioredis-mock). Install redis-server for a real one.',
  );
  // Loaded lazily: a dev-only fallback, never on the production path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RedisMock = require('ioredis-mock') as new () => Redis;
  return new RedisMock();
}

/** QUIT politely, but never wait long: on Ctrl+C a local redis-server child may already be gone. */
export async function closeRedis(redis: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([
    redis.quit().then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
  redis.disconnect();
}
