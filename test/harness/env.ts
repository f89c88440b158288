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
