import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { dispatchRouters } from './route-dispatch';

/** Routers shaped like ours and like the awkward cases: prefixes, early params, prefix middleware. */
function routers(): Router[] {
  const a = new Router();
  a.get('/api/v1/feed', (ctx) => void (ctx.body = { r: 'a.feed' }));
  a.get('/api/v1/articles/:id', (ctx) => void (ctx.body = { r: 'a.article', id: ctx.params.id }));
  a.post('/api/v1/articles/:id/read', (ctx) => void (ctx.body = { r: 'a.read' }));
  const b = new Router({ prefix: '/api/v1/merchants' });
  b.get('/:id', (ctx) => void (ctx.body = { r: 'b.merchant', id: ctx.params.id }));
  b.get('/mine/list', (ctx) => void (ctx.body = { r: 'b.mine' }));
  const c = new Router();
  // Same first segments as b, a later router: b is visited first, as with app.use in order.
  c.get('/api/v1/merchants/:merchantId/coupon-stats', (ctx) => void (ctx.body = { r: 'c.stats' }));
  c.get('/api/v1/merchants/:id', (ctx) => void (ctx.body = { r: 'c.shadowed' }));
  const d = new Router();
  // A parameter within the first segments: can't be keyed, visited for every path.
  d.get('/api/:version/ping', (ctx) => void (ctx.body = { r: 'd.ping', v: ctx.params.version }));
  const e = new Router();
  e.use(async (ctx, next) => {
    ctx.set('X-E', 'seen');
    await next();
  });
  e.get('/api/v1/e-only', (ctx) => void (ctx.body = { r: 'e.only' }));
  const f = new Router();
  f.get('/api/openapi.json', (ctx) => void (ctx.body = { r: 'f.openapi' }));
  f.get('/api/docs', (ctx) => void (ctx.body = { r: 'f.docs' }));
  f.get('/api/docs/docs.js', (ctx) => void (ctx.body = { r: 'f.docsjs' }));
  return [a, b, c, d, e, f];
}

function app(mount: (koa: Koa, list: Router[]) => void): Koa {
  const koa = new Koa();
  koa.use(async (ctx, next) => {
    await next();
    if (ctx.body === undefined && ctx.status === 404) {
      ctx.body = { r: 'not-found' };
      ctx.status = 404;
    }
  });
  mount(koa, routers());
  return koa;
}

async function answers(koa: Koa, requests: Array<[string, string]>): Promise<string[]> {
  const server = createServer(koa.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const out: string[] = [];
    for (const [method, path] of requests) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
      out.push(`${method} ${path} → ${res.status} ${res.headers.get('x-e') ?? '-'} ${await res.text()}`);
    }
    return out;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('dispatchRouters: the same answers as mounting every router in order', () => {
  const requests: Array<[string, string]> = [
    ['GET', '/api/v1/feed'],
    ['GET', '/api/v1/feed/'],
    ['GET', '/API/V1/FEED'],
    ['POST', '/api/v1/feed'],
    ['GET', '/api/v1/feed/extra'],
    ['GET', '/api/v1/articles/abc'],
    ['GET', '/api/v1/articles/abc/'],
    ['POST', '/api/v1/articles/abc/read'],
    ['GET', '/api/v1/articles/abc/read'],
    ['GET', '/api/v1/articles'],
    ['GET', '/api/v1/merchants/m1'],
    ['GET', '/api/v1/merchants/mine/list'],
    ['GET', '/api/v1/merchants/m1/coupon-stats'],
    ['GET', '/api/v2/ping'],
    ['GET', '/api/v1/ping'],
    ['GET', '/api/v1/e-only'],
    ['GET', '/api/v1/nothing-here'],
    ['GET', '/api/openapi.json'],
    ['GET', '/api/openapi.json/'],
    ['GET', '/api/docs'],
    ['GET', '/api/docs/'],
    ['GET', '/api/docs/docs.js'],
    ['GET', '/api/docs//'],
    ['GET', '/'],
    ['GET', '/api'],
    ['GET', '//api/v1/feed'],
    ['DELETE', '/api/v1/merchants/m1'],
  ];

  it('answers every request (matches, wrong methods, unknown paths, odd spellings) exactly like app.use per router', async () => {
    const sequential = await answers(
      app((koa, list) => list.forEach((r) => koa.use(r.routes()))),
      requests,
    );
    const dispatched = await answers(
      app((koa, list) => koa.use(dispatchRouters(list))),
      requests,
    );
    expect(dispatched).toEqual(sequential);
    // The cases mean something: routes answered, shadowing kept, unknown paths fell through.
    expect(sequential).toEqual(
      expect.arrayContaining([
        'GET /API/V1/FEED → 200 - {"r":"a.feed"}',
        'POST /api/v1/feed → 404 - {"r":"not-found"}',
        'GET /api/v1/merchants/m1 → 200 - {"r":"b.merchant","id":"m1"}',
        'GET /api/v1/merchants/m1/coupon-stats → 200 - {"r":"c.stats"}',
        'GET /api/v2/ping → 200 - {"r":"d.ping","v":"v2"}',
        'GET /api/v1/e-only → 200 seen {"r":"e.only"}',
        'GET /api/docs/ → 200 - {"r":"f.docs"}',
        'DELETE /api/v1/merchants/m1 → 404 - {"r":"not-found"}',
      ]),
    );
  });

  it('falls through to the next middleware when no router has the path', async () => {
    const koa = new Koa();
    koa.use(dispatchRouters(routers().slice(0, 3)));
    koa.use((ctx) => void (ctx.body = { r: 'after' }));
    expect(await answers(koa, [['GET', '/elsewhere']])).toEqual(['GET /elsewhere → 200 - {"r":"after"}']);
  });
});
