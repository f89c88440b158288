/**
 * Sign-in limits over HTTP on the real stack: WeChat sign-in is limited per code, per device and per
 * WeChat user before a per-address ceiling sized for carrier NAT, so a county behind one address (or
 * behind the load balancer without TRUST_PROXY) still gets in; refresh per token and device; staff
 * passwords per account (the lockout) with their own per-address budget; the client address is taken
 * from X-Forwarded-For only with TRUST_PROXY, and then as the load balancer saw it.
 */
import { authSessionResponseSchema } from '@shared/schemas/auth';
import { configWarnings, loadConfig } from '../../server/src/config';
import { RefreshTokenModel } from '../../server/src/modules/auth/auth.model';
import { UserModel } from '../../server/src/modules/users/users.model';
import { createTestContext, mintLoginCode, PRODUCTION_ENV, type TestContext } from '../harness';

/** Production settings: one process behind the county's load balancer, TRUST_PROXY unset. */
let county: TestContext;
/** Small budgets, each caller its own address (TRUST_PROXY). */
let small: TestContext;

let counter = 0;
const nextIp = () => `10.20.${Math.floor(++counter / 250)}.${counter % 250}`;
const nextDevice = () => `device-${process.pid}-${++counter}`.padEnd(20, '0');

beforeAll(async () => {
  county = await createTestContext();
  small = await createTestContext({
    env: {
      TRUST_PROXY: 'true',
      RATE_LIMIT_LOGIN_PER_DEVICE: '3',
      RATE_LIMIT_LOGIN_PER_OPENID: '3',
      RATE_LIMIT_IP_PER_MINUTE: '5',
      RATE_LIMIT_STAFF_LOGIN_PER_IP: '3',
    },
  });
});
afterAll(async () => {
  await small.close();
  await county.close();
});

function wechatLogin(ctx: TestContext, code: string, opts: { ip?: string; device?: string | null } = {}) {
  const req = ctx.request.post('/api/v1/auth/wechat-login');
  if (opts.ip !== undefined || ctx === small) req.set('X-Forwarded-For', opts.ip ?? nextIp());
  if (opts.device !== null) req.set('X-Device-Id', opts.device ?? nextDevice());
  return req.send({ code });
}

function expectRateLimited(res: { status: number; body: unknown; headers: Record<string, string> }) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({
    error: { code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试', details: { retryAfterSeconds: expect.any(Number) } },
  });
  const { retryAfterSeconds } = (res.body as { error: { details: { retryAfterSeconds: number } } }).error.details;
  expect(retryAfterSeconds).toBeGreaterThan(0);
  expect(retryAfterSeconds).toBeLessThanOrEqual(60);
  expect(res.headers['retry-after']).toBe(String(retryAfterSeconds));
}

let staffCounter = 0;
async function createStaff(ctx: TestContext) {
  staffCounter += 1;
  const username = `limits-staff${staffCounter}`;
  const password = `correct horse ${staffCounter}`;
  await ctx.services.users.createStaff(null, {
    username,
    password,
    nickname: `编辑${staffCounter}`,
    roles: [{ role: 'editor' }],
  });
  return { username, password };
}

