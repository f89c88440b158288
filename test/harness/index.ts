export { closeServices, createTestContext, type TestContext, type TestContextOptions } from './test-context';
export { HARNESS_ENV, PRODUCTION_ENV, TEST_WECHAT } from './env';
export { loginAs, mintLoginCode, type LoggedIn, type LoginAsOptions } from './login-as';
export { startS3Fake, type RunningS3Fake } from './s3-fake';
export { acceptSubscriptions, failSubscribeSends, subscribeMessagesTo, type SentMessage } from './subscriptions';
