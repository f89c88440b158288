import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Deletes the lock only if it still holds our token: never release a lock another process took over. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export type LockOutcome<T> = { ran: true; value: T } | { ran: false };

export interface WithLockOptions {
  /**
   * Keep the lock until its TTL expires instead of releasing it when `fn` finishes. Cron jobs use this
   * with a per-run lock name so a peer whose timer fires a moment later does not run the same slot again.
   */
  holdUntilExpiry?: boolean;
}

export interface Locks {
  /**
   * Runs `fn` only if this process obtains the lock `name` (Redis SET NX PX with a random token).
   * Returns `{ ran: false }` at once when another holder has it. `ttlMs` bounds how long a crashed
   * holder can block others; choose it longer than `fn` takes.
   */
  withLock<T>(name: string, ttlMs: number, fn: () => Promise<T>, options?: WithLockOptions): Promise<LockOutcome<T>>;
}

export function createLocks(redis: Redis): Locks {
  return {
    async withLock(name, ttlMs, fn, options = {}) {
      const key = `lock:${name}`;
      const token = randomBytes(16).toString('hex');
      const acquired = await redis.set(key, token, 'PX', ttlMs, 'NX');
      if (acquired !== 'OK') return { ran: false };
      try {
        return { ran: true, value: await fn() };
      } finally {
        if (!options.holdUntilExpiry) await redis.eval(RELEASE_SCRIPT, 1, key, token);
      }
    },
  };
}
