import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';

/** The methods @koa/bodyparser reads a body for (its default); other requests pass it untouched. */
const PARSED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON bodies only (the API speaks nothing else), capped at `limit`. Oversized and malformed bodies
 * surface as PAYLOAD_TOO_LARGE / BAD_JSON through the error handler.
 *
 * A POST/PUT/PATCH without a Content-Type is answered here as @koa/bodyparser answers it (no parser
 * applies, so the body is `{}`) without its per-request type checks: the grab and other body-less taps.
 */
export function jsonBody(limit: string): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limit, encoding: 'utf-8' }) as unknown as Middleware;
  return (ctx, next) => {
    // GET, HEAD, DELETE…: @koa/bodyparser would only call next() (one async layer less per request).
    if (!PARSED_METHODS.has(ctx.method)) return next();
    const request = ctx.request as { body?: unknown };
    if (
      ctx.req.headers['content-type'] === undefined &&
      request.body === undefined &&
      !ctx.req.closed &&
      !(ctx as { disableBodyParser?: boolean }).disableBodyParser
    ) {
      request.body = {};
      return next();
    }
    return parse(ctx, next);
  };
}
