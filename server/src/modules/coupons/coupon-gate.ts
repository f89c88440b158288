import type { Redis } from 'ioredis';
import { LuaScript } from '../../core/redis/lua-script';

/**
 * The Redis gate in front of every grab. One Lua script checks the user's count and the stock and takes
 * both in one step, and logs the admission (claim id → user, seq, time, redemption code, request key) in
 * the batch's pending hash. The durable MongoDB record is written afterwards from exactly that entry; only
 * then is the pending entry dropped. A crash in between leaves the pending entry for the reconciliation
 * job, which writes the same record from it (or gives the stock back when it can't) — so a coupon is
 * neither lost nor issued twice.
 *
 * Retries: a claim that carries the client's request key (its Idempotency-Key) is remembered in the
 * batch's `reqs` hash (user:key → claim id) in the same step. A retry with the same key gets that claim
 * back instead of a second admission — whether the first answer was lost, or its record is still on its
 * way to MongoDB. Refusals take nothing and are not remembered: a retried refusal simply asks again.
 *
 * Keys share the `{batchId}` hash tag so one script touches one cluster slot.
 */

const CLAIM = `
if ARGV[6] ~= '' then
  local prior = redis.call('HGET', KEYS[5], ARGV[1] .. ':' .. ARGV[6])
  if prior then
    return {2, 0, tonumber(redis.call('GET', KEYS[1]) or '0'), prior, redis.call('HGET', KEYS[3], prior)}
  end
end
local stock = redis.call('GET', KEYS[1])
if not stock then return {-3, 0, 0} end
local n = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if n >= tonumber(ARGV[2]) then return {-2, n, tonumber(stock)} end
if tonumber(stock) <= 0 then return {-1, n, 0} end
local left = redis.call('DECR', KEYS[1])
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
local seq = redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1] .. ':' .. seq .. ':' .. ARGV[4] .. ':' .. ARGV[5] .. ':' .. ARGV[6])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[5], ARGV[1] .. ':' .. ARGV[6], ARGV[3]) end
return {1, seq, left}
`;

// Gives an admitted claim back: only while it is still pending, so it happens at most once. Its request
// key is forgotten too, so a retry of that request is a new claim.
const RELEASE = `
local entry = redis.call('HGET', KEYS[3], ARGV[1])
if not entry then return 0 end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[1])
local parts = {}
for part in string.gmatch(entry .. ':', '([^:]*):') do parts[#parts + 1] = part end
local user, key = parts[1], parts[5]
local n = redis.call('HINCRBY', KEYS[2], user, -1)
if n <= 0 then redis.call('HDEL', KEYS[2], user) end
if key and key ~= '' then redis.call('HDEL', KEYS[5], user .. ':' .. key) end
return 1
`;

// (Re)builds a batch's gate from MongoDB's records, unless it is already there. ARGV: stock, the number
// of users, then (user, count, lastSeq) per user, then (user:key, claim id) per recorded request key.
const INIT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[4], KEYS[5])
redis.call('SET', KEYS[1], ARGV[1])
local users = tonumber(ARGV[2])
local i = 3
for _ = 1, users do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 2])
  i = i + 3
end
while i < #ARGV do
  redis.call('HSET', KEYS[5], ARGV[i], ARGV[i + 1])
  i = i + 2
