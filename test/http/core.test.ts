/**
 * Server core over HTTP against the real stack (redis-server, Mongo, WeChat fake from test/harness):
 * the error shape, validation (strict, `$`/dotted keys refused), JSON 404, body limits, health and
 * readiness, rate limits, idempotent replays, locks, and the production config refusals.
 */
import { Writable } from 'node:stream';
import Router from '@koa/router';
import { Redis } from 'ioredis';
import { z } from 'zod';
import mongoose, { Schema } from 'mongoose';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../../server/src/config';
import { ensureIndexes, retireIndexes } from '../../server/src/core/db';
import { AppError } from '../../server/src/core/errors';
import { createIdempotency } from '../../server/src/core/idempotency';
import { createLocks } from '../../server/src/core/locks';
import { createLogger } from '../../server/src/core/logger';
import { validate } from '../../server/src/core/middleware';
import { getFreePort } from '../../server/src/core/net/free-port';
import { createRateLimit } from '../../server/src/core/rate-limit';
import { runJobSlot, type JobDefinition } from '../../server/src/jobs';
import { createTestContext, PRODUCTION_ENV, type TestContext } from '../harness';

let t: TestContext;
let releaseSlow: () => void = () => undefined;
let executions = 0;

/** Routes that exist only in this suite, mounted after the app's own, to exercise the core middleware. */
function testRouter(ctx: TestContext): Router {
  const router = new Router({ prefix: '/test' });
  const limit = createRateLimit(ctx.deps.redis);
  const idempotent = createIdempotency(ctx.deps.redis);
  router.use(async (koaCtx, next) => {
    const user = koaCtx.get('X-Test-User');
    if (user) koaCtx.state.user = { id: user, roles: [], tokenId: 'test-token', tokenExp: 0 };
    await next();
  });

  const echo = validate({
    body: z.object({
      title: z.string().min(2),
      tags: z.array(z.string()).max(3).optional(),
      meta: z.record(z.string(), z.unknown()).optional(),
    }),
    query: z.object({ page: z.coerce.number().int().min(1).default(1) }),
    params: z.object({ id: z.string().regex(/^[a-f0-9]{6}$/) }),
  });
  router.post('/echo/:id', echo, (koaCtx) => {
    const input = echo.input(koaCtx);
    koaCtx.body = { body: input.body, page: input.query.page, id: input.params.id, pageType: typeof input.query.page };
  });

  router.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  router.get('/limited', limit({ key: `test-${Date.now()}`, points: 3, duration: 60, by: 'user' }), (koaCtx) => {
    koaCtx.body = { ok: true };
  });

  const order = validate({ body: z.object({ amount: z.number().int().positive() }) });
  router.post('/orders', idempotent(), order, (koaCtx) => {
    executions += 1;
    koaCtx.status = 201;
    koaCtx.body = { orderNo: executions, amount: order.input(koaCtx).body.amount };
  });
  router.post('/slow', idempotent(), async (koaCtx) => {
    await new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    koaCtx.body = { done: true };
  });
  router.post('/fails-once', idempotent(), (koaCtx) => {
    executions += 1;
    if (executions === 1) throw new AppError('NOT_FOUND');
    koaCtx.body = { attempt: executions };
  });
  return router;
}

beforeAll(async () => {
  t = await createTestContext();
  t.app.use(testRouter(t).routes());
});
afterAll(() => t.close());
beforeEach(() => {
  executions = 0;
});

