import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@koa/cors';
import type { Middleware } from 'koa';
import helmet from 'helmet';
import koaHelmet from 'koa-helmet';

type HeaderStep = { set: string; value: string } | { remove: string };

/**
 * What helmet's default middleware does to a response, recorded once by running it against a stand-in
 * response. Null when it did anything but set/remove fixed headers synchronously (then helmet runs per request).
 */
function recordHelmet(): HeaderStep[] | null {
  const steps: HeaderStep[] = [];
  let plain = true;
  let done = false;
  const res = {
    setHeader(name: string, value: unknown) {
      if (typeof value === 'string') steps.push({ set: name, value });
      else plain = false;
      return res;
    },
    removeHeader(name: string) {
      steps.push({ remove: name });
    },
    getHeader: () => undefined,
    hasHeader: () => false,
  };
  helmet()({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) plain = false;
    done = true;
  });
  return plain && done ? steps : null;
}

/**
 * Standard security headers (helmet's defaults: CSP self-only, nosniff, frame-ancestors none…). Helmet's
 * defaults are the same fixed headers on every response, so they are recorded from helmet once and set
 * in one loop — the same names, values and order, without a dozen little middlewares per request.
 */
export function securityHeaders(): Middleware {
  const steps = recordHelmet();
  if (!steps) return koaHelmet() as Middleware;
  const set = steps.filter((s): s is { set: string; value: string } => 'set' in s);
  const remove = steps.filter((s): s is { remove: string } => 'remove' in s).map((s) => s.remove);
  return (ctx, next) => {
    const { res } = ctx;
    for (let i = 0; i < set.length; i += 1) res.setHeader(set[i]!.set, set[i]!.value);
    for (let i = 0; i < remove.length; i += 1) res.removeHeader(remove[i]!);
    return next();
  };
}

/**
 * CORS only for the H5 app's origins; the mini-program itself is not subject to CORS. Other origins get
 * no CORS headers, so browsers refuse to hand them the response. Requests without an allowed Origin (the
 * mini-program's, every server-to-server call) only get `Vary: Origin`, as @koa/cors answers them.
 */
export function corsForH5(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  const full = cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'X-Device-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  }) as Middleware;
  return (ctx, next) => {
    const origin = ctx.req.headers.origin;
    if (origin !== undefined && allowed.has(origin)) return full(ctx, next);
    // What ctx.vary('Origin') does when no Vary was set yet (the usual case), without parsing one.
    if (ctx.res.hasHeader('Vary')) ctx.vary('Origin');
    else ctx.res.setHeader('Vary', 'Origin');
    return next();
  };
}
