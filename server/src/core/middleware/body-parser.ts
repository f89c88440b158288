import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';

/**
 * JSON bodies only (the API speaks nothing else), capped at `limit`. Oversized and malformed bodies
 * surface as PAYLOAD_TOO_LARGE / BAD_JSON through the error handler.
 */
export function jsonBody(limit: string): Middleware {
  return bodyParser({ enableTypes: ['json'], jsonLimit: limit, encoding: 'utf-8' }) as unknown as Middleware;
}