describe('a county behind one address', () => {
  it('lets 100 different people sign in with WeChat from one address within a minute', async () => {
    const codes = await Promise.all(Array.from({ length: 100 }, () => mintLoginCode(county)));
    const statuses: number[] = [];
    // Half of them from an app without a device id (an older build): only the address ceiling applies.
    for (const [i, { code }] of codes.entries())
      statuses.push((await wechatLogin(county, code, { device: i % 2 ? null : undefined })).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await UserModel.countDocuments({ openid: { $in: codes.map((c) => c.openid) } })).toBe(100);
  });

  it('lets 25 staff of one office sign in from one address within a minute', async () => {
    const staff = [];
    for (let i = 0; i < 25; i += 1) staff.push(await createStaff(county));
    const statuses: number[] = [];
    for (const { username, password } of staff) {
      statuses.push((await county.request.post('/api/v1/auth/staff-login').send({ username, password })).status);
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('counts everyone as one address without TRUST_PROXY, whatever X-Forwarded-For says', async () => {
    const lb = await createTestContext({ env: { RATE_LIMIT_IP_PER_MINUTE: '3' } });
    try {
      // The county suite above spent the loopback address's budget under the same Redis keys.
      const spent = await lb.deps.redis.keys('rl:login-ip:*');
      if (spent.length > 0) await lb.deps.redis.del(...spent);
      for (let i = 0; i < 3; i += 1) expect((await wechatLogin(lb, (await mintLoginCode(lb)).code, { ip: nextIp() })).status).toBe(200);
      expectRateLimited(await wechatLogin(lb, (await mintLoginCode(lb)).code, { ip: nextIp() }));
    } finally {
      await lb.close();
    }
  });
});

describe('WeChat sign-in: narrow budgets first', () => {
  it('refuses one code hammered from many addresses and devices with 429 RATE_LIMITED', async () => {
    const { code } = await mintLoginCode(small);
    expect((await wechatLogin(small, code)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await wechatLogin(small, code)).body.error.code).toBe('WECHAT_CODE_USED');
    expectRateLimited(await wechatLogin(small, code));
  });

  it('refuses one WeChat user signing in over and over (fresh codes, many devices) before any session is issued', async () => {
    const { openid } = await mintLoginCode(small);
    for (let i = 0; i < 3; i += 1) expect((await wechatLogin(small, (await mintLoginCode(small, openid)).code)).status).toBe(200);
    const refused = await wechatLogin(small, (await mintLoginCode(small, openid)).code);
    expectRateLimited(refused);
    const user = await UserModel.findOne({ openid }).lean();
    expect(await RefreshTokenModel.countDocuments({ userId: user!._id })).toBe(3);
  });

  it('refuses one device signing in as many people from many addresses', async () => {
    const device = nextDevice();
    for (let i = 0; i < 3; i += 1) expect((await wechatLogin(small, (await mintLoginCode(small)).code, { device })).status).toBe(200);
    expectRateLimited(await wechatLogin(small, (await mintLoginCode(small)).code, { device }));
    // Another device on the same network is unaffected.
    expect((await wechatLogin(small, (await mintLoginCode(small)).code)).status).toBe(200);
  });

  it("keeps a per-address ceiling, and a refusal by a narrower budget spends none of the address's", async () => {
    const ip = nextIp();
    const looping = nextDevice();
    for (let i = 0; i < 3; i += 1)
      expect((await wechatLogin(small, (await mintLoginCode(small)).code, { ip, device: looping })).status).toBe(200);
    expectRateLimited(await wechatLogin(small, (await mintLoginCode(small)).code, { ip, device: looping }));
    // The looping phone's refusal cost the address nothing: two neighbours still get in (5 a minute here)…
    for (let i = 0; i < 2; i += 1) expect((await wechatLogin(small, (await mintLoginCode(small)).code, { ip })).status).toBe(200);
    // …and then the address's ceiling holds.
    expectRateLimited(await wechatLogin(small, (await mintLoginCode(small)).code, { ip }));
  });

  it('with TRUST_PROXY takes the address the load balancer saw, not what the client put first in X-Forwarded-For', async () => {
    const real = nextIp();
    for (let i = 0; i < 5; i += 1) {
      expect((await wechatLogin(small, (await mintLoginCode(small)).code, { ip: `1.2.3.${i}, ${real}` })).status).toBe(200);
    }
    expectRateLimited(await wechatLogin(small, (await mintLoginCode(small)).code, { ip: `1.2.3.99, ${real}` }));
  });
});

describe('refresh', () => {
  it('refuses one refresh token hammered from many addresses and devices', async () => {
    const login = authSessionResponseSchema.parse((await wechatLogin(small, (await mintLoginCode(small)).code)).body);
    const refresh = () =>
      small.request
        .post('/api/v1/auth/refresh')
        .set('X-Forwarded-For', nextIp())
        .set('X-Device-Id', nextDevice())
        .send({ refreshToken: login.refreshToken });
    expect((await refresh()).status).toBe(200);
    expect((await refresh()).body.error.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await refresh()).body.error.code).toBe('REFRESH_TOKEN_INVALID');
    expectRateLimited(await refresh());
  });
});

describe('staff password sign-in', () => {
  const staffLogin = (ctx: TestContext, username: string, password: string, ip = nextIp()) =>
    ctx.request.post('/api/v1/auth/staff-login').set('X-Forwarded-For', ip).send({ username, password });

  it('locks an account guessed at from many addresses, even against the right password, with Retry-After', async () => {
    const { username, password } = await createStaff(small);
    for (let i = 0; i < 5; i += 1)
      expect((await staffLogin(small, username, `guess ${i} password`)).body.error.code).toBe('INVALID_CREDENTIALS');
    const locked = await staffLogin(small, username, password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(locked.headers['retry-after']).toBe(String(locked.body.error.details.retryAfterSeconds));
  });

  it('limits password attempts from one address across accounts', async () => {
    const ip = nextIp();
    for (let i = 0; i < 3; i += 1) expect((await staffLogin(small, `nobody${i}`, 'whatever-password', ip)).status).toBe(401);
    expectRateLimited(await staffLogin(small, 'nobody4', 'whatever-password', ip));
  });
});

describe('start-up warning', () => {
  const production = PRODUCTION_ENV;

  it('warns in production when TRUST_PROXY is false (every caller would be the load balancer)', () => {
    expect(configWarnings(loadConfig(production)).join()).toMatch(/TRUST_PROXY is false/);
    expect(configWarnings(loadConfig({ ...production, TRUST_PROXY: 'true' }))).toEqual([]);
    expect(configWarnings(loadConfig({}))).toEqual([]);
  });
});
