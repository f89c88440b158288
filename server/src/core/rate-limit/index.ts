import type { Context, Middleware } from 'koa';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';

export interface RateLimitRule {
  /** Budget name, also the Redis key prefix: 'login', 'checkin', 'vote'… */
  key: string;
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  duration: number;
  /** Count per client IP, or per signed-in user (falls back to IP when there is none). */
  by: 'ip' | 'user';
}

function subject(ctx: Context, by: RateLimitRule['by']): string {
  const userId = (ctx.state as { user?: { id?: string } }).user?.id;
  return by === 'user' && userId ? `u:${userId}` : `ip:${ctx.ip}`;
}

/**
 * Per-route budgets shared by every API process through Redis. Over budget → 429 RATE_LIMITED with
 * Retry-After (seconds) and `details.retryAfterSeconds`.
 *
 *   const limit = createRateLimit(deps.redis);
 *   router.post('/api/v1/auth/wechat-login', limit({ key: 'login', points: 10, duration: 60, by: 'ip' }), …)
 */
export function createRateLimit(redis: Redis): (rule: RateLimitRule) => Middleware {
  return (rule) => {
    const limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `rl:${rule.key}`,
      points: rule.points,
      duration: rule.duration,
    });
    return async (ctx, next) => {
      try {
        await limiter.consume(subject(ctx, rule.by));
      } catch (rejection) {
        // The limiter rejects with RateLimiterRes when over budget and with an Error when Redis fails.
        if (!(rejection instanceof RateLimiterRes)) throw new AppError('SERVICE_UNAVAILABLE', { cause: rejection });
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        ctx.set('Retry-After', String(retryAfterSeconds));
        throw new AppError('RATE_LIMITED', { details: { retryAfterSeconds } });
      }
      await next();
    };
  };
}
