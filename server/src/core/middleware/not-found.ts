import type { Middleware } from 'koa';
import { AppError } from '../errors';

/** Last in the chain: nothing answered, so the route does not exist — say so in the error shape. */
export function notFound(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body === undefined && ctx.status === 404) {
      throw new AppError('ROUTE_NOT_FOUND', { details: { method: ctx.method, path: ctx.path } });
    }
  };
}
