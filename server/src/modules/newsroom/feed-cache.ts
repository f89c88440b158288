import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock';

const VERSION_KEY = 'newsroom:feed:version';

/** A response body serialised once: the bytes sent as they are and a validator for conditional GETs. */
export interface CachedJson {
  body: Buffer;
  /** Weak ETag of the body (If-None-Match → 304). */
  etag: string;
}

export interface FeedCache {
  /** The serialised JSON for `key`, built once per feed version (and at most `ttlMs` old). */
  get(key: string, build: () => Promise<string>): Promise<CachedJson>;
  /**
   * What get() would answer at once for `key` without waiting for anything (a fresh hit), else undefined:
   * a miss, an expired entry, or a version that must be re-read first. Like get(), a version read older
   * than `versionCheckMs` is refreshed in the background.
   */
  peek(key: string): CachedJson | undefined;
  /** Publishing/withdrawing calls this: this process forgets at once, every other one within `versionCheckMs`. */
  invalidate(): Promise<void>;
}

export interface FeedCacheOptions {
  maxEntries?: number;
  /** Longest an entry is served (read/like counters in lists); the injected clock decides. */
  ttlMs?: number;
  /**
   * How long a version read from Redis is trusted: after it, a request re-reads the version in the
   * background and is answered from memory meanwhile. It bounds (plus one Redis round trip) how long
   * another API process's publish can go unseen here while requests keep coming.
   */
  versionCheckMs?: number;
  /** After this long without a version read (an idle process), a request waits for a fresh read. */
  versionWaitMs?: number;
}

interface Entry extends CachedJson {
  at: number;
}

/**
 * Pre-serialised feed and article responses (Buffers, with their ETag) kept in process memory, tagged
 * with a version counter in Redis that every publish/withdraw bumps. A hit is a Map lookup: the version
 * is re-read in the background (one read at a time) when the last read is older than `versionCheckMs`,
 * so another process's publish shows here within about that time; an idle process (no read for
 * `versionWaitMs`) waits for the read. This process's own invalidate() empties the map at once. Misses for
 * the same key share one build (no stampede on Mongo after a publish). The TTL only refreshes read/like
 * counters shown in lists. One per API process, built in services.ts: the newsroom service (routes, jobs,
 * submissions, the seed) and the anonymous fast path in app.ts share it.
 */
export function createFeedCache(
  redis: Redis,
  clock: Clock,
  { maxEntries = 1000, ttlMs = 30_000, versionCheckMs = 100, versionWaitMs = 1000 }: FeedCacheOptions = {},
): FeedCache {
  let entries = new Map<string, Entry>();
  const building = new Map<string, Promise<Entry>>();
  /** The version `entries` belong to; null until the first read. */
  let version: string | null = null;
  let checkedAt = -Infinity;
  /** Bumped whenever `entries` is replaced: builds and version reads begun before it are discarded. */
  let generation = 0;
  let versionRead: Promise<void> | null = null;

  function adopt(v: string): void {
    if (v === version) return;
    version = v;
    entries = new Map();
    building.clear();
    generation += 1;
  }

  function checkVersion(): Promise<void> {
    if (versionRead) return versionRead;
    const started = performance.now();
    const gen = generation;
    const read = redis.get(VERSION_KEY).then(
      (v) => {
        if (versionRead === read) versionRead = null;
        // An invalidate() since this read began already knows a newer version.
        if (gen !== generation) return;
        adopt(v ?? '0');
        checkedAt = started;
      },
      (err: unknown) => {
        if (versionRead === read) versionRead = null;
        throw err;
      },
    );
    versionRead = read;
    return read;
  }

  async function build(key: string, make: () => Promise<string>): Promise<Entry> {
    const gen = generation;
    const text = await make();
    const body = Buffer.from(text);
    const entry: Entry = { body, etag: `W/"${createHash('sha1').update(body).digest('base64url')}"`, at: clock.now().getTime() };
    // A publish during the build replaced the map; storing would resurrect a stale page.
    if (gen === generation) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, entry);
    }
    return entry;
  }

  return {
    async get(key, make) {
      const age = performance.now() - checkedAt;
      if (version === null || age >= Math.max(versionWaitMs, versionCheckMs)) await checkVersion();
      // Recent enough to answer now; the re-read lands before the next requests (no request waits on Redis).
      else if (age >= versionCheckMs) checkVersion().catch(() => undefined);
      const hit = entries.get(key);
      if (hit && clock.now().getTime() - hit.at < ttlMs) return hit;
      let pending = building.get(key);
      if (!pending) {
        const gen = generation;
        pending = build(key, make).finally(() => {
          if (generation === gen) building.delete(key);
        });
        building.set(key, pending);
      }
      return pending;
    },
    peek(key) {
      if (version === null) return undefined;
      const age = performance.now() - checkedAt;
      if (age >= Math.max(versionWaitMs, versionCheckMs)) return undefined;
      if (age >= versionCheckMs) checkVersion().catch(() => undefined);
      const hit = entries.get(key);
      return hit && clock.now().getTime() - hit.at < ttlMs ? hit : undefined;
    },
    async invalidate() {
      const next = await redis.incr(VERSION_KEY);
      // Forget now even if a newer version was already adopted (another invalidate raced this one).
      version = null;
      adopt(String(next));
      checkedAt = performance.now();
      versionRead = null;
    },
  };
}
