import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Redis forgot the script (a restart, a failover, SCRIPT FLUSH): the caller resends it with its source. */
export function isNoScript(err: unknown): boolean {
  return String((err as Error | undefined)?.message).includes('NOSCRIPT');
}

/**
 * A Lua script sent by its SHA1 (computed once, here), so a call ships the hash, not the source. When Redis
 * answers NOSCRIPT, the same call goes again with EVAL, which also loads the script for the next EVALSHA.
 * Hot paths (the coupon, mall and vote gates) call it: a call does no work beyond the EVALSHA itself.
 */
export class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
