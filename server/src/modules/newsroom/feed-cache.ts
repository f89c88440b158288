import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock';

const VERSION_KEY = 'newsroom:feed:version';

export interface FeedCache {
  /** The serialised JSON for `key`, built once per feed version (and at most `ttlMs` old). */
  get(key: string, build: () => Promise<string>): Promise<string>;
  /** Publishing/withdrawing calls this: every process drops its entries on its next request. */
  invalidate(): Promise<void>;
}

/**
 * Pre-serialised feed and article responses kept in process memory, tagged with a version counter in
 * Redis. One Redis GET per request keeps every API process exact (a publish anywhere bumps the version)
 * while the JSON itself never leaves memory. The TTL only refreshes read/like counters shown in lists.
 */
export function createFeedCache(redis: Redis, clock: Clock, { maxEntries = 1000, ttlMs = 30_000 } = {}): FeedCache {
  let entries = new Map<string, { body: string; at: number }>();
  let entriesVersion: string | null = null;

  return {
    async get(key, build) {
      const version = (await redis.get(VERSION_KEY)) ?? '0';
      if (version !== entriesVersion) {
        entries = new Map();
        entriesVersion = version;
      }
      const now = clock.now().getTime();
      const hit = entries.get(key);
      if (hit && now - hit.at < ttlMs) return hit.body;
      const body = await build();
      // A publish during the build reset the map; storing would resurrect a stale page.
      if (entriesVersion === version) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(key, { body, at: now });
      }
      return body;
    },
    async invalidate() {
      await redis.incr(VERSION_KEY);
      entries = new Map();
      entriesVersion = null;
    },
  };
}
