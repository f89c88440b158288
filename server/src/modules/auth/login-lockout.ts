import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../core/errors';

export interface LockoutPolicy {
  /** Failures allowed inside the window; the last one locks the account. */
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
}

/** 5 wrong passwords within 15 minutes lock the username for 15 minutes. */
export const STAFF_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

export interface LoginLockout {
  /** Throws ACCOUNT_LOCKED (with the minutes left) while `username` is locked. */
  assertNotLocked(username: string): Promise<void>;
  /** Counts a failure; returns true when this failure locked the account. */
  recordFailure(username: string): Promise<boolean>;
  reset(username: string): Promise<void>;
}

/**
 * Failed staff logins counted per username in Redis, so every API process shares the count and the
 * increments are atomic. Counting per username (not per IP) stops a password being guessed from many
 * addresses; the per-IP route rate limit stops one address from locking out many accounts cheaply.
 */
export function createLoginLockout(redis: Redis, policy: LockoutPolicy = STAFF_LOCKOUT): LoginLockout {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'lockout:staff',
    points: policy.maxFailures,
    duration: policy.windowSeconds,
  });

  const lockedError = (msLeft: number) => {
    const minutes = Math.max(1, Math.ceil(msLeft / 60_000));
    return new AppError('ACCOUNT_LOCKED', {
      message: `尝试次数过多，账号已临时锁定，请 ${minutes} 分钟后再试`,
      details: { retryAfterSeconds: Math.ceil(msLeft / 1000) },
    });
  };

  return {
    async assertNotLocked(username) {
      const state = await limiter.get(username);
      if (state && state.consumedPoints >= policy.maxFailures) throw lockedError(state.msBeforeNext);
    },

    async recordFailure(username) {
      try {
        const state = await limiter.consume(username);
        if (state.consumedPoints < policy.maxFailures) return false;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
      }
      // The lock runs its full length from the failure that triggered it, not to the window's end.
      await limiter.block(username, policy.lockSeconds);
      return true;
    },

    async reset(username) {
      await limiter.delete(username);
    },
  };
}
