import type { Middleware } from 'koa';
import type { Logger } from '../logger';

/**
 * One log line per request, after the error handler has settled the status. Only method, path, status
 * and timing are logged — never headers or bodies, which carry tokens and personal data.
 *
 * `ctx.state.log` (the logger bound to the request id) is made on first use: most requests never log
 * anything but their own line, and that line is skipped without a child when its level is off.
 */
export function requestLogger(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const state = ctx.state;
    let child: Logger | undefined;
    const log = () => (child ??= logger.child({ requestId: state.requestId }));
    Object.defineProperty(state, 'log', {
      configurable: true,
      enumerable: true,
      get: log,
      set(value: Logger) {
        child = value;
      },
    });
    try {
      await next();
    } finally {
      const failed = ctx.status >= 500;
      if (logger.isLevelEnabled(failed ? 'error' : 'info')) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const line = { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 };
        if (failed) log().error(line, 'request failed');
        else log().info(line, 'request');
      }
    }
  };
}
