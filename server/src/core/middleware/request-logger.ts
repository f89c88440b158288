import type { Middleware } from 'koa';
import type { Logger } from '../logger';

/**
 * One log line per request, after the error handler has settled the status. Only method, path, status
 * and timing are logged — never headers or bodies, which carry tokens and personal data.
 */
export function requestLogger(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    ctx.state.log = logger.child({ requestId: ctx.state.requestId });
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 };
      if (ctx.status >= 500) ctx.state.log.error(line, 'request failed');
      else ctx.state.log.info(line, 'request');
    }
  };
}
