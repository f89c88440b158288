import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { startWechatFake, type RunningWechatFake } from '../../../wechat-fake';
import { TestClock } from '../clock';
import { AppError } from '../errors';
import { startTestRedis } from '../../../../test/harness/test-redis';
import { WechatApiError } from './wechat-api-error';
import { createWechatClient, type WechatClient, type WechatClientOptions } from './wechat-client';

const APP_ID = 'wx_client_test';
const APP_SECRET = 'client_test_secret';

describe('WeChat client against the WeChat fake (real HTTP, real Redis)', () => {
  let fake: RunningWechatFake;
  let redisHandle: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  let clock: TestClock;
  let logged: unknown[];
  let client: WechatClient;

  const makeClient = (overrides: Partial<WechatClientOptions> = {}) =>
    createWechatClient({
      baseUrl: fake.url,
      appId: APP_ID,
      appSecret: APP_SECRET,
      redis,
      clock,
      logger: { warn: (details, message) => void logged.push({ details, message }) },
      ...overrides,
    });
  const stableTokenCalls = () => fake.control.callCounts()['/cgi-bin/stable_token'] ?? 0;
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (err: unknown) => err,
    );

  beforeAll(async () => {
    [fake, redisHandle] = await Promise.all([
      startWechatFake({ appId: APP_ID, appSecret: APP_SECRET, templateIds: ['TPL_NOTICE'], mediaPush: { mode: 'manual' } }),
      startTestRedis(),
    ]);
    redis = redisHandle.redis;
  });
  afterAll(async () => {
    await Promise.all([fake.stop(), redisHandle.stop()]);
  });
  beforeEach(async () => {
    fake.control.reset();
    await redis.flushall();
    clock = new TestClock();
    logged = [];
    client = makeClient();
  });

  describe('code2Session', () => {
    it('returns openid, sessionKey and unionid', async () => {
      const { code, openid } = fake.control.mintLoginCode({ unionid: 'uUnion1' });
      expect(await client.code2Session(code)).toEqual({ openid, sessionKey: expect.any(String), unionid: 'uUnion1' });
    });

    it.each([
      ['an unknown code', 'WECHAT_CODE_INVALID', () => 'nope'],
      ['a used code', 'WECHAT_CODE_USED', () => fake.control.mintLoginCode().code],
    ])('maps %s to %s', async (_name, expected, makeCode) => {
      const code = makeCode();
      if (expected === 'WECHAT_CODE_USED') await client.code2Session(code);
      const err = await rejection(client.code2Session(code));
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: expected, kind: 'unauthenticated', message: expect.stringMatching(/[\u4e00-\u9fff]/) });
      expect((err as AppError).cause).toBeInstanceOf(WechatApiError);
    });

    it('maps a blocked user to WECHAT_USER_BLOCKED and the minute quota to WECHAT_RATE_LIMITED', async () => {
      const blocked = fake.control.mintLoginCode();
      fake.control.setRiskyUsers([blocked.openid]);
      expect(await rejection(client.code2Session(blocked.code))).toMatchObject({ code: 'WECHAT_USER_BLOCKED', kind: 'forbidden' });
      fake.control.failNext({ path: '/sns/jscode2session', errcode: 45011 });
      expect(await rejection(client.code2Session('x'))).toMatchObject({ code: 'WECHAT_RATE_LIMITED', kind: 'rate_limited' });
    });

    it('maps a system error (-1) to WECHAT_UNAVAILABLE, and keeps config errors as WechatApiError', async () => {
      fake.control.failNext({ path: '/sns/jscode2session', errcode: -1 });
      expect(await rejection(client.code2Session('x'))).toMatchObject({ code: 'WECHAT_UNAVAILABLE', kind: 'unavailable' });
      const misconfigured = makeClient({ appSecret: 'wrong' });
      const err = await rejection(misconfigured.code2Session(fake.control.mintLoginCode().code));
      expect(err).toBeInstanceOf(WechatApiError);
      expect(err).toMatchObject({ errcode: 40125, api: '/sns/jscode2session' });
    });
  });

  describe('network failures', () => {
    let silent: Server;
    beforeAll(async () => {
      // Accepts connections and never answers.
      silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('answers WECHAT_UNAVAILABLE when WeChat does not answer within the timeout', async () => {
      const { port } = silent.address() as AddressInfo;
      const slow = makeClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 100 });
      expect(await rejection(slow.code2Session('x'))).toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
    });

    it('answers WECHAT_UNAVAILABLE when nothing listens', async () => {
      const down = makeClient({ baseUrl: 'http://127.0.0.1:1' });
      expect(await rejection(down.getAccessToken())).toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
    });
  });

  describe('access token', () => {
    it('caches the stable token in Redis for every process and expires the key with the token', async () => {
      const token = await client.getAccessToken();
      expect(await makeClient().getAccessToken()).toBe(token);
      expect(stableTokenCalls()).toBe(1);
      const ttl = await redis.pttl(`wechat:stable-token:${APP_ID}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(7200 * 1000);
    });

    it('treats an unreadable cache entry as a miss and overwrites it', async () => {
      await redis.set(`wechat:stable-token:${APP_ID}`, 'not json');
      const token = await client.getAccessToken();
      expect(JSON.parse((await redis.get(`wechat:stable-token:${APP_ID}`))!)).toMatchObject({ token });
    });

    it('shares one stable_token fetch between concurrent callers', async () => {
      const tokens = await Promise.all(Array.from({ length: 20 }, () => client.getAccessToken()));
      expect(new Set(tokens).size).toBe(1);
      expect(stableTokenCalls()).toBe(1);
    });

    it('re-fetches only in the last 5 minutes of the token’s life', async () => {
      const first = await client.getAccessToken();
      clock.advance((7200 - 300) * 1000 - 1);
      expect(await client.getAccessToken()).toBe(first);
      expect(stableTokenCalls()).toBe(1);
      clock.advance(1);
      fake.control.advanceClock((7200 - 300) * 1000);
      const renewed = await client.getAccessToken();
      expect(renewed).not.toBe(first);
      expect(stableTokenCalls()).toBe(2);
    });

    it('keeps using a still-valid cached token when the refresh fails', async () => {
      const first = await client.getAccessToken();
      clock.advance((7200 - 100) * 1000);
      fake.control.failNext({ path: '/cgi-bin/stable_token', errcode: -1 });
      expect(await client.getAccessToken()).toBe(first);
    });

    it('renews a revoked token (40001) and retries the call once', async () => {
      const openid = fake.control.mintLoginCode().openid;
      const before = await client.getAccessToken();
      fake.control.revokeAccessTokens();
      expect(await client.msgSecCheck({ openid, scene: 2, content: '你好' })).toMatchObject({ suggest: 'pass' });
      expect(await client.getAccessToken()).not.toBe(before);
      expect(stableTokenCalls()).toBe(2);
    });

    it('forces a refresh when WeChat rejects the token it still hands out', async () => {
      const openid = fake.control.mintLoginCode().openid;
      const before = await client.getAccessToken();
      fake.control.failNext({ path: '/wxa/msg_sec_check', errcode: 40001 });
      expect(await client.msgSecCheck({ openid, scene: 2, content: '你好' })).toMatchObject({ suggest: 'pass' });
      expect(await client.getAccessToken()).not.toBe(before);
      expect(stableTokenCalls()).toBe(3);
    });

    it('retries only once: a second 40001 reaches the caller', async () => {
      const openid = fake.control.mintLoginCode().openid;
      fake.control.failNext({ path: '/wxa/msg_sec_check', errcode: 40001, times: 2 });
      const err = await rejection(client.msgSecCheck({ openid, scene: 2, content: '你好' }));
      expect(err).toBeInstanceOf(WechatApiError);
      expect(err).toMatchObject({ errcode: 40001 });
    });
  });

  describe('content security', () => {
    it('returns suggest and numeric label of msgSecCheck', async () => {
      const openid = fake.control.mintLoginCode().openid;
      fake.control.setSecWords({ risky: { 违禁: 20001 }, review: { 推广: 10001 } });
      expect(await client.msgSecCheck({ openid, scene: 3, content: '县城美食节' })).toEqual({
        suggest: 'pass',
        label: 100,
        traceId: expect.any(String),
      });
      expect(await client.msgSecCheck({ openid, scene: 3, content: '推广一下' })).toMatchObject({ suggest: 'review', label: 10001 });
      expect(await client.msgSecCheck({ openid, scene: 3, content: '正文', title: '违禁标题' })).toMatchObject({
        suggest: 'risky',
        label: 20001,
      });
    });

    it('starts an async image check and returns its trace id', async () => {
      const openid = fake.control.mintLoginCode().openid;
      const { traceId } = await client.mediaCheckAsync({ mediaUrl: 'https://cdn.test/a.jpg', mediaType: 'image', openid, scene: 3 });
      expect(fake.control.listMediaChecks()).toEqual([
        expect.objectContaining({ traceId, mediaType: 2, openid, scene: 3, status: 'pending' }),
      ]);
    });
  });

  describe('subscribe messages, mini-program codes and phone numbers', () => {
    it('sends a subscribe message with values wrapped as WeChat expects', async () => {
      const openid = fake.control.mintLoginCode().openid;
      fake.control.recordSubscriptions(openid, { TPL_NOTICE: 'accept' });
      await client.sendSubscribeMessage({
        touser: openid,
        templateId: 'TPL_NOTICE',
        page: 'pages/index/index',
        data: { thing1: '稿件已通过' },
      });
      expect(fake.control.listSubscribeMessages(openid)).toEqual([
        expect.objectContaining({ templateId: 'TPL_NOTICE', page: 'pages/index/index', data: { thing1: { value: '稿件已通过' } } }),
      ]);
    });

    it('maps a refused subscription to WECHAT_SUBSCRIPTION_REFUSED and a bad template to WechatApiError', async () => {
      const openid = fake.control.mintLoginCode().openid;
      fake.control.failSubscribeTo({ openid, errcode: 43101 });
      const send = (templateId: string) => client.sendSubscribeMessage({ touser: openid, templateId, data: { thing1: 'x' } });
      expect(await rejection(send('TPL_NOTICE'))).toMatchObject({ code: 'WECHAT_SUBSCRIPTION_REFUSED' });
      expect(await rejection(send('TPL_UNKNOWN'))).toMatchObject({ errcode: 40037 });
    });

    it('returns the mini-program code as PNG bytes, and a WechatApiError for a bad scene', async () => {
      const png = await client.getUnlimitedQrCode({ scene: 'a=1', page: 'pages/index/index', width: 280 });
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(await rejection(client.getUnlimitedQrCode({ scene: 'x'.repeat(33) }))).toMatchObject({ errcode: 40169 });
    });

    it('returns the phone number once, then WECHAT_PHONE_CODE_INVALID', async () => {
      const { code } = fake.control.mintPhoneCode({ phoneNumber: '13912345678' });
      expect(await client.getPhoneNumber(code)).toEqual({ phoneNumber: '13912345678', purePhoneNumber: '13912345678', countryCode: '86' });
      expect(await rejection(client.getPhoneNumber(code))).toMatchObject({ code: 'WECHAT_PHONE_CODE_INVALID', kind: 'gone' });
    });
  });

  it('never logs the app secret or an access token', async () => {
    const token = await client.getAccessToken();
    fake.control.revokeAccessTokens();
    fake.control.failNext({ path: '/sns/jscode2session', errcode: -1 });
    await rejection(client.code2Session('x'));
    await client.getPhoneNumber(fake.control.mintPhoneCode({ phoneNumber: '13800000000' }).code);
    expect(logged.length).toBeGreaterThan(0);
    const text = JSON.stringify(logged);
    expect(text).not.toContain(APP_SECRET);
    expect(text).not.toContain(token);
  });
});
