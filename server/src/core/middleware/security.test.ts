import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import koaHelmet from 'koa-helmet';
import { corsForH5, securityHeaders } from './security';

/** Every response header of one request to `app` (the date aside), names lower-cased, in order. */
async function headersOf(app: Koa, init: RequestInit & { path?: string } = {}): Promise<Array<[string, string]>> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const res = await fetch(`http://127.0.0.1:${port}${init.path ?? '/'}`, init);
    await res.text();
    return [...res.headers.entries()].filter(([name]) => name !== 'date');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

function appWith(...middleware: Koa.Middleware[]): Koa {
  const app = new Koa();
  for (const m of middleware) app.use(m);
  app.use((ctx) => {
    if (ctx.path === '/fail') ctx.throw(400, 'nope');
    ctx.body = { ok: true };
  });
  return app;
}

describe('securityHeaders: exactly what helmet sets', () => {
  it('sends the same header names and values as koa-helmet, on answers and on Koa own error answers', async () => {
    for (const path of ['/', '/fail']) {
      const ours = await headersOf(appWith(securityHeaders()), { path });
      const helmets = await headersOf(appWith(koaHelmet() as Koa.Middleware), { path });
      expect(ours).toEqual(helmets);
    }
    const ours = await headersOf(appWith(securityHeaders()));
    expect(ours).toEqual(expect.arrayContaining([['x-content-type-options', 'nosniff']]));
  });
});

describe('corsForH5: CORS answers only for the H5 origins', () => {
  const allowed = 'https://h5.example.cn';
  const app = () => appWith(corsForH5([allowed]));

  it('answers an allowed origin with its CORS headers, a preflight with 204', async () => {
    const simple = Object.fromEntries(await headersOf(app(), { headers: { Origin: allowed } }));
    expect(simple).toMatchObject({
      'access-control-allow-origin': allowed,
      'access-control-expose-headers': 'X-Request-Id,Retry-After,Idempotent-Replayed',
      vary: 'Origin',
    });
    const preflight = Object.fromEntries(
      await headersOf(app(), { method: 'OPTIONS', headers: { Origin: allowed, 'Access-Control-Request-Method': 'POST' } }),
    );
    expect(preflight).toMatchObject({
      'access-control-allow-origin': allowed,
      'access-control-allow-methods': 'GET,HEAD,PUT,POST,DELETE,PATCH',
      'access-control-allow-headers': 'Authorization,Content-Type,Idempotency-Key,X-Request-Id,X-Device-Id',
      'access-control-max-age': '600',
    });
  });

  it('gives other origins and requests without one only Vary: Origin', async () => {
    for (const headers of [{ Origin: 'https://evil.example.com' }, {}] as Array<Record<string, string>>) {
      const got = Object.fromEntries(await headersOf(app(), { headers }));
      expect(got.vary).toBe('Origin');
      expect(Object.keys(got).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });
});
