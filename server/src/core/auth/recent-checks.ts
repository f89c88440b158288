import { performance } from 'node:perf_hooks';

/**
 * The per-request Redis check of a token (its user's roles version, its deny-list entry) remembered for a
 * moment, so a user's burst of requests (a vote, a grab, a page of the feed) pays one round trip, not one
 * each. Logouts and role changes made by THIS process forget the affected entries at once; those made by
 * another API process are seen within CHECK_TTL_MS. A generation counter stops a check that was in flight
 * during a forget from storing its (now stale) answer.
 */
export const CHECK_TTL_MS = 1000;
const MAX_ENTRIES = 20_000;

export interface Check {
  sub: string;
  version: string | null;
  denied: boolean;
  at: number;
}

export interface RecentChecks {
  /** The remembered check of this token, if it is younger than CHECK_TTL_MS. */
  get(jti: string): Check | undefined;
  /** The generation to hand back to remember(): read it before asking Redis. */
  generation(): number;
  remember(gen: number, jti: string, check: Omit<Check, 'at'>): void;
  /** Forgets what is known about one token (logout) or every token of one user (role change). */
  forget(target: { jti: string } | { sub: string }): void;
}

/** One per API process (its TokenChecks, built once in services.ts). */
export function createRecentChecks(): RecentChecks {
  // Two generations of at most MAX_ENTRIES / 2: when the newer is full it becomes the older and the oldest
  // half is dropped at once (evicting one entry at a time with `keys().next()` scans the deleted slots V8
  // leaves at the front of a Map, which cost microseconds per request during a rush of new users).
  let checks = new Map<string, Check>();
  let older = new Map<string, Check>();
  let generation = 0;

  return {
    get(jti) {
      const hit = checks.get(jti) ?? older.get(jti);
      if (!hit) return undefined;
      if (performance.now() - hit.at >= CHECK_TTL_MS) {
        checks.delete(jti);
        older.delete(jti);
        return undefined;
      }
      return hit;
    },

    generation: () => generation,

    remember(gen, jti, check) {
      if (gen !== generation) return;
      if (checks.size >= MAX_ENTRIES / 2) {
        older = checks;
        checks = new Map();
      }
      older.delete(jti);
      checks.set(jti, { ...check, at: performance.now() });
    },

    forget(target) {
      generation += 1;
      if ('jti' in target) {
        checks.delete(target.jti);
        older.delete(target.jti);
        return;
      }
      for (const map of [checks, older]) for (const [jti, check] of map) if (check.sub === target.sub) map.delete(jti);
    },
  };
}
