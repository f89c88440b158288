/**
 * Environment variables through which jest's globalSetup hands the shared services to the test
 * workers (workers are forked after globalSetup, so they inherit them).
 */
export const HARNESS_ENV = {
  redisUrl: 'RONGMEI_TEST_REDIS_URL',
  mongoUri: 'RONGMEI_TEST_MONGODB_URI',
  wechatUrl: 'RONGMEI_TEST_WECHAT_URL',
} as const;

/** Logical Redis databases on the test redis-server: one per jest worker, so parallel files never share keys. */
export const REDIS_DATABASES = 64;

/** The WeChat identity the test config and the WeChat fake agree on. */
export const TEST_WECHAT = {
  appId: 'wxtestappid00000',
  appSecret: 'test-wechat-app-secret',
  pushToken: 'test-wechat-push-token',
} as const;

export function harnessValue(name: (typeof HARNESS_ENV)[keyof typeof HARNESS_ENV]): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests through jest (npm test) so test/harness/global-setup.ts runs`);
  return value;
}

/**
 * The environment of an API started as production starts it (startServer on a real port) against the
 * harness's services: this worker's Redis database and its own MongoDB database `dbName`.
 */
export function listeningApiEnv(dbName: string): Record<string, string> {
  const redis = new URL(harnessValue(HARNESS_ENV.redisUrl));
  redis.pathname = `/${Number(process.env.JEST_WORKER_ID ?? '1') % REDIS_DATABASES}`;
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    MONGODB_URI: harnessValue(HARNESS_ENV.mongoUri),
    MONGODB_DB_NAME: dbName,
    REDIS_URL: redis.toString(),
    WECHAT_API_BASE_URL: harnessValue(HARNESS_ENV.wechatUrl),
    WECHAT_APP_ID: TEST_WECHAT.appId,
    WECHAT_APP_SECRET: TEST_WECHAT.appSecret,
    WECHAT_PUSH_TOKEN: TEST_WECHAT.pushToken,
  };
}

/** A configuration production accepts (config tests vary one setting from it). */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-real-production-secret-of-more-than-32-chars',
  WECHAT_APP_SECRET: 'real-secret',
  MONGODB_URI: 'mongodb://db1,db2,db3/?replicaSet=rs0',
  REDIS_URL: 'redis://cache:6379',
  PUBLIC_BASE_URL: 'https://api.rongmei.example.cn',
};
