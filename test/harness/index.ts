export { createTestContext, type TestContext, type TestContextOptions } from './test-context';
export { HARNESS_ENV, TEST_WECHAT } from './env';
