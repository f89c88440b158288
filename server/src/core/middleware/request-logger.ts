import { performance } from 'node:perf_hooks';
import type { Middleware } from 'koa';
import type { Logger } from '../logger';

const PARENT = Symbol('requestLoggerParent');
const CHILD = Symbol('requestLoggerChild');

interface LazyLogState {
  requestId?: string;
  [PARENT]: Logger;
  [CHILD]?: Logger;
}

/**
 * `ctx.state.log`: the logger bound to the request id, made on first use. One shared accessor pair for
 * every request (no closures per request, so V8 keeps one object shape for all request states).
 */
const LOG_PROPERTY: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: LazyLogState): Logger {
    return (this[CHILD] ??= this[PARENT].child({ requestId: this.requestId }));
  },
  set(this: LazyLogState, value: Logger) {
    this[CHILD] = value;
  },
};

/**
 * One log line per request, after the error handler has settled the status. Only method, path, status
 * and timing are logged — never headers or bodies, which carry tokens and personal data.
 *
 * Most requests never log anything but their own line, and that line is skipped (without making the
 * per-request child logger) when its level is off.
 */
export function requestLogger(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const state = ctx.state as LazyLogState & { log: Logger };
    state[PARENT] = logger;
    Object.defineProperty(state, 'log', LOG_PROPERTY);
    try {
      await next();
    } finally {
      const failed = ctx.status >= 500;
      if (logger.isLevelEnabled(failed ? 'error' : 'info')) {
        const ms = performance.now() - started;
        const line = { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 };
        if (failed) state.log.error(line, 'request failed');
        else state.log.info(line, 'request');
      }
    }
  };
}
