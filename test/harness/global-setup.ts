import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { startRedisServer } from '../../server/src/core/redis/redis-server';
import { startWechatFake } from '../../server/wechat-fake';
import { HARNESS_ENV, REDIS_DATABASES, TEST_WECHAT } from './env';

type Stop = () => Promise<void>;
const state = globalThis as typeof globalThis & { __rongmeiHarnessStops?: Stop[] };

/**
 * Once per jest run: one redis-server, one MongoDB (the embedded server in memory, or MONGODB_URI when
 * set — the same suites must pass on both) and one WeChat fake, all on free loopback ports.
 */
export default async function globalSetup(): Promise<void> {
  const stops: Stop[] = [];
  state.__rongmeiHarnessStops = stops;

  const redis = await startRedisServer({ databases: REDIS_DATABASES });
  stops.push(redis.stop);
  process.env[HARNESS_ENV.redisUrl] = redis.url;

  if (process.env.MONGODB_URI) {
    process.env[HARNESS_ENV.mongoUri] = process.env.MONGODB_URI;
  } else {
    const mongo = await startEmbeddedMongo({});
    stops.push(mongo.stop);
    process.env[HARNESS_ENV.mongoUri] = mongo.uri;
  }

  const wechat = await startWechatFake({ appId: TEST_WECHAT.appId, appSecret: TEST_WECHAT.appSecret, pushToken: TEST_WECHAT.pushToken });
  stops.push(wechat.stop);
  process.env[HARNESS_ENV.wechatUrl] = wechat.url;
}
