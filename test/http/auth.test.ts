/**
 * Identity over HTTP against the real stack: WeChat login (happy path and every code2Session failure),
 * refresh-token rotation and reuse detection, logout, access-token expiry and tampering (alg:none,
 * foreign secret, edited payload), stale tokens after a role change, staff login with lockout — checking
 * both the answers and what landed in MongoDB. Sign-in rate limits: auth-limits.test.ts.
 */
import { createHash, createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import supertest from 'supertest';
import jwt from 'jsonwebtoken';
import { authSessionResponseSchema } from '@shared/schemas/auth';
import { assembleDeps, createApp } from '../../server/src/app';
import { denyAccessToken, publishRolesVersion } from '../../server/src/core/auth';
import { createLogger } from '../../server/src/core/logger';
import { getFreePort } from '../../server/src/core/net/free-port';
import { buildServices } from '../../server/src/services';
import { RefreshTokenModel } from '../../server/src/modules/auth/auth.model';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { UserModel } from '../../server/src/modules/users/users.model';
import { startWechatFake, type RunningWechatFake } from '../../server/wechat-fake';
import { closeServices, createTestContext, loginAs, mintLoginCode, TEST_WECHAT, type TestContext } from '../harness';

let t: TestContext;
/** A context whose WeChat is a fake of this file's own, so failures injected there touch no other suite. */
let isolated: TestContext;
let privateFake: RunningWechatFake;
let ipCounter = 0;

// TRUST_PROXY lets each test speak from its own client address, so per-IP login budgets never leak between tests.
const nextIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  t = await createTestContext({ env: { TRUST_PROXY: 'true' } });
  privateFake = await startWechatFake({ appId: TEST_WECHAT.appId, appSecret: TEST_WECHAT.appSecret });
  isolated = await createTestContext({ env: { TRUST_PROXY: 'true', WECHAT_API_BASE_URL: privateFake.url } });
});
afterAll(async () => {
  await isolated.close();
  await t.close();
  await privateFake.stop();
});

async function wechatLogin(ctx: TestContext, code: string) {
  return ctx.request.post('/api/v1/auth/wechat-login').set('X-Forwarded-For', nextIp()).send({ code });
}

async function refresh(refreshToken: string) {
  return t.request.post('/api/v1/auth/refresh').set('X-Forwarded-For', nextIp()).send({ refreshToken });
}

