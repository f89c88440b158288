/**
 * Router dispatch over HTTP against the real app (core/middleware/route-dispatch.ts): every route listed in
 * /api/openapi.json is still reached through its module's router, and paths or methods no route has still
 * answer 404 ROUTE_NOT_FOUND in the one error shape.
 */
import { createTestContext, type TestContext } from '../harness';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});

afterAll(async () => {
  await t?.close();
});

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

describe('router dispatch', () => {
  test('every documented route is reached (its own answer, never ROUTE_NOT_FOUND)', async () => {
    const doc = (await t.request.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => [method as Method, path.replace(/\{[^}]+\}/g, 'zz')] as const),
    );
    expect(routes.length).toBeGreaterThan(50);
    const missed: string[] = [];
    for (const [method, path] of routes) {
      // An invalid token and an invalid id: routes answer 401/400 before doing anything.
      const res = await t.request[method](path).set('Authorization', 'Bearer not-a-token');
      if (res.body?.error?.code === 'ROUTE_NOT_FOUND') missed.push(`${method.toUpperCase()} ${path}`);
    }
    expect(missed).toEqual([]);
  });

  test('an unknown path, and a known path with a method it has not, answer 404 ROUTE_NOT_FOUND', async () => {
    const unknown = await t.request.get('/api/v1/no-such-thing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: expect.any(String), details: { method: 'GET', path: '/api/v1/no-such-thing/here' } },
    });
    const wrongMethod = await t.request.patch('/api/v1/feed');
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body.error.code).toBe('ROUTE_NOT_FOUND');
    for (const path of ['/', '/api', '/api/v1', '//api/v1/feed']) {
      expect((await t.request.get(path)).body.error?.code).toBe('ROUTE_NOT_FOUND');
    }
  });

  test('routes match as @koa/router matches them: any letter case, one trailing slash', async () => {
    const feed = await t.request.get('/api/v1/feed');
    expect(feed.status).toBe(200);
    expect((await t.request.get('/API/V1/Feed')).status).toBe(200);
    expect((await t.request.get('/api/v1/feed/')).status).toBe(200);
    expect((await t.request.get('/api/docs/')).status).toBe(200);
  });
});
