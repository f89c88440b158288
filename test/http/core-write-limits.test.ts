/**
 * Rate limits on writes, through HTTP on the real stack (redis-server, Mongo, WeChat fake): every
 * POST/PUT/PATCH/DELETE route is limited per user by route template or exempt on purpose; uploads have a
 * per-minute budget and a per-user daily quota of files and bytes (on the business clock's Shanghai day);
 * new drafts a minute and a day budget; anonymous writes a per-address ceiling. Small limits come from
 * the configuration of each test's context, so nothing here waits on a real minute.
 */
import Router from '@koa/router';
import { Types } from 'mongoose';
import { moduleRouters } from '../../server/src/app';
import { writeLimitPlan } from '../../server/src/config';
import { getFreePort } from '../../server/src/core/net/free-port';
import { applyWriteLimits, writeRoutes } from '../../server/src/core/rate-limit';
import { FileModel } from '../../server/src/modules/storage/storage.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** A PNG of `bytes` bytes (the type is judged by its magic bytes; the rest is padding). */
const pngOf = (bytes: number) => Buffer.concat([PNG, Buffer.alloc(bytes - PNG.length, 1)]);
const MB = 1024 * 1024;

let t: TestContext;
let limited: TestContext;
/** Daily upload quotas; 23:50 in Shanghai, so tomorrow is ten minutes (and a valid access token) away. */
let quota: TestContext;

beforeAll(async () => {
  t = await createTestContext();
  quota = await createTestContext({ now: '2026-05-02T15:50:00Z', env: { UPLOAD_DAILY_FILES: '3', UPLOAD_DAILY_MB: '1' } });
  limited = await createTestContext({
    env: {
      RATE_LIMIT_WRITES_PER_MINUTE: '3',
      RATE_LIMIT_CHECKED_WRITES_PER_MINUTE: '2',
      RATE_LIMIT_UPLOADS_PER_MINUTE: '3',
      RATE_LIMIT_DRAFTS_PER_MINUTE: '2',
      RATE_LIMIT_IP_PER_MINUTE: '3',
    },
  });
});
afterAll(async () => {
  await quota.close();
  await limited.close();
  await t.close();
});

const upload = (u: LoggedIn, data: Buffer = PNG) =>
  u.agent.post('/api/v1/files').attach('file', data, { filename: 'a.png', contentType: 'image/png' });

function expectRateLimited(res: { status: number; body: unknown; headers: Record<string, string> }, code = 'RATE_LIMITED') {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({
    error: { code, message: expect.any(String), details: expect.objectContaining({ retryAfterSeconds: expect.any(Number) }) },
  });
  const { retryAfterSeconds } = (res.body as { error: { details: { retryAfterSeconds: number } } }).error.details;
  expect(retryAfterSeconds).toBeGreaterThan(0);
  expect(res.headers['retry-after']).toBe(String(retryAfterSeconds));
}

describe('issue #16: one citizen repeating a write', () => {
  it('gets 10 of 200 uploads and 10 of 200 new drafts through in a minute with the shipped limits', async () => {
    const citizen = await loginAs(t, 'correspondent');
    const uploads: number[] = [];
    for (let i = 0; i < 200; i += 1) uploads.push((await upload(citizen)).status);
    expect(uploads.filter((s) => s === 201)).toHaveLength(10);
    expect(uploads.slice(10).every((s) => s === 429)).toBe(true);
    expect(await FileModel.countDocuments({ ownerId: citizen.user.id })).toBe(10);

    const drafts: number[] = [];
    for (let i = 0; i < 200; i += 1) drafts.push((await citizen.agent.post('/api/v1/submissions').send({ title: `草稿 ${i}` })).status);
    expect(drafts.filter((s) => s === 201)).toHaveLength(10);
    expect(drafts.slice(10).every((s) => s === 429)).toBe(true);
  });
});

