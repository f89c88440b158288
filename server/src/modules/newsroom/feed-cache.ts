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
 * Redis. Reading the version from Redis keeps every API process exact (a publish anywhere bumps it)
 * while the JSON itself never leaves memory. Requests arriving while a version read is in flight share
 * it (single flight): under load that is one Redis round trip per batch of requests, not per request.
 * The TTL only refreshes read/like counters shown in lists.
 */
export function createFeedCache(redis: Redis, clock: Clock, { maxEntries = 1000, ttlMs = 30_000 } = {}): FeedCache {
  let entries = new Map<string, { body: string; at: number }>();
  let entriesVersion: string | null = null;
  let versionRead: Promise<string> | null = null;

  function currentVersion(): Promise<string> {
    versionRead ??= redis.get(VERSION_KEY).then(
      (v) => {
        versionRead = null;
        return v ?? '0';
      },
      (err: unknown) => {
        versionRead = null;
        throw err;
      },
    );
    return versionRead;
  }

  return {
    async get(key, build) {
      const version = await currentVersion();
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
      // A read started before the INCR may still be in flight: later requests must not join it.
      versionRead = null;
    },
  };
}
