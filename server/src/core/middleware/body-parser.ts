import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from '../errors';
import type { FieldIssue } from './validate';

/** The methods @koa/bodyparser reads a body for (its default); other requests pass it untouched. */
const PARSED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** No request schema nests half as deep; anything deeper is hostile. */
export const MAX_JSON_DEPTH = 32;
/** Object members + array items of one body. The largest legitimate list (a roster's userIds) is 2,000. */
export const MAX_JSON_VALUES = 10_000;

/**
 * Why a parsed JSON body is refused for its shape alone, or undefined. Iterative on purpose: everything
 * after the parser walks the body recursively (the forbidden-key check, zod, the idempotency hash), so a
 * body 10,000 arrays deep would overflow the stack there — and a recursive walk here would too.
 */
export function jsonShapeIssue(body: unknown): FieldIssue | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const pending: object[] = [body];
  const depths: number[] = [1];
  let values = 0;
  while (pending.length > 0) {
    const node = pending.pop() as object;
    const depth = depths.pop() as number;
    if (depth > MAX_JSON_DEPTH) {
      return { location: 'body', path: '', code: 'too_deep', message: `嵌套层级不能超过 ${MAX_JSON_DEPTH} 层` };
    }
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    values += children.length;
    if (values > MAX_JSON_VALUES) {
      return { location: 'body', path: '', code: 'too_many_values', message: `字段和数组元素合计不能超过 ${MAX_JSON_VALUES} 个` };
    }
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/** Content-Type values read by the fast path (exactly as sent; any other spelling goes through @koa/bodyparser). */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
// co-body's strict mode: a JSON body is an object or an array.
const STRICT_JSON = /^[ \t\n\r]*[[{]/;

/** The body as co-body's json parser reads it (errors carry the same status and type for the error handler). */
async function plainJson(ctx: Context, limit: string): Promise<unknown> {
  const length = ctx.req.headers['content-length'];
  const text = await getRawBody(ctx.req, { limit, encoding: 'utf-8', ...(length ? { length: Number(length) } : {}) });
  (ctx.request as { rawBody?: string }).rawBody = text;
  if (!text) return {};
  const fail = (err: Error) => Object.assign(err, { status: 400, body: text });
  if (!STRICT_JSON.test(text)) throw fail(new SyntaxError('invalid JSON, only supports object and array'));
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw fail(err as Error);
  }
}

/**
 * JSON bodies only (the API speaks nothing else), capped at `limit`. Oversized and malformed bodies
 * (also one that does not decode by its Content-Encoding) surface as PAYLOAD_TOO_LARGE / BAD_JSON through
 * the error handler; too deep or too many values as
 * VALIDATION_FAILED (issue code `too_deep` / `too_many_values`) before any later middleware sees them.
 *
 * A POST/PUT/PATCH without a Content-Type is answered here as @koa/bodyparser answers it (no parser
 * applies, so the body is `{}`) without its per-request type checks: the grab and other body-less taps.
 * A plain `application/json` body (what the mini-program and the H5 app send: no Content-Encoding) is read
 * here as co-body reads it — raw-body with the same limit and declared length, then co-body's strict JSON
 * (objects and arrays; an empty body is `{}`) — without @koa/bodyparser's per-request type matching; every
 * other body goes through @koa/bodyparser.
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
    if (
      PLAIN_JSON.has(ctx.req.headers['content-type']!) &&
      ctx.req.headers['content-encoding'] === undefined &&
      request.body === undefined &&
      !ctx.req.closed &&
      !(ctx as { disableBodyParser?: boolean }).disableBodyParser
    ) {
      return plainJson(ctx, limit).then((body) => {
        request.body = body;
        const issue = jsonShapeIssue(body);
        if (issue) throw new AppError('VALIDATION_FAILED', { details: { issues: [issue] } });
        return next();
      });
    }
    let parsed = false;
    return (
      parse(ctx, () => {
        parsed = true;
        const issue = jsonShapeIssue(request.body);
        if (issue) throw new AppError('VALIDATION_FAILED', { details: { issues: [issue] } });
        return next();
      }) as Promise<void>
    ).catch((err: unknown) => {
      // A body that says gzip/deflate/br but does not decode fails inside zlib, with no HTTP status (a 500);
      // it is the client's fault. Errors from after parsing pass through untouched.
      if (parsed || typeof (err as { status?: unknown } | null)?.status === 'number') throw err;
      throw new AppError('BAD_JSON', { message: '请求内容无法按 Content-Encoding 解压', cause: err });
    });
  };
}