describe('which write routes are limited', () => {
  it('gives every write route a budget, except the hot paths bounded by their own gate (and sign-in, limited on its own)', () => {
    const routes = writeRoutes(moduleRouters(t.deps, t.services));
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => r.policy === null)).toEqual([]);
    const exempt = routes.filter((r) => r.policy && 'exempt' in r.policy).map((r) => r.route);
    expect(exempt.sort()).toEqual(
      [
        'POST /api/v1/auth/refresh',
        'POST /api/v1/auth/staff-login',
        'POST /api/v1/auth/wechat-login',
        'POST /api/v1/contests/:id/entries/:entryId/votes',
        'POST /api/v1/coupon-batches/:id/claim',
        'POST /api/v1/mall/goods/:id/redeem',
        'POST /api/v1/volunteers/activities/:id/check-in',
        'POST /api/v1/volunteers/activities/:id/check-out',
        'POST /api/v1/wechat/push',
        'POST /api/v1/wenzheng/cases',
      ].sort(),
    );
    const budgetOf = (route: string) => routes.find((r) => r.route === route)?.policy;
    expect(budgetOf('POST /api/v1/files')).toEqual({ budget: 'upload' });
    expect(budgetOf('POST /api/v1/submissions')).toEqual({ budget: 'draft' });
    expect(budgetOf('POST /api/v1/submissions/:id/submit')).toEqual({ budget: 'checked' });
    expect(budgetOf('PUT /api/v1/articles/:id/like')).toEqual({ budget: 'write' });
    expect(budgetOf('DELETE /api/v1/admin/mall/goods/:id')).toEqual({ budget: 'write' });
  });

  it('refuses to start with a plan naming a route that does not exist (a stale exemption would hide)', () => {
    const router = new Router();
    router.post('/api/v1/things', (ctx) => {
      ctx.status = 204;
    });
    const plan = { ...writeLimitPlan(t.deps.config.rateLimits), routes: { 'POST /api/v1/thing': { exempt: 'typo' } } };
    expect(() => applyWriteLimits([router], t.deps.redis, plan)).toThrow('POST /api/v1/thing');
  });
});

describe('the default write budget (per user and route)', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a user spends a route’s budget; other routes and users keep theirs', async () => {
    const a = await loginAs(limited, 'citizen');
    const b = await loginAs(limited, 'citizen');
    const like = (u: LoggedIn) => u.agent.put(`/api/v1/articles/${new Types.ObjectId().toHexString()}/like`);
    for (let i = 0; i < 3; i += 1) expect((await like(a)).body.error.code).toBe('ARTICLE_NOT_FOUND');
    expectRateLimited(await like(a));
    expect((await like(b)).body.error.code).toBe('ARTICLE_NOT_FOUND');
    expect((await a.agent.delete(`/api/v1/articles/${new Types.ObjectId().toHexString()}/like`)).body.error.code).toBe('ARTICLE_NOT_FOUND');
  });

  it('counts anonymous writes per client address against the ceiling', async () => {
    const read = () => limited.request.post(`/api/v1/articles/${new Types.ObjectId().toHexString()}/read`);
    for (let i = 0; i < 3; i += 1) expect((await read()).body.error.code).toBe('ARTICLE_NOT_FOUND');
    expectRateLimited(await read());
  });

  it('answers a refused token with 401 (so the app refreshes), never 429, and counts nothing for it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push(
        (
          await limited.request
            .put(`/api/v1/articles/${new Types.ObjectId().toHexString()}/like`)
            .set('Authorization', 'Bearer expired.or.forged')
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
  });

  it('puts no limiter at all on an exempt hot path: hammering a vote creates no limit counter in Redis', async () => {
    const voter = await loginAs(limited, 'citizen');
    const url = `/api/v1/contests/${new Types.ObjectId().toHexString()}/entries/${new Types.ObjectId().toHexString()}/votes`;
    for (let i = 0; i < 6; i += 1) expect((await voter.agent.post(url)).status).not.toBe(429);
    expect(await limited.deps.redis.keys('rl:w:POST:/api/v1/contests/:id/entries*')).toEqual([]);
    // …while a limited route does keep one per user.
    expect(await limited.deps.redis.keys('rl:w:PUT:/api/v1/articles/:id/like*')).not.toEqual([]);
  });

  it('gives the WeChat-checked writes (nickname, phone, submit, promotions) the smaller budget', async () => {
    const u = await loginAs(limited, 'citizen');
    const rename = (n: number) => u.agent.patch('/api/v1/me').send({ nickname: `读者${n}` });
    expect((await rename(1)).status).toBe(200);
    expect((await rename(2)).status).toBe(200);
    expectRateLimited(await rename(3));
  });
});

