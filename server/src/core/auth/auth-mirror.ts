import type { Redis } from 'ioredis';
import { ACCESS_TOKEN_TTL_SECONDS } from './access-tokens';

/**
 * Each API process keeps a copy of the two Redis facts a token check needs — which tokens were logged out
 * (`auth:deny:<jti>`) and which users' roles changed (`auth:rv:<user>`) — so a request with a token makes
 * no Redis call at all (a coupon grab's claimants all carry tokens the process has never seen, so the
 * 1-second check cache of recent-checks.ts never hits for them).
 *
 * How it stays right: the writers (denyAccessToken, publishRolesVersion) set the Redis key as before and
 * PUBLISH the change on AUTH_CHANGES_CHANNEL; TokenChecks, which called them, applies it to this process's
 * copy at once (noteDenied, noteVersion). Every process subscribes on a connection of its own, and only
 * after it is subscribed does it read the existing keys (SCAN): a change made meanwhile arrives as a
 * message, so nothing falls between the two. Entries live one token lifetime (like the keys), versions only
 * grow. Whenever the subscription is not up — starting,
 * reconnecting, re-reading, or a Redis without pub/sub — `check` answers undefined and authenticate asks
 * Redis as before. Another process's logout or role change is seen once its message arrives (milliseconds).
 */
export const AUTH_CHANGES_CHANNEL = 'auth:changes';
const KEEP_MS = (ACCESS_TOKEN_TTL_SECONDS + 120) * 1000;
const SCAN_COUNT = 1000;

export interface MirrorCheck {
  version: string | null;
  denied: boolean;
}

export interface AuthMirror {
  /** The token's check from this process's copy, or undefined when the copy can't be trusted right now. */
  check(sub: string, jti: string): MirrorCheck | undefined;
  /** Whether checks are answered from memory (tests and diagnostics). */
  readonly live: boolean;
  /** How many times the keys were read in after (re)subscribing (tests and diagnostics). */
  readonly reads: number;
}

/** The mirror as its owner (TokenChecks) holds it: this process's own changes go in at once, close() stops it. */
export interface OwnedAuthMirror extends AuthMirror {
  /** Called by the writers after setting the key: this process's copy learns the change without waiting for its message. */
  noteDenied(jti: string): void;
  noteVersion(sub: string, version: number): void;
  /** Unsubscribes and stops pruning (also done when the Redis client ends). */
  close(): void;
}

interface Copy {
  denied: Map<string, number>;
  versions: Map<string, { version: number; until: number }>;
  applyDenied(jti: string): void;
  applyVersion(sub: string, version: number): void;
}

function newCopy(): Copy {
  const denied = new Map<string, number>();
  const versions = new Map<string, { version: number; until: number }>();
  return {
    denied,
    versions,
    applyDenied(jti) {
      denied.set(jti, Date.now() + KEEP_MS);
    },
    applyVersion(sub, version) {
      const known = versions.get(sub);
      if (!known || known.version < version) versions.set(sub, { version, until: Date.now() + KEEP_MS });
      else known.until = Date.now() + KEEP_MS;
    },
  };
}

/** Message text on AUTH_CHANGES_CHANNEL. */
export const deniedMessage = (jti: string) => `d ${jti}`;
export const versionMessage = (sub: string, version: number) => `v ${sub} ${version}`;

function applyMessage(copy: Copy, message: string): void {
  const [kind, a, b] = message.split(' ');
  if (kind === 'd' && a) copy.applyDenied(a);
  else if (kind === 'v' && a && b !== undefined && Number.isFinite(Number(b))) copy.applyVersion(a, Number(b));
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys;
}

/**
 * Starts this process's mirror on its own subscriber connection (a duplicate of `redis`). Built once per app
 * by TokenChecks (services.ts), which owns it and closes it.
 */
export function startAuthMirror(redis: Redis): OwnedAuthMirror {
  const copy = newCopy();
  let live = false;
  let reads = 0;
  // Bumped whenever the subscription drops: a re-read that started before the drop must not go live.
  let epoch = 0;
  const notLive: OwnedAuthMirror = {
    check: () => undefined,
    get live() {
      return false;
    },
    reads: 0,
    noteDenied: (jti) => copy.applyDenied(jti),
    noteVersion: (sub, version) => copy.applyVersion(sub, version),
    close: () => undefined,
  };
  if (typeof redis.duplicate !== 'function') return notLive;
  let subscriber: Redis;
  try {
    subscriber = redis.duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
  } catch {
    return notLive;
  }
  // Errors show up on the main client's log; here a drop only means "ask Redis until re-read".
  subscriber.on('error', () => undefined);
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === AUTH_CHANGES_CHANNEL) applyMessage(copy, message);
  });
  const goLive = async () => {
    const mine = ++epoch;
    live = false;
    try {
      await subscriber.subscribe(AUTH_CHANGES_CHANNEL);
      const [deniedKeys, versionKeys] = await Promise.all([scanKeys(redis, 'auth:deny:*'), scanKeys(redis, 'auth:rv:*')]);
      for (const key of deniedKeys) copy.applyDenied(key.slice('auth:deny:'.length));
      for (let i = 0; i < versionKeys.length; i += 500) {
        const chunk = versionKeys.slice(i, i + 500);
        const values = await redis.mget(...chunk);
        chunk.forEach((key, j) => {
          const v = values[j];
          if (v !== null && v !== undefined) copy.applyVersion(key.slice('auth:rv:'.length), Number(v));
        });
      }
      if (mine === epoch) {
        reads += 1;
        live = true;
      }
    } catch {
      // Stays not live; the next 'ready' (reconnect) tries again.
    }
  };
  subscriber.on('ready', () => void goLive());
  subscriber.on('close', () => {
    epoch += 1;
    live = false;
  });
  subscriber.connect().catch(() => undefined);
  // Forget expired entries now and then (tokens and keys are gone by then).
  const prune = setInterval(() => {
    const now = Date.now();
    for (const [jti, until] of copy.denied) if (until < now) copy.denied.delete(jti);
    for (const [sub, v] of copy.versions) if (v.until < now) copy.versions.delete(sub);
  }, 60_000);
  prune.unref();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(prune);
    epoch += 1;
    live = false;
    subscriber.disconnect();
  };
  // At the latest, the mirror ends with the client it mirrors for.
  redis.once('end', stop);
  return {
    check(sub, jti) {
      if (!live) return undefined;
      const version = copy.versions.get(sub);
      return { version: version ? String(version.version) : null, denied: copy.denied.has(jti) };
    },
    get live() {
      return live;
    },
    get reads() {
      return reads;
    },
    noteDenied: (jti) => copy.applyDenied(jti),
    noteVersion: (sub, version) => copy.applyVersion(sub, version),
    close() {
      redis.off('end', stop);
      stop();
    },
  };
}
