import type { Middleware } from 'koa';
import type { ErrorCode } from '@shared/errors';
import { AppError, isAppError, STATUS_BY_KIND } from '../errors';
import type { Logger } from '../logger';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  name?: string;
}

/** Driver errors that mean "a dependency is down", not "our code is wrong": answered 503 so clients retry. */
const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MaxRetriesPerRequestError',
]);

function isDependencyDown(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return UNAVAILABLE_ERROR_NAMES.has(err.name) || code === 'ECONNREFUSED' || err.message === 'Connection is closed.';
}

/**
 * Errors raised by Koa's own plumbing (body parser, ctx.throw) carry an HTTP status but no domain code;
 * translate the client-caused ones so they keep the single error shape.
 */
function translateHttpError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as HttpLikeError;
  const status = e.status ?? e.statusCode;
  if (!status || status >= 500 || e.expose === false) return undefined;
  let code: ErrorCode;
  if (status === 413 || e.type === 'entity.too.large') code = 'PAYLOAD_TOO_LARGE';
  // co-body reports malformed JSON as a SyntaxError carrying status 400.
  else if (e.type === 'entity.parse.failed' || (status === 400 && e.name === 'SyntaxError')) code = 'BAD_JSON';
  else if (status === 415 || e.type === 'encoding.unsupported') code = 'UNSUPPORTED_MEDIA_TYPE';
  else if (status === 404) code = 'NOT_FOUND';
  else if (status === 401) code = 'AUTH_REQUIRED';
  else if (status === 403) code = 'FORBIDDEN';
  else code = 'VALIDATION_FAILED';
  return new AppError(code, { cause: err });
}

/**
 * First middleware in the chain: every failure leaves as `{ error: { code, message, details? } }`.
 * Domain errors map to a status through STATUS_BY_KIND; anything unknown is logged with the request id
 * and answered with a generic 500 whose text reveals nothing.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const appError = isAppError(err)
        ? err
        : isDependencyDown(err)
          ? new AppError('SERVICE_UNAVAILABLE', { cause: err })
          : translateHttpError(err);
      if (appError) {
        ctx.status = STATUS_BY_KIND[appError.kind];
        ctx.body = {
          error: {
            code: appError.code,
            message: appError.message,
            ...(appError.details === undefined ? {} : { details: appError.details }),
          },
        };
        if (appError.kind === 'internal') logger.error({ err, requestId: ctx.state.requestId }, appError.code);
        else if (appError.kind === 'unavailable') {
          logger.warn({ requestId: ctx.state.requestId, details: appError.details, cause: String(appError.cause ?? '') }, appError.code);
        }
        return;
      }
      logger.error({ err, requestId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'unhandled error');
      const internal = new AppError('INTERNAL_ERROR');
      ctx.status = 500;
      ctx.body = { error: { code: internal.code, message: internal.message } };
    }
  };
}