describe('uploads', () => {
  it('allows a few uploads a minute per user, then 429 RATE_LIMITED without storing anything', async () => {
    const u = await loginAs(limited, 'citizen');
    for (let i = 0; i < 3; i += 1) expect((await upload(u)).status).toBe(201);
    expectRateLimited(await upload(u));
    expect(await FileModel.countDocuments({ ownerId: u.user.id })).toBe(3);
    const other = await loginAs(limited, 'citizen');
    expect((await upload(other)).status).toBe(201);
  });

  it('keeps a daily quota of files per user on the Shanghai day: 429 UPLOAD_DAILY_QUOTA until midnight, then again', async () => {
    const u = await loginAs(quota, 'citizen');
    for (let i = 0; i < 3; i += 1) expect((await upload(u)).status).toBe(201);
    const refused = await upload(u);
    expectRateLimited(refused, 'UPLOAD_DAILY_QUOTA');
    expect(refused.body.error.message).toBe('今天上传的图片已达上限，明天再来吧');
    // 23:50 in Shanghai: the quota opens again in ten minutes.
    expect(refused.body.error.details).toMatchObject({ retryAfterSeconds: 600, filesPerDay: 3, filesToday: 3 });
    expect(await FileModel.countDocuments({ ownerId: u.user.id })).toBe(3);
    quota.clock.advance(600_000);
    expect((await upload(u)).status).toBe(201);
    quota.clock.advance(-600_000);
  });

  it('keeps a daily byte budget counted on the bytes actually stored', async () => {
    const u = await loginAs(quota, 'citizen');
    expect((await upload(u, pngOf(600 * 1024))).status).toBe(201);
    const over = await upload(u, pngOf(500 * 1024));
    expectRateLimited(over, 'UPLOAD_DAILY_QUOTA');
    expect(over.body.error.details).toMatchObject({ bytesPerDay: MB, bytesToday: 600 * 1024, filesToday: 1 });
    // A refused or unreadable file costs nothing: what is left still takes a picture that fits.
    expect((await u.agent.post('/api/v1/files').attach('file', Buffer.from('not an image'), 'a.png')).body.error.code).toBe(
      'FILE_TYPE_UNSUPPORTED',
    );
    expect((await upload(u, pngOf(400 * 1024))).status).toBe(201);
    const stored = await FileModel.find({ ownerId: u.user.id }).lean();
    expect(stored.map((f) => f.size).sort()).toEqual([400 * 1024, 600 * 1024]);
  });

  it('gives the quota back when the file could not be stored', async () => {
    // Same database, Redis and day; one of the two apps has an object store that is down.
    const env = { UPLOAD_DAILY_FILES: '1' };
    const healthy = await createTestContext({ env });
    const broken = await createTestContext({
      env: {
        ...env,
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: `http://127.0.0.1:${await getFreePort()}`,
        S3_BUCKET: 'media',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
      },
    });
    try {
      const u = await loginAs(healthy, 'citizen');
      const failed = await broken.request.post('/api/v1/files').set('Authorization', `Bearer ${u.token}`).attach('file', PNG, 'a.png');
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect((await upload(u)).status).toBe(201);
      expectRateLimited(await upload(u), 'UPLOAD_DAILY_QUOTA');
    } finally {
      await broken.close();
      await healthy.close();
    }
  });
});

describe('drafts', () => {
  it('limits new submissions per minute per user', async () => {
    const writer = await loginAs(limited, 'correspondent');
    const draft = (n: number) => writer.agent.post('/api/v1/submissions').send({ title: `草稿 ${n}` });
    expect((await draft(1)).status).toBe(201);
    expect((await draft(2)).status).toBe(201);
    expectRateLimited(await draft(3));
  });

  it('limits new submissions per day per user, and says so in hours', async () => {
    const daily = await createTestContext({ env: { RATE_LIMIT_DRAFTS_PER_MINUTE: '100', RATE_LIMIT_DRAFTS_PER_DAY: '3' } });
    try {
      const writer = await loginAs(daily, 'correspondent');
      for (let i = 0; i < 3; i += 1) expect((await writer.agent.post('/api/v1/submissions').send({ title: `稿件 ${i}` })).status).toBe(201);
      const refused = await writer.agent.post('/api/v1/submissions').send({ title: '再来一篇' });
      expectRateLimited(refused);
      expect(refused.body.error.details.retryAfterSeconds).toBeGreaterThan(23 * 3600);
    } finally {
      await daily.close();
    }
  });
});
