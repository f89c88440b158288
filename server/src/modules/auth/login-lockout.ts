import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock';
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

const key = (username: string) => `lockout:staff:${username}`;
/** Real-time expiry only tidies keys away; the window and the lock are judged on the business clock. */
const GRACE_MS = 60_000;

/**
 * One step, atomic in Redis: count a failure in the current window (a new window starts when the last
 * one is over) and lock when the count reaches the maximum. A failure while already locked changes
 * nothing, so concurrent failures lock (and audit) once. Returns 1 when this call locked the account.
 * KEYS[1] the username's hash; ARGV now, windowMs, maxFailures, lockMs, graceMs (all ms from `clock`).
 */
const RECORD_FAILURE = `
local now, windowMs, maxFailures, lockMs, grace = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local h = redis.call('HMGET', KEYS[1], 'n', 'start', 'until')
local n, start, lockedUntil = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0
if lockedUntil > now then return 0 end
if n == 0 or now - start >= windowMs then n = 0; start = now end
n = n + 1
if n >= maxFailures then
  redis.call('HSET', KEYS[1], 'n', 0, 'start', now, 'until', now + lockMs)
  redis.call('PEXPIRE', KEYS[1], lockMs + grace)
  return 1
end
redis.call('HSET', KEYS[1], 'n', n, 'start', start, 'until', 0)
redis.call('PEXPIRE', KEYS[1], math.max(start + windowMs - now, 0) + grace)
return 0
`;

/**
 * Failed staff logins counted per username in Redis, so every API process shares the count and the
 * increments are atomic. Counting per username (not per IP) stops a password being guessed from many
 * addresses; the per-IP route rate limit stops one address from locking out many accounts cheaply.
 * Time comes from the business clock (stored in the hash), so tests can move past a lock.
 */
export function createLoginLockout(redis: Redis, clock: Clock, policy: LockoutPolicy = STAFF_LOCKOUT): LoginLockout {
  const lockedError = (msLeft: number) => {
    const minutes = Math.max(1, Math.ceil(msLeft / 60_000));
    return new AppError('ACCOUNT_LOCKED', {
      message: `尝试次数过多，账号已临时锁定，请 ${minutes} 分钟后再试`,
      details: { retryAfterSeconds: Math.ceil(msLeft / 1000) },
    });
  };
  return {
    async assertNotLocked(username) {
      const lockedUntil = Number((await redis.hget(key(username), 'until')) ?? 0);
      const msLeft = lockedUntil - clock.now().getTime();
      if (msLeft > 0) throw lockedError(msLeft);
    },
    async recordFailure(username) {
      const locked = await redis.eval(
        RECORD_FAILURE,
        1,
        key(username),
        clock.now().getTime(),
        policy.windowSeconds * 1000,
        policy.maxFailures,
        policy.lockSeconds * 1000,
        GRACE_MS,
      );
      return locked === 1;
    },
    async reset(username) {
      await redis.del(key(username));
    },
  };
}
