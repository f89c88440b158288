import type { Context, Middleware } from 'koa';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, isAppError } from '../errors';

/** So many requests per so many seconds. */
export interface Budget {
  points: number;
  /** Window length in seconds. */
  duration: number;
}

export interface RateLimitRule extends Budget {
  /** Budget name, also the Redis key prefix: 'login', 'checkin', 'vote'… */
  key: string;
  /** Count per client IP, or per signed-in user (falls back to IP when there is none). */
  by: 'ip' | 'user';
}

/** One budget shared by every API process through Redis, counted per subject (a user id, an address, a device…). */
export interface Limiter {
  /** Counts one request of `subject`; over budget → RATE_LIMITED with `details.retryAfterSeconds`. */
  consume(subject: string): Promise<void>;
}

/** `rl:<key>:<subject>` counters, one fixed window per subject starting at its first request. */
export function createLimiter(redis: Redis, key: string, budget: Budget): Limiter {
  const limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: `rl:${key}`, points: budget.points, duration: budget.duration });
  return {
    async consume(subject) {
      try {
        await limiter.consume(subject);
      } catch (rejection) {
        // The limiter rejects with RateLimiterRes when over budget and with an Error when Redis fails.
        if (!(rejection instanceof RateLimiterRes)) throw new AppError('SERVICE_UNAVAILABLE', { cause: rejection });
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds } });
      }
    },
  };
}

function subject(ctx: Context, by: RateLimitRule['by']): string {
  const userId = ctx.state.user?.id;
  return by === 'user' && userId ? `u:${userId}` : `ip:${ctx.ip}`;
}

/**
 * Per-route budgets as middleware. Over budget → 429 RATE_LIMITED with Retry-After (seconds) and
 * `details.retryAfterSeconds`.
 *
 *   const limit = createRateLimit(deps.redis);
 *   router.get('/api/v1/volunteers/certificates/:serial', limit({ key: 'certificate-check', points: 60, duration: 60, by: 'ip' }), …)
 */
export function createRateLimit(redis: Redis): (rule: RateLimitRule) => Middleware {
  return (rule) => {
    const limiter = createLimiter(redis, rule.key, rule);
    return async (ctx, next) => {
      await limiter.consume(subject(ctx, rule.by));
      await next();
    };
  };
}

/**
 * Mounted once, right after the error handler: any refusal that says when to try again (RATE_LIMITED,
 * ACCOUNT_LOCKED, UPLOAD_DAILY_QUOTA… with `details.retryAfterSeconds`) also tells clients and proxies in
 * a Retry-After header, wherever it was thrown.
 */
export function retryAfterHeader(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const seconds = isAppError(err) ? (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds : undefined;
      if (typeof seconds === 'number' && seconds > 0) ctx.set('Retry-After', String(Math.ceil(seconds)));
      throw err;
    }
  };
}