describe('POST /api/v1/auth/wechat-login', () => {
  it('creates a citizen on first login, keeps the unionid, stores session_key server-side only', async () => {
    const { code, openid } = await mintLoginCode(t, undefined, 'uUnionAlice');
    const res = await wechatLogin(t, code);
    expect(res.status).toBe(200);
    const body = authSessionResponseSchema.parse(res.body);
    expect(body.expiresIn).toBe(900);
    expect(body.user.roles).toEqual([{ role: 'citizen' }]);
    expect(body.user.phone).toBeNull();

    const stored = await UserModel.findOne({ openid }).select('+sessionKey').lean();
    expect(stored).toMatchObject({ unionid: 'uUnionAlice', rolesVersion: 0 });
    expect(stored?._id.toHexString()).toBe(body.user.id);
    expect(stored?.sessionKey).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(res.text).not.toContain(stored?.sessionKey);
    expect(res.text).not.toMatch(/session_?key/i);
  });

  it('never writes the session_key, tokens or passwords to the logs, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const { wechat: _ignored, ...base } = t.deps;
    const deps = assembleDeps({ ...base, logger: createLogger({ level: 'trace', destination: sink }) });
    const services = buildServices(deps);
    try {
      const app = createApp(deps, services);
      const request = supertest(app.callback());
      const { code, openid } = await mintLoginCode(t);
      const login = await request.post('/api/v1/auth/wechat-login').set('X-Forwarded-For', nextIp()).send({ code });
      expect(login.status).toBe(200);
      await request
        .post('/api/v1/auth/refresh')
        .set('X-Forwarded-For', nextIp())
        .send({ refreshToken: login.body.refreshToken })
        .expect(200);
      await request.get('/api/v1/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
      await request
        .post('/api/v1/auth/staff-login')
        .set('X-Forwarded-For', nextIp())
        .send({ username: 'nobody', password: 'hunter2-secret' })
        .expect(401);

      const stored = await UserModel.findOne({ openid }).select('+sessionKey').lean();
      const logged = lines.join('');
      expect(lines.length).toBeGreaterThan(0);
      for (const secret of [stored!.sessionKey!, login.body.refreshToken, login.body.accessToken, 'hunter2-secret'])
        expect(logged).not.toContain(secret);
    } finally {
      await closeServices(services);
    }
  });

  it('finds the same user on the next login and replaces the session_key', async () => {
    const first = await mintLoginCode(t);
    const a = await wechatLogin(t, first.code);
    const before = await UserModel.findOne({ openid: first.openid }).select('+sessionKey').lean();
    const b = await wechatLogin(t, (await mintLoginCode(t, first.openid)).code);
    const after = await UserModel.findOne({ openid: first.openid }).select('+sessionKey').lean();
    expect(b.body.user.id).toBe(a.body.user.id);
    expect(await UserModel.countDocuments({ openid: first.openid })).toBe(1);
    expect(after?.sessionKey).not.toBe(before?.sessionKey);
  });

  it('creates exactly one user when the first logins of one person race', async () => {
    const openid = 'oRacingFirstLogin00000000001';
    const codes = await Promise.all(Array.from({ length: 5 }, () => mintLoginCode(t, openid)));
    const results = await Promise.all(codes.map(({ code }) => wechatLogin(t, code)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.body.user.id)).size).toBe(1);
    expect(await UserModel.countDocuments({ openid })).toBe(1);
  });

  it('answers 401 WECHAT_CODE_INVALID for a code WeChat never issued, creating no user', async () => {
    const users = await UserModel.countDocuments();
    const res = await wechatLogin(t, 'no-such-code');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'WECHAT_CODE_INVALID', message: expect.any(String) } });
    expect(await UserModel.countDocuments()).toBe(users);
  });

  it('answers 401 WECHAT_CODE_USED when a code is replayed', async () => {
    const { code } = await mintLoginCode(t);
    expect((await wechatLogin(t, code)).status).toBe(200);
    const res = await wechatLogin(t, code);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_CODE_USED');
  });

  it('answers 403 WECHAT_USER_BLOCKED for a user WeChat marks high-risk, creating no user', async () => {
    const { code, openid } = privateFake.control.mintLoginCode();
    privateFake.control.setRiskyUsers([openid]);
    const res = await wechatLogin(isolated, code);
    privateFake.control.setRiskyUsers([]);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WECHAT_USER_BLOCKED');
    expect(await UserModel.countDocuments({ openid })).toBe(0);
  });

  it("answers 429 WECHAT_RATE_LIMITED when WeChat's per-user minute quota is spent", async () => {
    const openid = 'oQuotaSpent0000000000000001';
    // Spend the user's 100 code2Session calls a minute directly at the fake.
    for (let i = 0; i < 100; i++) {
      const { code } = privateFake.control.mintLoginCode({ openid });
      await fetch(
        `${privateFake.url}/sns/jscode2session?appid=${TEST_WECHAT.appId}&secret=${TEST_WECHAT.appSecret}&js_code=${code}&grant_type=authorization_code`,
      );
    }
    const res = await wechatLogin(isolated, privateFake.control.mintLoginCode({ openid }).code);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('WECHAT_RATE_LIMITED');
  });

  it('answers 503 WECHAT_UNAVAILABLE when WeChat reports a system error (-1)', async () => {
    privateFake.control.failNext({ path: '/sns/jscode2session', errcode: -1 });
    const res = await wechatLogin(isolated, privateFake.control.mintLoginCode().code);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
  });

  it('answers 503 WECHAT_UNAVAILABLE when WeChat cannot be reached at all', async () => {
    const down = await createTestContext({ env: { WECHAT_API_BASE_URL: `http://127.0.0.1:${await getFreePort()}` } });
    try {
      const res = await wechatLogin(down, 'any-code');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      await down.close();
    }
  });

  it('refuses a body without a code, with extra keys or with $-keys (400 VALIDATION_FAILED)', async () => {
    for (const body of [{}, { code: 'x', openid: 'oForged' }, { code: { $gt: '' } }]) {
      const res = await t.request.post('/api/v1/auth/wechat-login').set('X-Forwarded-For', nextIp()).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('refresh tokens: rotation, reuse detection, logout', () => {
  it('rotates: each refresh answers a new pair and the stored token is only a hash', async () => {
    const { code } = await mintLoginCode(t);
    const login = (await wechatLogin(t, code)).body;
    const res = await refresh(login.refreshToken);
    expect(res.status).toBe(200);
    const next = authSessionResponseSchema.parse(res.body);
    expect(next.refreshToken).not.toBe(login.refreshToken);
    expect(next.accessToken).not.toBe(login.accessToken);

    expect(await RefreshTokenModel.countDocuments({ tokenHash: login.refreshToken })).toBe(0);
    const old = await RefreshTokenModel.findOne({ tokenHash: sha256(login.refreshToken) }).lean();
    const current = await RefreshTokenModel.findOne({ tokenHash: sha256(next.refreshToken) }).lean();
    expect(old?.status).toBe('rotated');
    expect(current).toMatchObject({ status: 'active', familyId: old?.familyId });
  });

  it('revokes the whole family when a retired token is presented again, leaving other logins alone', async () => {
    const { code, openid } = await mintLoginCode(t);
    const phone1 = (await wechatLogin(t, code)).body;
    const phone2 = (await wechatLogin(t, (await mintLoginCode(t, openid)).code)).body;
    const rotated = (await refresh(phone1.refreshToken)).body;

    const replay = await refresh(phone1.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_REUSED');

    // The thief's successor token dies with the family…
    const successor = await refresh(rotated.refreshToken);
    expect(successor.status).toBe(401);
    expect(successor.body.error.code).toBe('REFRESH_TOKEN_INVALID');
    const family = await RefreshTokenModel.find({
      familyId: (await RefreshTokenModel.findOne({ tokenHash: sha256(phone1.refreshToken) }))?.familyId,
    }).lean();
    expect(family.length).toBe(2);
    expect(family.every((doc) => doc.status === 'revoked' && doc.revokedReason === 'reuse')).toBe(true);
    // …but the same person's other device keeps its session.
    expect((await refresh(phone2.refreshToken)).status).toBe(200);
  });

  it('lets exactly one of two concurrent refreshes with the same token win; the other revokes the family', async () => {
    const login = (await wechatLogin(t, (await mintLoginCode(t)).code)).body;
    const results = await Promise.all([refresh(login.refreshToken), refresh(login.refreshToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.status === 200)!;
    expect((await refresh(winner.body.refreshToken)).body.error.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('logout revokes the family (204) and later refreshes are refused', async () => {
    const login = (await wechatLogin(t, (await mintLoginCode(t)).code)).body;
    const rotated = (await refresh(login.refreshToken)).body;
    const res = await t.request.post('/api/v1/auth/logout').send({ refreshToken: rotated.refreshToken });
    expect(res.status).toBe(204);
    const after = await refresh(rotated.refreshToken);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('REFRESH_TOKEN_INVALID');
    expect(await RefreshTokenModel.countDocuments({ userId: login.user.id, status: { $ne: 'revoked' } })).toBe(0);
  });

  it('logout also kills the access token sent with it (401 TOKEN_REVOKED), leaving the user’s other logins alone', async () => {
    const code = await mintLoginCode(t);
    const phone = (await wechatLogin(t, code.code)).body;
    const tablet = (await wechatLogin(t, (await mintLoginCode(t, code.openid)).code)).body;
    expect(tablet.user.id).toBe(phone.user.id);
    const me = (token: string) => t.request.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect((await me(phone.accessToken)).status).toBe(200);

    const res = await t.request
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${phone.accessToken}`)
      .send({ refreshToken: phone.refreshToken });
    expect(res.status).toBe(204);
    const after = await me(phone.accessToken);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: { code: 'TOKEN_REVOKED', message: '已退出登录，请重新登录' } });
    // Denied until the token would have expired anyway, then the entry goes.
    const jti = (jwt.decode(phone.accessToken) as { jti: string }).jti;
    const ttl = await t.deps.redis.ttl(`auth:deny:${jti}`);
    expect(ttl).toBeGreaterThan(14 * 60);
    expect(ttl).toBeLessThanOrEqual(16 * 60);

    expect((await me(tablet.accessToken)).status).toBe(200);
    expect((await refresh(tablet.refreshToken)).status).toBe(200);
  });

  it('leaves stored tokens to the TTL monitor by wall-clock time, so a business clock in the past never loses them', async () => {
    const before = t.clock.now();
    t.clock.set('2020-01-01T00:00:00Z');
    try {
      const login = (await wechatLogin(t, (await mintLoginCode(t)).code)).body;
      const stored = await RefreshTokenModel.findOne({ tokenHash: sha256(login.refreshToken) }).lean();
      // Expiry is judged on the business clock; deletion waits for the wall clock.
      expect(stored?.expiresAt.toISOString()).toBe('2020-01-31T00:00:00.000Z');
      expect(stored!.purgeAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
      const ttl = (await RefreshTokenModel.collection.indexes()).filter((i) => i.expireAfterSeconds !== undefined);
      expect(ttl.map((i) => i.key)).toEqual([{ purgeAt: 1 }]);
      expect((await refresh(login.refreshToken)).status).toBe(200);
    } finally {
      t.clock.set(before);
    }
  });

  it('refuses an unknown refresh token (401) and a malformed one (400)', async () => {
    expect((await refresh('A'.repeat(43))).body.error.code).toBe('REFRESH_TOKEN_INVALID');
    expect((await refresh('short')).status).toBe(400);
  });

  it('refuses a refresh token past its 30 days', async () => {
    const login = (await wechatLogin(t, (await mintLoginCode(t)).code)).body;
    t.clock.advance(30 * 24 * 3600_000 + 1000);
    const res = await refresh(login.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('REFRESH_TOKEN_INVALID');
  });
});

describe('access tokens on protected routes', () => {
  const me = (authorization?: string) => {
    const req = t.request.get('/api/v1/me');
    return authorization ? req.set('Authorization', authorization) : req;
  };

  it('answers 401 AUTH_REQUIRED without a token and 200 with a valid one', async () => {
    expect((await me()).body).toEqual({ error: { code: 'AUTH_REQUIRED', message: '请先登录' } });
    const user = await loginAs(t, 'citizen');
    const res = await me(`Bearer ${user.token}`);
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.user.id);
  });

  it('answers 401 TOKEN_EXPIRED once 15 minutes have passed', async () => {
    const user = await loginAs(t, 'citizen');
    t.clock.advance(15 * 60_000 + 1000);
    const res = await me(`Bearer ${user.token}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses forged tokens with 401 TOKEN_INVALID: alg:none, another secret, edited payload, HS512, garbage, non-Bearer', async () => {
    const user = await loginAs(t, 'citizen');
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const adminClaims = {
      sub: user.user.id,
      roles: [{ role: 'admin' }],
      rv: 0,
      jti: 'forged',
      iat: now,
      exp: now + 600,
      iss: 'rongmei-api',
    };
    const [header, , signature] = user.token.split('.');
    const hs512Header = b64url({ alg: 'HS512', typ: 'JWT' });
    const forged = [
      `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(adminClaims)}.`,
      jwt.sign(adminClaims, 'some-other-secret-0123456789abcdef', { algorithm: 'HS256' }),
      `${header}.${b64url(adminClaims)}.${signature}`,
      `${hs512Header}.${b64url(adminClaims)}.${createHmac('sha512', t.deps.config.jwtSecret)
        .update(`${hs512Header}.${b64url(adminClaims)}`)
        .digest('base64url')}`,
      'not-a-jwt',
    ];
    for (const token of forged) {
      const res = await me(`Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('TOKEN_INVALID');
    }
    expect((await me(`Basic ${user.token}`)).body.error.code).toBe('TOKEN_INVALID');
    // None of them reached an admin-only route either.
    const audit = await t.request.get('/api/v1/admin/audit').set('Authorization', `Bearer ${forged[0]}`);
    expect(audit.status).toBe(401);
  });

  it('retires tokens issued before a role change (401 TOKEN_EXPIRED) and refresh brings the new roles', async () => {
    const user = await loginAs(t, 'citizen');
    await t.services.users.grantRole(null, user.user.id, { role: 'correspondent' });
    const stale = await me(`Bearer ${user.token}`);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('TOKEN_EXPIRED');
    const renewed = await refresh(user.refreshToken);
    expect(renewed.body.user.roles).toEqual([{ role: 'citizen' }, { role: 'correspondent' }]);
    expect(jwt.decode(renewed.body.accessToken)).toMatchObject({ roles: [{ role: 'citizen' }, { role: 'correspondent' }] });
    expect((await me(`Bearer ${renewed.body.accessToken}`)).status).toBe(200);
  });
});

describe('token checks: remembered for a second, and mirrored from Redis in each process', () => {
  const me = (token: string) => t.request.get('/api/v1/me').set('Authorization', `Bearer ${token}`);

  it('a role change in this process retires a token that was just used, at once', async () => {
    const user = await loginAs(t, 'citizen');
    expect((await me(user.token)).status).toBe(200);
    await t.services.users.grantRole(null, user.user.id, { role: 'correspondent' });
    const stale = await me(user.token);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it("another process's logout and role change reach this process's copy through pub/sub, without a Redis call per request", async () => {
    const mirror = t.services.tokenChecks.mirror;
    await until(() => mirror.live);
    // Another API process: its own Redis connection, writing through the same functions the API uses.
    const other = t.deps.redis.duplicate();
    try {
      const user = await loginAs(t, 'citizen');
      const { jti, exp } = jwt.decode(user.token) as { jti: string; exp: number };
      // A token this process has never checked: answered from the copy, no MGET sent.
      const mgets = async () => Number(/cmdstat_mget:calls=(\d+)/.exec(await t.deps.redis.info('commandstats'))?.[1] ?? 0);
      const mgetsBefore = await mgets();
      expect((await me(user.token)).status).toBe(200);
      expect(await mgets()).toBe(mgetsBefore);
      expect(mirror.check(user.user.id, jti)).toEqual({ version: null, denied: false });
      await denyAccessToken(other, t.clock, { jti, exp });
      await until(() => mirror.check(user.user.id, jti)?.denied === true);
      const after = await me(user.token);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('TOKEN_REVOKED');

      const promoted = await loginAs(t, 'citizen');
      expect((await me(promoted.token)).status).toBe(200);
      await publishRolesVersion(other, promoted.user.id, 7);
      await until(() => mirror.check(promoted.user.id, 'x')?.version === '7');
      const stale = await me(promoted.token);
      expect(stale.status).toBe(401);
      expect(stale.body.error.code).toBe('TOKEN_EXPIRED');
    } finally {
      other.disconnect();
    }
  });

  it('while the subscription is down the check asks Redis, and after reconnecting the copy reads in what it missed', async () => {
    const mirror = t.services.tokenChecks.mirror;
    await until(() => mirror.live);
    const before = mirror.reads;
    const user = await loginAs(t, 'citizen');
    const { jti } = jwt.decode(user.token) as { jti: string };
    expect((await me(user.token)).status).toBe(200);
    // The subscription drops (Redis restarted, network…); a logout lands meanwhile without its message.
    await t.deps.redis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await t.deps.redis.set(`auth:deny:${jti}`, '1', 'EX', 600);
    await until(() => mirror.live && mirror.reads > before);
    expect(mirror.check(user.user.id, jti)?.denied).toBe(true);
    const after = await me(user.token);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('TOKEN_REVOKED');
  });
});

/** Polls `ok` every 10 ms for up to 5 s (pub/sub messages and reconnects take milliseconds). */
async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('POST /api/v1/auth/staff-login', () => {
  let staffCounter = 0;
  async function createStaff(roles = [{ role: 'editor' as const }]) {
    staffCounter += 1;
    const username = `staff${staffCounter}`;
    const password = `correct horse ${staffCounter}`;
    const user = await t.services.users.createStaff(null, { username, password, nickname: `编辑${staffCounter}`, roles });
    return { username, password, user };
  }
  const staffLogin = (username: string, password: string, ip = nextIp()) =>
    t.request.post('/api/v1/auth/staff-login').set('X-Forwarded-For', ip).send({ username, password });

  it('signs a staff member in with their roles; the password hash is argon2id and never answered', async () => {
    const { username, password, user } = await createStaff();
    const res = await staffLogin(username.toUpperCase(), password);
    expect(res.status).toBe(200);
    const body = authSessionResponseSchema.parse(res.body);
    expect(body.user).toMatchObject({ id: user.id, username, roles: [{ role: 'editor' }] });
    const stored = await UserModel.findById(user.id).select('+passwordHash').lean();
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(res.text).not.toContain(stored?.passwordHash);
    expect(await AuditLogModel.countDocuments({ action: 'auth.staff_login', targetId: user.id })).toBe(1);
  });

  it('answers the same 401 INVALID_CREDENTIALS for a wrong password and an unknown username', async () => {
    const { username } = await createStaff();
    const wrong = await staffLogin(username, 'wrong password!!');
    const unknown = await staffLogin('nobody-here', 'wrong password!!');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('locks the username after 5 failures in 15 minutes, even against the right password, and audits it', async () => {
    const { username, password } = await createStaff();
    const other = await createStaff();
    for (let i = 0; i < 5; i++) expect((await staffLogin(username, `wrong ${i} password`)).body.error.code).toBe('INVALID_CREDENTIALS');
    const locked = await staffLogin(username, password);
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'ACCOUNT_LOCKED', message: '尝试次数过多，账号已临时锁定，请 15 分钟后再试' });
    expect(locked.body.error.details.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(locked.headers['retry-after']).toBe(String(locked.body.error.details.retryAfterSeconds));
    expect(await AuditLogModel.countDocuments({ action: 'auth.lockout', targetId: username })).toBe(1);
    // Another account is unaffected.
    expect((await staffLogin(other.username, other.password)).status).toBe(200);
  });

  it('lets the username in again once the 15-minute lock has passed on the clock', async () => {
    const { username, password } = await createStaff();
    for (let i = 0; i < 5; i++) await staffLogin(username, `wrong ${i} password`);
    t.clock.advance(15 * 60_000 - 1000);
    const still = await staffLogin(username, password);
    expect(still.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(still.headers['retry-after']).toBe('1');
    t.clock.advance(1000);
    expect((await staffLogin(username, password)).status).toBe(200);
  });

  it('forgets earlier failures after a successful login', async () => {
    const { username, password } = await createStaff();
    for (let i = 0; i < 4; i++) await staffLogin(username, 'wrong password!!');
    expect((await staffLogin(username, password)).status).toBe(200);
    for (let i = 0; i < 4; i++) await staffLogin(username, 'wrong password!!');
    expect((await staffLogin(username, password)).status).toBe(200);
  });

  it('lets staff change their password: old password and every old session stop working, this device keeps a fresh one', async () => {
    const { username, password, user } = await createStaff();
    const laptop = (await staffLogin(username, password)).body;
    const office = (await staffLogin(username, password)).body;
    const res = await t.request
      .post('/api/v1/auth/password')
      .set('Authorization', `Bearer ${laptop.accessToken}`)
      .send({ currentPassword: password, newPassword: 'a brand new passphrase' });
    expect(res.status).toBe(200);
    const fresh = authSessionResponseSchema.parse(res.body);

    for (const old of [laptop.refreshToken, office.refreshToken])
      expect((await refresh(old)).body.error.code).toBe('REFRESH_TOKEN_INVALID');
    // Access tokens issued before the change stop at once; the fresh one works.
    const me = (token: string) => t.request.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    for (const old of [laptop.accessToken, office.accessToken]) expect((await me(old)).body.error.code).toBe('TOKEN_EXPIRED');
    expect((await me(fresh.accessToken)).status).toBe(200);
    expect((await refresh(fresh.refreshToken)).status).toBe(200);
    expect((await staffLogin(username, password)).body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await staffLogin(username, 'a brand new passphrase')).status).toBe(200);
    expect(await AuditLogModel.countDocuments({ action: 'user.password_change', targetId: user.id, actorId: user.id })).toBe(1);
  });

  it('refuses a wrong current password (400, counted toward lockout), a reused one (400) and WeChat users (403)', async () => {
    const { username, password } = await createStaff();
    const session = (await staffLogin(username, password)).body;
    const change = (body: object, token = session.accessToken) =>
      t.request.post('/api/v1/auth/password').set('Authorization', `Bearer ${token}`).send(body);

    const wrong = await change({ currentPassword: 'not my password', newPassword: 'another long pass' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('CURRENT_PASSWORD_WRONG');
    expect((await change({ currentPassword: password, newPassword: password })).body.error.code).toBe('VALIDATION_FAILED');
    for (let i = 0; i < 4; i++) await change({ currentPassword: 'not my password', newPassword: 'another long pass' });
    expect((await change({ currentPassword: password, newPassword: 'another long pass' })).body.error.code).toBe('ACCOUNT_LOCKED');

    const citizen = await loginAs(t, 'citizen');
    const refused = await change({ currentPassword: 'whatever', newPassword: 'another long pass' }, citizen.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('NOT_A_STAFF_ACCOUNT');
  });
});

describe('API reference', () => {
  it('documents every identity endpoint in /api/openapi.json, with bearer auth on the protected ones', async () => {
    const res = await t.request.get('/api/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { security?: unknown[] }>>;
    for (const [path, method] of [
      ['/api/v1/auth/wechat-login', 'post'],
      ['/api/v1/auth/staff-login', 'post'],
      ['/api/v1/auth/refresh', 'post'],
      ['/api/v1/auth/logout', 'post'],
      ['/api/v1/auth/password', 'post'],
      ['/api/v1/me', 'get'],
      ['/api/v1/me', 'patch'],
      ['/api/v1/me/phone', 'post'],
      ['/api/v1/admin/users', 'get'],
      ['/api/v1/admin/users/{id}/roles', 'post'],
      ['/api/v1/admin/users/{id}/roles', 'delete'],
      ['/api/v1/admin/staff', 'post'],
      ['/api/v1/admin/audit', 'get'],
    ] as const) {
      expect(paths[path]?.[method]).toBeDefined();
    }
    expect(paths['/api/v1/me']?.get?.security).toEqual([{ bearer: [] }]);
    expect(paths['/api/v1/auth/wechat-login']?.post?.security).toBeUndefined();
  });
});
