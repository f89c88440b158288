import type { Redis } from 'ioredis';

/**
 * The Redis side of public voting: one Lua script decides whether a vote fits the per-user daily limits
 * and, if so, counts it (limits + tally + in-flight) in one atomic step, so 500 concurrent votes from one
 * user pass exactly `perUserPerDay` times. The stored vote (MongoDB) is the record; the Redis tally is a
 * fast view of it, rebuilt from the stored votes when missing and on reconciliation.
 *
 * Keys (one contest): cv:{c}:t = tally hash (entryId → votes, `__init` once built), cv:{c}:u:{user}:{day},
 * cv:{c}:ue:{user}:{entry}:{day} = daily counters, cv:{c}:inflight = gated votes not yet stored,
 * cv:{c}:paused = reconciliation in progress.
 */
const GATE = `
if redis.call('EXISTS', KEYS[5]) == 1 then return {-4, 0, 0, 0} end
if redis.call('HEXISTS', KEYS[3], '__init') == 0 then return {-3, 0, 0, 0} end
if redis.call('EXISTS', KEYS[1]) == 0 then return {-5, 0, 0, 0} end
local total = tonumber(redis.call('GET', KEYS[1]) or '0')
if total >= tonumber(ARGV[1]) then return {-1, total, 0, 0} end
local per = tonumber(redis.call('GET', KEYS[2]) or '0')
if per >= tonumber(ARGV[2]) then return {-2, total, per, 0} end
total = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
per = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[4])
local tally = redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
redis.call('INCR', KEYS[4])
return {1, total, per, tally}`;

/** Gives a gated vote back when storing it failed (nothing was recorded, so nothing counts). */
const RELEASE = `
local t = redis.call('DECR', KEYS[1])
if t < 0 then redis.call('SET', KEYS[1], 0) end
local p = redis.call('DECR', KEYS[2])
if p < 0 then redis.call('SET', KEYS[2], 0) end
if redis.call('HEXISTS', KEYS[3], '__init') == 1 then redis.call('HINCRBY', KEYS[3], ARGV[1], -1) end
if tonumber(redis.call('GET', KEYS[4]) or '0') > 0 then redis.call('DECR', KEYS[4]) end
return 1`;

const DECR_FLOOR = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/** Seeds a daily counter from the stored votes when Redis lost it (restart without persistence, flush). */
const SEED = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 1`;

export type GateOutcome =
  | { ok: true; total: number; perEntry: number; tally: number }
  | { ok: false; reason: 'user_limit' | 'entry_limit' | 'tally_missing' | 'counters_missing' | 'paused'; total: number; perEntry: number };

export interface VoteKeys {
  user: string;
  userEntry: string;
  tally: string;
  inflight: string;
  paused: string;
}

/** Counters outlive their Shanghai day by a margin, then expire. */
const COUNTER_TTL_SECONDS = 2 * 24 * 3600;

export function voteKeys(contestId: string, userId: string, entryId: string, day: string): VoteKeys {
  return {
    user: `cv:${contestId}:u:${userId}:${day}`,
    userEntry: `cv:${contestId}:ue:${userId}:${entryId}:${day}`,
    tally: tallyKey(contestId),
    inflight: `cv:${contestId}:inflight`,
    paused: `cv:${contestId}:paused`,
  };
}

export const tallyKey = (contestId: string) => `cv:${contestId}:t`;

export function createVoteGate(redis: Redis) {
  return {
    /**
     * Seeds a user's daily counters (total and per entry) from the stored votes. The Lua gate asks for
     * this when the user's day counter is missing: the first vote of the day, or after Redis lost its
     * data. Per-entry counters are created together with it, so once it exists a missing one means 0.
     */
    async seedDay(
      keys: VoteKeys,
      total: number,
      perEntry: ReadonlyMap<string, number>,
      entryKey: (entryId: string) => string,
    ): Promise<void> {
      const multi = redis.multi();
      for (const [entryId, n] of perEntry) multi.eval(SEED, 1, entryKey(entryId), n, COUNTER_TTL_SECONDS);
      multi.eval(SEED, 1, keys.user, total, COUNTER_TTL_SECONDS);
      await multi.exec();
    },

    async pass(keys: VoteKeys, limits: { perUserPerDay: number; perEntryPerDay: number }, entryId: string): Promise<GateOutcome> {
      const [code, total, perEntry, tally] = (await redis.eval(
        GATE,
        5,
        keys.user,
        keys.userEntry,
        keys.tally,
        keys.inflight,
        keys.paused,
        limits.perUserPerDay,
        limits.perEntryPerDay,
        entryId,
        COUNTER_TTL_SECONDS,
      )) as [number, number, number, number];
      if (code === 1) return { ok: true, total, perEntry, tally };
      const reasons = { [-1]: 'user_limit', [-2]: 'entry_limit', [-3]: 'tally_missing', [-5]: 'counters_missing' } as const;
      const reason = reasons[code as -1 | -2 | -3 | -5] ?? 'paused';
      return { ok: false, reason, total, perEntry };
    },

    async release(keys: VoteKeys, entryId: string): Promise<void> {
      await redis.eval(RELEASE, 4, keys.user, keys.userEntry, keys.tally, keys.inflight, entryId);
    },

    /** The vote is stored: it no longer holds up reconciliation. */
    async stored(keys: VoteKeys): Promise<void> {
      await redis.eval(DECR_FLOOR, 1, keys.inflight);
    },

    async tally(contestId: string): Promise<Map<string, number> | null> {
      const raw = await redis.hgetall(tallyKey(contestId));
      if (raw.__init === undefined) return null;
      const map = new Map<string, number>();
      for (const [k, v] of Object.entries(raw)) if (k !== '__init') map.set(k, Number(v));
      return map;
    },

    async entryTally(contestId: string, entryId: string): Promise<number> {
      return Number((await redis.hget(tallyKey(contestId), entryId)) ?? 0);
    },

    /**
     * Replaces the tally with counts from the stored votes. Pauses the gate and waits (≤ waitMs) for
     * votes already gated to be stored, so none is counted twice or lost by the rebuild.
     */
    async rebuild(contestId: string, count: () => Promise<Map<string, number>>, waitMs = 2000): Promise<Map<string, number>> {
      const paused = `cv:${contestId}:paused`;
      const inflight = `cv:${contestId}:inflight`;
      await redis.set(paused, '1', 'PX', waitMs + 10_000);
      try {
        const until = Date.now() + waitMs;
        while (Number((await redis.get(inflight)) ?? 0) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        const counts = await count();
        const key = tallyKey(contestId);
        const multi = redis.multi().del(key).hset(key, '__init', '1');
        for (const [entryId, n] of counts) multi.hset(key, entryId, n);
        multi.set(inflight, 0);
        await multi.exec();
        return counts;
      } finally {
        await redis.del(paused);
      }
    },

    /** Distinct voters seen on one device today; returns the count after adding this voter. */
    async deviceVoters(contestId: string, deviceId: string, day: string, userId: string): Promise<number> {
      const key = `cv:${contestId}:dev:${deviceId}:${day}`;
      const replies = await redis.multi().sadd(key, userId).expire(key, COUNTER_TTL_SECONDS).scard(key).exec();
      return Number(replies?.[2]?.[1] ?? 0);
    },

    async subtract(contestId: string, entryId: string): Promise<void> {
      const key = tallyKey(contestId);
      if (await redis.hexists(key, '__init')) await redis.hincrby(key, entryId, -1);
    },
  };
}
export type VoteGate = ReturnType<typeof createVoteGate>;
