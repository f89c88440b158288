import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives each request an id: the load balancer's `X-Request-Id` when it is a sane token, otherwise a new
 * UUID. It is echoed back so a user's bug report can be matched to the log lines.
 */
export function requestId(): Middleware {
  // Not an async function: nothing follows next(), so its promise is handed back as it is.
  return (ctx, next) => {
    const incoming = ctx.req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    return next();
  };
}