end
return 1
`;

const claimScript = new LuaScript(CLAIM);
const releaseScript = new LuaScript(RELEASE);
const initScript = new LuaScript(INIT);

export type GateOutcome =
  | { ok: true; replay: false; seq: number; remaining: number }
  /** A retry of an admitted request (same user, same key): its claim id and, while unrecorded, its pending entry. */
  | { ok: true; replay: true; claimId: string; pending: PendingClaim | null; remaining: number }
  | { ok: false; reason: 'sold_out' | 'limit_reached' | 'no_gate'; count: number; remaining: number };

export interface PendingClaim {
  claimId: string;
  userId: string;
  seq: number;
  admittedAt: Date;
  /** The redemption code the user was given (absent in entries logged before codes were). */
  code: string | null;
  /** The client's request key, or null. */
  requestKey: string | null;
}

export interface Admission {
  userId: string;
  perUserLimit: number;
  claimId: string;
  now: Date;
  /** The coupon's redemption code, logged so a record written later carries the code the user saw. */
  code: string;
  /** The client's Idempotency-Key (8–128 of [A-Za-z0-9_-], so never a ':'), or null. */
  requestKey: string | null;
}

export function gateKeys(batchId: string): [stock: string, users: string, pending: string, seqs: string, reqs: string] {
  const tag = `coupon:{${batchId}}`;
  return [`${tag}:stock`, `${tag}:users`, `${tag}:pending`, `${tag}:seqs`, `${tag}:reqs`];
}

/** When a lost gate was first seen missing (see lostSince); same slot as the gate. */
const lostKey = (batchId: string) => `coupon:{${batchId}}:lost`;

function parsePending(claimId: string, value: string): PendingClaim {
  const [userId = '', seq = '0', at = '0', code = '', key = ''] = value.split(':');
  return { claimId, userId, seq: Number(seq), admittedAt: new Date(Number(at)), code: code || null, requestKey: key || null };
}

export type CouponGate = ReturnType<typeof createCouponGate>;

/** The gate over one Redis client (no state of its own: everything lives in Redis, the scripts are module constants). */
export function createCouponGate(redis: Redis) {
  return {
    /**
     * Checks and takes stock + the user's quota atomically and logs the admission under `claimId` — or,
     * when this user already sent `requestKey` on this batch, answers with that earlier claim instead.
     */
    async admit(batchId: string, a: Admission): Promise<GateOutcome> {
      const reply = (await claimScript.run(redis, gateKeys(batchId), [
        a.userId,
        a.perUserLimit,
        a.claimId,
        a.now.getTime(),
        a.code,
        a.requestKey ?? '',
      ])) as [number, number, number, string?, (string | null)?];
      const [code, n, left] = reply;
      if (code === 1) return { ok: true, replay: false, seq: n, remaining: left };
      if (code === 2) {
        const claimId = reply[3]!;
        const entry = reply[4];
        return { ok: true, replay: true, claimId, pending: entry ? parsePending(claimId, entry) : null, remaining: Math.max(0, left) };
      }
      const reason = code === -1 ? 'sold_out' : code === -2 ? 'limit_reached' : 'no_gate';
      return { ok: false, reason, count: n, remaining: left };
    },

    /** The durable records are written: drop the pending entries. */
    async confirm(batchId: string, claimIds: readonly string[]): Promise<void> {
      if (claimIds.length > 0) await redis.hdel(gateKeys(batchId)[2], ...claimIds);
    },

    /** Gives a still-pending claim's stock and quota back; false when it was no longer pending. */
    async release(batchId: string, claimId: string): Promise<boolean> {
      return (await releaseScript.run(redis, gateKeys(batchId), [claimId])) === 1;
    },

    /**
     * Creates the gate from what MongoDB holds (stock left, per-user counts and last seqs, the request keys
     * of recorded claims), unless it exists. Used at batch creation and when Redis lost the keys.
     */
    async init(
      batchId: string,
      stock: number,
      users: ReadonlyArray<{ userId: string; count: number; lastSeq: number }>,
      requests: ReadonlyArray<{ userId: string; requestKey: string; claimId: string }> = [],
    ): Promise<boolean> {
      const args: Array<string | number> = [Math.max(0, stock), users.length];
      for (const u of users) args.push(u.userId, u.count, u.lastSeq);
      for (const r of requests) args.push(`${r.userId}:${r.requestKey}`, r.claimId);
      return (await initScript.run(redis, gateKeys(batchId), args)) === 1;
    },

    async remaining(batchIds: readonly string[]): Promise<Map<string, number | null>> {
      if (batchIds.length === 0) return new Map();
      const values = await redis.mget(...batchIds.map((id) => gateKeys(id)[0]));
      return new Map(batchIds.map((id, i) => [id, values[i] == null ? null : Math.max(0, Number(values[i]))]));
    },

    /** Deletes a settled batch's gate (reconciliation, once its window is long closed and nothing is pending). */
    async drop(batchId: string): Promise<boolean> {
      return (await redis.del(...gateKeys(batchId))) > 0;
    },

    /**
     * The gate was found missing at `now` (ms): remembers the first sighting (one key, kept a day) and returns
     * it, so every process counts the same quiet period from it.
     */
    async lostSince(batchId: string, now: number): Promise<number> {
      const key = lostKey(batchId);
      const [, first] = (await redis.multi().set(key, now, 'PX', 86_400_000, 'NX').get(key).exec()) ?? [];
      const at = Number(first?.[1]);
      return Number.isFinite(at) ? at : now;
    },

    /** The gate is back: the next loss starts its own quiet period. */
    async forgetLoss(batchId: string): Promise<void> {
      await redis.del(lostKey(batchId));
    },

    async exists(batchId: string): Promise<boolean> {
      return (await redis.exists(gateKeys(batchId)[0])) === 1;
    },

    async pending(batchId: string): Promise<PendingClaim[]> {
      const raw = await redis.hgetall(gateKeys(batchId)[2]);
      return Object.entries(raw).map(([claimId, value]) => parsePending(claimId, value));
    },
  };
}
