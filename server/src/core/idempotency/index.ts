import { createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Redis } from 'ioredis';
// The pattern behind shared's idempotencyKeySchema, tested directly: requestKeyOf runs on every grab and
// vote, and a RegExp test allocates nothing where a zod parse builds a result object.
import { IDEMPOTENCY_KEY_MESSAGE, IDEMPOTENCY_KEY_PATTERN } from '@shared/schemas/idempotency';
import { AppError } from '../errors';

export interface IdempotencyOptions {
  /** Refuse writes without the header (IDEMPOTENCY_KEY_REQUIRED). Default true. */
  required?: boolean;
  /** How long a finished response is replayed. Default 24 h. */
  ttlSeconds?: number;
  /** How long an in-flight claim blocks duplicates if the process dies mid-request. Default 60 s. */
  inFlightSeconds?: number;
}

interface StoredRecord {
  state: 'pending' | 'done';
  hash: string;
  status?: number;
  body?: unknown;
}

function invalidKey(): AppError {
  return new AppError('VALIDATION_FAILED', {
    details: {
      issues: [
        {
          location: 'headers',
          path: 'Idempotency-Key',
          code: 'invalid_format',
          message: IDEMPOTENCY_KEY_MESSAGE,
        },
      ],
    },
  });
}

/**
 * The request's Idempotency-Key (8–128 of [A-Za-z0-9_-], so never a ':' or '|'), or null when absent. For
 * routes that keep the key with their own write (grab, vote, scans) instead of going through the middleware.
 */
export function requestKeyOf(ctx: Context): string | null {
  const key = ctx.get('Idempotency-Key');
  if (!key) return null;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw invalidKey();
  return key;
}

/** Key order must not change the hash: clients may serialise the same body differently on a retry. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function requestHash(ctx: Context): string {
  const body = (ctx.request as { body?: unknown }).body ?? null;
  return createHash('sha256')
    .update(`${ctx.method} ${ctx.path}\n${canonical(body)}`)
    .digest('hex');
}

/**
 * Makes a write safe to retry with an `Idempotency-Key` header (8–128 of [A-Za-z0-9_-]): the first
 * request claims the key, its finished 2xx/4xx response is stored and replayed to any retry with the same
 * key, user and body (header `Idempotent-Replayed: true`). The same key with a different body is
 * IDEMPOTENCY_KEY_REUSED; a retry while the first is still running is REQUEST_IN_PROGRESS. If the handler
 * throws, the claim is dropped so a retry runs again. An error does not prove that nothing was committed (a
 * commit whose answer was lost has landed): a handler behind this must itself make running again safe —
 * naturally (a conditional update) or by keying its write with the request's key (points adjustments).
 * Mount it after authentication: keys are scoped per user.
 */
export function createIdempotency(redis: Redis): (options?: IdempotencyOptions) => Middleware {
  return ({ required = true, ttlSeconds = 86_400, inFlightSeconds = 60 } = {}) =>
    async (ctx, next) => {
      const key = ctx.get('Idempotency-Key');
      if (!key) {
        if (required) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
        return next();
      }
      if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw invalidKey();
      const userId = (ctx.state as { user?: { id?: string } }).user?.id ?? 'anonymous';
      const redisKey = `idem:${userId}:${key}`;
      const hash = requestHash(ctx);

      const claim: StoredRecord = { state: 'pending', hash };
      const claimed = await redis.set(redisKey, JSON.stringify(claim), 'EX', inFlightSeconds, 'NX');
      if (claimed !== 'OK') {
        const raw = await redis.get(redisKey);
        if (raw === null) throw new AppError('REQUEST_IN_PROGRESS'); // expired between SET and GET: let the client retry
        const existing = JSON.parse(raw) as StoredRecord;
        if (existing.hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        if (existing.state === 'pending') throw new AppError('REQUEST_IN_PROGRESS');
        ctx.status = existing.status ?? 200;
        ctx.body = existing.body;
        ctx.set('Idempotent-Replayed', 'true');
        return;
      }

      try {
        await next();
      } catch (err) {
        await redis.del(redisKey);
        throw err;
      }
      if (ctx.status >= 500) {
        await redis.del(redisKey);
        return;
      }
      const done: StoredRecord = { state: 'done', hash, status: ctx.status, body: ctx.body };
      await redis.set(redisKey, JSON.stringify(done), 'EX', ttlSeconds);
    };
}
