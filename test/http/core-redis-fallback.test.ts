/**
 * The development fallback when neither REDIS_URL nor a redis-server binary exists: the app on the
 * in-process Redis emulation (ioredis-mock) still signs people in, refreshes and logs out (deny-list),
 * locks staff accounts (a Lua script), rate-limits, replays Idempotency-Key writes and serves the cached
 * feed and readiness. Production and every other suite use a real redis-server.
 */
import Router from '@koa/router';
import supertest from 'supertest';
import { assembleDeps, createApp } from '../../server/src/app';
import { buildServices, type Services } from '../../server/src/services';
import { createIdempotency } from '../../server/src/core/idempotency';
import { createRateLimit } from '../../server/src/core/rate-limit';
import { closeRedis, createInProcessRedis } from '../../server/src/core/redis';
import { closeServices, createTestContext, mintLoginCode, type TestContext } from '../harness';

let t: TestContext;
let request: () => ReturnType<typeof supertest>;
let redis: ReturnType<typeof createInProcessRedis>;
let services: Services;
const warnings: string[] = [];

beforeAll(async () => {
  t = await createTestContext();
  const logger = Object.assign(Object.create(t.deps.logger) as typeof t.deps.logger, {
    warn: (msg: unknown) => warnings.push(String(msg)),
  });
  redis = createInProcessRedis(logger);
  const deps = assembleDeps({ config: t.deps.config, logger: t.deps.logger, clock: t.clock, db: t.deps.db, redis });
  services = buildServices(deps);
  const app = createApp(deps, services);
  // A write under an Idempotency-Key and a rate-limited route, as modules mount them.
  const extra = new Router();
  let runs = 0;
  extra.post('/test/idempotent', createIdempotency(redis)(), (ctx) => {
    runs += 1;
    ctx.status = 201;
    ctx.body = { runs };
  });
  extra.get('/test/limited', createRateLimit(redis)({ key: 'fallback-test', points: 2, duration: 60, by: 'ip' }), (ctx) => {
    ctx.body = { ok: true };
  });
  app.use(extra.routes());
  request = () => supertest(app.callback());
});
afterAll(async () => {
  await closeServices(services);
  await closeRedis(redis);
  await t.close();
});

describe('the app on the in-process Redis emulation', () => {
  it('warns once, clearly, that it is an emulation', () => {
    expect(warnings.join('\n')).toMatch(/in-process Redis emulation \(ioredis-mock\)/);
  });

  it('answers readiness and the feed', async () => {
    expect((await request().get('/readyz')).status).toBe(200);
    const feed = await request().get('/api/v1/feed');
    expect(feed.status).toBe(200);
    expect((await request().get('/api/v1/feed')).body).toEqual(feed.body);
  });

  it('signs in with WeChat, refreshes, and logs out denying the access token', async () => {
    const login = await request()
      .post('/api/v1/auth/wechat-login')
      .send({ code: (await mintLoginCode(t)).code });
    expect(login.status).toBe(200);
    const me = (token: string) => request().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect((await me(login.body.accessToken)).status).toBe(200);
    const refreshed = await request().post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    const out = await request()
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${refreshed.body.accessToken}`)
      .send({ refreshToken: refreshed.body.refreshToken });
    expect(out.status).toBe(204);
    expect((await me(refreshed.body.accessToken)).body.error.code).toBe('TOKEN_REVOKED');
  });

  it('locks a staff account after 5 wrong passwords', async () => {
    await t.services.users.createStaff(null, {
      username: 'fallback-staff',
      password: 'the right passphrase',
      nickname: '值班编辑',
      roles: [{ role: 'editor' }],
    });
    const attempt = (password: string) => request().post('/api/v1/auth/staff-login').send({ username: 'fallback-staff', password });
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong ${i} passphrase`)).body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await attempt('the right passphrase')).body.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('rate-limits and replays idempotent writes', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await request().get('/test/limited')).status);
    expect(statuses).toEqual([200, 200, 429]);

    const first = await request().post('/test/idempotent').set('Idempotency-Key', 'k-0001-fallback').send({ a: 1 });
    const retry = await request().post('/test/idempotent').set('Idempotency-Key', 'k-0001-fallback').send({ a: 1 });
    expect(first.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });
});
