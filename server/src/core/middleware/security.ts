import cors from '@koa/cors';
import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/** Standard security headers (helmet's defaults: CSP self-only, nosniff, frame-ancestors none…). */
export function securityHeaders(): Middleware {
  return helmet() as Middleware;
}

/**
 * CORS only for the H5 app's origins; the mini-program itself is not subject to CORS. Other origins get
 * no CORS headers, so browsers refuse to hand them the response.
 */
export function corsForH5(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  }) as Middleware;
}