describe('error shape and validation', () => {
  test('invalid input answers 400 VALIDATION_FAILED with per-field issues', async () => {
    const res = await t.request.post('/test/echo/abc123').send({ title: 'x', tags: ['a', 'b', 'c', 'd'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toBe('请求参数有误');
    const paths = res.body.error.details.issues.map((i: { location: string; path: string }) => `${i.location}:${i.path}`);
    expect(paths).toEqual(expect.arrayContaining(['body:title', 'body:tags']));
    for (const issue of res.body.error.details.issues) {
      expect(issue).toEqual({
        location: expect.any(String),
        path: expect.any(String),
        code: expect.any(String),
        message: expect.any(String),
      });
    }
  });

  test('valid input reaches the handler parsed and typed (query coerced, defaults applied)', async () => {
    const res = await t.request.post('/test/echo/abc123?page=3').send({ title: '青川新闻' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: { title: '青川新闻' }, page: 3, id: 'abc123', pageType: 'number' });
  });

  test('route params are validated too', async () => {
    const res = await t.request.post('/test/echo/NOT-HEX').send({ title: '青川新闻' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0]).toMatchObject({ location: 'params', path: 'id' });
  });

  test('unknown keys are refused even though the schema did not say .strict()', async () => {
    const res = await t.request.post('/test/echo/abc123').send({ title: '青川新闻', isAdmin: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues[0]).toMatchObject({ location: 'body', code: 'unrecognized_keys' });
  });

  test('$-prefixed keys are refused anywhere, even inside free-form fields', async () => {
    const res = await t.request.post('/test/echo/abc123').send({ title: '青川新闻', meta: { nested: [{ $where: 'sleep(1000)' }] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([
      { location: 'body', path: 'meta.nested.0.$where', code: 'forbidden_key', message: expect.stringContaining('$where') },
    ]);
  });

  test('dotted keys are refused (they address nested paths in MongoDB updates)', async () => {
    const res = await t.request.post('/test/echo/abc123').send({ title: '青川新闻', meta: { 'roles.0': 'admin' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0]).toMatchObject({ path: 'meta.roles.0', code: 'forbidden_key' });
  });

  test('$-prefixed query keys are refused', async () => {
    const res = await t.request.post('/test/echo/abc123?$where=1').send({ title: '青川新闻' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0]).toMatchObject({ location: 'query', code: 'forbidden_key' });
  });

  test('JSON nested 10,000 deep answers 400 VALIDATION_FAILED too_deep (it overflowed the stack: 500), also on an idempotent route', async () => {
    const deep = `{"title":"青川新闻","meta":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    for (const req of [
      t.request.post('/test/echo/abc123'),
      t.request.post('/test/orders').set('X-Test-User', 'u-deep').set('Idempotency-Key', 'deep-key-0001'),
    ]) {
      const res = await req.set('Content-Type', 'application/json').send(deep);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        code: 'VALIDATION_FAILED',
        message: '请求参数有误',
        details: { issues: [{ location: 'body', path: '', code: 'too_deep', message: expect.stringContaining('32') }] },
      });
    }
    expect(executions).toBe(0);
  });

  test('nesting up to the bound passes; one level more is refused', async () => {
    const nested = (levels: number) => `{"title":"青川新闻","meta":{"x":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
    // The body and meta are two levels: 30 arrays make 32.
    expect((await t.request.post('/test/echo/abc123').set('Content-Type', 'application/json').send(nested(30))).status).toBe(200);
    const over = await t.request.post('/test/echo/abc123').set('Content-Type', 'application/json').send(nested(31));
    expect(over.body.error.details.issues[0].code).toBe('too_deep');
  });

  test('a body of more than 10,000 values answers 400 too_many_values', async () => {
    const res = await t.request.post('/test/echo/abc123').send({ title: '青川新闻', meta: { list: new Array(10_001).fill(0) } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0]).toMatchObject({ location: 'body', code: 'too_many_values' });
  });

  test('query strings stay flat (no qs-style nesting): page[$gt]=1 is one unknown key, refused', async () => {
    const res = await t.request.post('/test/echo/abc123?page[$gt]=1&a[b][c]=2').send({ title: '青川新闻' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0]).toMatchObject({ location: 'query', code: 'unrecognized_keys' });
    expect(res.body.error.details.issues[0].message).toContain('page[$gt]');
  });

  test('malformed JSON answers 400 BAD_JSON', async () => {
    const res = await t.request.post('/test/echo/abc123').set('Content-Type', 'application/json').send('{"title": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_JSON');
  });

  test('every spelling of a JSON body reads alike (plain, with charset, with a BOM, +json types); a scalar is BAD_JSON, an empty body {}', async () => {
    const body = '{"title":"青川新闻"}';
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json']) {
      for (const text of [body, `\uFEFF${body}`]) {
        const res = await t.request.post('/test/echo/abc123').set('Content-Type', type).send(text);
        expect({ type, bom: text !== body, status: res.status, body: res.body.body }).toEqual({
          type,
          bom: text !== body,
          status: 200,
          body: { title: '青川新闻' },
        });
      }
    }
    const scalar = await t.request.post('/test/echo/abc123').set('Content-Type', 'application/json').send('"青川新闻"');
    expect([scalar.status, scalar.body.error.code]).toEqual([400, 'BAD_JSON']);
    // {} reaches validation: the schema's required title is what is missing.
    const empty = await t.request.post('/test/echo/abc123').set('Content-Type', 'application/json').send('');
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.issues[0]).toMatchObject({ location: 'body', path: 'title' });
  });

  test('a body that claims gzip, deflate or br but is not compressed answers 400 BAD_JSON (zlib failed it: 500)', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await t.request
        .post('/test/echo/abc123')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"title":"青川新闻"}');
      expect({ encoding, status: res.status, code: res.body.error?.code }).toEqual({ encoding, status: 400, code: 'BAD_JSON' });
    }
  });

  test('a body over the limit answers 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.request.post('/test/echo/abc123').send({ title: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('an unknown route answers a JSON 404 ROUTE_NOT_FOUND', async () => {
    const res = await t.request.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  test('an unexpected error answers a generic 500 that reveals nothing', async () => {
    const res = await t.request.get('/test/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: '服务器开小差了，请稍后再试' } });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });
});

describe('request plumbing', () => {
  test('a sane incoming X-Request-Id is echoed; otherwise one is generated', async () => {
    const echoed = await t.request.get('/healthz').set('X-Request-Id', 'lb-1234');
    expect(echoed.headers['x-request-id']).toBe('lb-1234');
    const generated = await t.request.get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('security headers are set', async () => {
    const res = await t.request.get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  test('CORS allows the H5 origin and no other', async () => {
    const h5 = t.deps.config.h5Origins[0] as string;
    const allowed = await t.request.options('/api/v1/me').set('Origin', h5).set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe(h5);
    const other = await t.request.options('/api/v1/me').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('the logger redacts tokens, passwords and session keys', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination: sink });
    logger.info(
      { req: { headers: { authorization: 'Bearer abc.def' } }, wechat: { session_key: 'SK123', openid: 'o1' }, body: { password: 'p@ss' } },
      'x',
    );
    const line = lines.join('');
    expect(line).not.toMatch(/abc\.def|SK123|p@ss/);
    expect(line).toContain('o1');
  });
});

describe('health and readiness', () => {
  test('/healthz answers 200 while the process runs', async () => {
    const res = await t.request.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/readyz answers 200 when MongoDB and Redis answer', async () => {
    const res = await t.request.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { mongo: 'ok', redis: 'ok' } });
  });

  test('/readyz answers 503 SERVICE_UNAVAILABLE when Redis is down', async () => {
    const closedPort = await getFreePort();
    const broken = await createTestContext({ redisUrl: `redis://127.0.0.1:${closedPort}` });
    try {
      const res = await broken.request.get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.body.error.details.checks).toEqual({ mongo: 'ok', redis: 'down' });
    } finally {
      await broken.close();
    }
  });
});

describe('dependency outages', () => {
  test('a request that needs Redis while it is down answers 503 SERVICE_UNAVAILABLE, not 500', async () => {
    const closedPort = await getFreePort();
    const broken = await createTestContext({ redisUrl: `redis://127.0.0.1:${closedPort}` });
    broken.app.use(testRouter(broken).routes());
    try {
      const write = await broken.request
        .post('/test/orders')
        .set('X-Test-User', 'u1')
        .set('Idempotency-Key', 'down-key-0001')
        .send({ amount: 1 });
      expect(write.status).toBe(503);
      expect(write.body.error.code).toBe('SERVICE_UNAVAILABLE');
      const limited = await broken.request.get('/test/limited').set('X-Test-User', 'u1');
      expect(limited.status).toBe(503);
      expect(executions).toBe(0);
    } finally {
      await broken.close();
    }
  });
});

describe('OpenAPI', () => {
  test('/api/openapi.json lists validated routes with their schemas', async () => {
    const res = await t.request.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/readyz'].get.responses['200'].content['application/json'].schema.properties.checks).toBeDefined();
  });

  test('/api/docs serves a readable page whose script is same-origin', async () => {
    const page = await t.request.get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/api/docs/docs.js">');
    const script = await t.request.get('/api/docs/docs.js');
    expect(script.headers['content-type']).toMatch(/javascript/);
  });
});

describe('rate limiting', () => {
  test('the budget is enforced per user: the 4th request answers 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await t.request.get('/test/limited').set('X-Test-User', 'u-rate')).status).toBe(200);
    }
    const res = await t.request.get('/test/limited').set('X-Test-User', 'u-rate');
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.request.get('/test/limited').set('X-Test-User', 'u-other')).status).toBe(200);
  });
});

describe('idempotency', () => {
  test('a retry with the same key and body replays the first response without running again', async () => {
    const first = await t.request
      .post('/test/orders')
      .set('X-Test-User', 'u1')
      .set('Idempotency-Key', 'order-key-0001')
      .send({ amount: 5 });
    const retry = await t.request
      .post('/test/orders')
      .set('X-Test-User', 'u1')
      .set('Idempotency-Key', 'order-key-0001')
      .send({ amount: 5 });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(executions).toBe(1);
  });

  test('the same key with a different body answers 409 IDEMPOTENCY_KEY_REUSED', async () => {
    await t.request.post('/test/orders').set('X-Test-User', 'u1').set('Idempotency-Key', 'order-key-0002').send({ amount: 5 });
    const res = await t.request.post('/test/orders').set('X-Test-User', 'u1').set('Idempotency-Key', 'order-key-0002').send({ amount: 6 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  test('keys are per user: another user with the same key runs on its own', async () => {
    await t.request.post('/test/orders').set('X-Test-User', 'u1').set('Idempotency-Key', 'order-key-0003').send({ amount: 5 });
    const res = await t.request.post('/test/orders').set('X-Test-User', 'u2').set('Idempotency-Key', 'order-key-0003').send({ amount: 5 });
    expect(res.status).toBe(201);
    expect(executions).toBe(2);
  });

  test('a duplicate while the first is still running answers 409 REQUEST_IN_PROGRESS', async () => {
    const first = t.request
      .post('/test/slow')
      .set('X-Test-User', 'u1')
      .set('Idempotency-Key', 'slow-key-0001')
      .send({})
      .then((r) => r);
    // Wait until the first request holds the key.
    for (let i = 0; i < 100 && !(await t.deps.redis.exists('idem:u1:slow-key-0001')); i += 1) await new Promise((r) => setTimeout(r, 10));
    const dup = await t.request.post('/test/slow').set('X-Test-User', 'u1').set('Idempotency-Key', 'slow-key-0001').send({});
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('REQUEST_IN_PROGRESS');
    releaseSlow();
    expect((await first).status).toBe(200);
  });

  test('a missing key answers 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    const res = await t.request.post('/test/orders').set('X-Test-User', 'u1').send({ amount: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  test('a failed first attempt releases the key so the retry runs', async () => {
    const first = await t.request.post('/test/fails-once').set('X-Test-User', 'u1').set('Idempotency-Key', 'fail-key-0001').send({});
    const retry = await t.request.post('/test/fails-once').set('X-Test-User', 'u1').set('Idempotency-Key', 'fail-key-0001').send({});
    expect(first.status).toBe(404);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ attempt: 2 });
  });
});

describe('distributed locks', () => {
  test('two processes racing for one lock: exactly one runs', async () => {
    const other = new Redis(t.deps.config.redisUrl as string);
    try {
      let runs = 0;
      const work = async () => {
        runs += 1;
        await new Promise((r) => setTimeout(r, 50));
        return 'done';
      };
      const outcomes = await Promise.all([
        createLocks(t.deps.redis).withLock('race', 5000, work),
        createLocks(other).withLock('race', 5000, work),
      ]);
      expect(runs).toBe(1);
      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      // Released after the run: the next caller gets it.
      expect((await createLocks(other).withLock('race', 5000, work)).ran).toBe(true);
    } finally {
      other.disconnect();
    }
  });

  test('a cron slot runs once even when a peer fires after the first run finished', async () => {
    let runs = 0;
    const job: JobDefinition = {
      name: 'test-job',
      schedule: '0 3 * * *',
      timezone: 'Asia/Shanghai',
      lockTtlMs: 60_000,
      run: async () => {
        runs += 1;
      },
    };
    const slot = new Date('2026-01-05T19:00:00.000Z');
    expect((await runJobSlot(t, job, slot)).ran).toBe(true);
    expect((await runJobSlot(t, job, slot)).ran).toBe(false);
    expect((await runJobSlot(t, job, new Date('2026-01-06T19:00:00.000Z'))).ran).toBe(true);
    expect(runs).toBe(2);
  });
});

describe('indexes at start', () => {
  test('an upgraded database loses the retired indexes, keeps the declared ones and those an operator added', async () => {
    const schema = new Schema({ a: Number, b: Number, c: Number }, { collection: 'retire_probe' });
    schema.index({ a: 1, b: 1 });
    const Probe = mongoose.model('RetireProbe', schema);
    // What an older release left behind, and an index someone made by hand.
    await Probe.createCollection();
    await Probe.collection.createIndex({ b: 1 });
    await Probe.collection.createIndex({ a: 1, c: 1 });
    await Probe.collection.createIndex({ c: 1 }, { name: 'ops_by_c' });
    retireIndexes('RetireProbe', ['b_1', 'a_1_c_1', 'never_existed_1']);

    await ensureIndexes(mongoose.connection);
    const names = (await Probe.collection.indexes()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'a_1_b_1', 'ops_by_c']);
    // Idempotent: the next start finds nothing to drop.
    await ensureIndexes(mongoose.connection);
    expect((await Probe.collection.indexes()).map((i) => i.name).sort()).toEqual(['_id_', 'a_1_b_1', 'ops_by_c']);
    mongoose.deleteModel('RetireProbe');
  });
});

describe('configuration', () => {
  const production = PRODUCTION_ENV;

  function problemsOf(env: Record<string, string>): string[] {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
  }

  test('a complete production environment is accepted and frozen', () => {
    const config = loadConfig(production);
    expect(config.isProduction).toBe(true);
    expect(config.port).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('production refuses the development JWT secret', () => {
    expect(problemsOf({ ...production, JWT_SECRET: DEV_JWT_SECRET }).join()).toContain('JWT_SECRET');
  });

  test('production refuses a missing WeChat app secret', () => {
    const { WECHAT_APP_SECRET: _omit, ...env } = production;
    expect(problemsOf(env).join()).toContain('WECHAT_APP_SECRET');
  });

  test('production refuses to run without MONGODB_URI and REDIS_URL, listing both', () => {
    const { MONGODB_URI: _m, REDIS_URL: _r, ...env } = production;
    const problems = problemsOf(env).join();
    expect(problems).toContain('MONGODB_URI');
    expect(problems).toContain('REDIS_URL');
  });

  test('production refuses a missing or plain-http PUBLIC_BASE_URL (printed QR codes and image URLs must reach it)', () => {
    const { PUBLIC_BASE_URL: _p, ...env } = production;
    expect(problemsOf(env).join()).toContain('PUBLIC_BASE_URL');
    expect(problemsOf({ ...production, PUBLIC_BASE_URL: 'http://10.0.0.5:3000' }).join()).toContain('PUBLIC_BASE_URL');
  });

  test('subscribe-message template ids come from the environment', () => {
    const config = loadConfig({ TEMPLATE_VOLUNTEER_WAITLIST: 'tmpl-abc', TEMPLATE_COUPON_EXPIRY: 'tmpl-def' });
    expect(config.templates).toMatchObject({ volunteerWaitlist: 'tmpl-abc', couponExpiry: 'tmpl-def' });
  });

  test('development starts with no settings at all', () => {
    const config = loadConfig({});
    expect(config.nodeEnv).toBe('development');
    expect(config.mongodbUri).toBeUndefined();
    expect(config.storage).toMatchObject({ driver: 'local', s3: null });
  });

  test("HEAP_GROWING_PERCENT: 100 unless set, 0 leaves V8's default, nonsense is refused by name", () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(100);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '50' }).heapGrowingPercent).toBe(50);
    for (const bad of ['-1', 'lots', '1000']) expect(problemsOf({ HEAP_GROWING_PERCENT: bad }).join()).toContain('HEAP_GROWING_PERCENT');
  });

  test('STORAGE_DRIVER=s3 needs the endpoint, bucket and keys, listing each missing one', () => {
    const problems = problemsOf({ STORAGE_DRIVER: 's3', S3_BUCKET: 'media' }).join();
    for (const name of ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) expect(problems).toContain(name);
    expect(problems).not.toContain('S3_BUCKET');
    const config = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'https://oss.example.cn/',
      S3_BUCKET: 'media',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(config.storage.s3).toEqual({
      endpoint: 'https://oss.example.cn',
      bucket: 'media',
      region: 'us-east-1',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
  });
});
