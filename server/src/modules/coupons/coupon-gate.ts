import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The Redis gate in front of every grab. One Lua script checks the user's count and the stock and takes
 * both in one step, and logs the admission (claim id → user, seq, time) in the batch's pending hash.
 * The durable MongoDB record is written afterwards; only then is the pending entry dropped. A crash in
 * between leaves the pending entry for the reconciliation job, which writes the record from it (or gives
 * the stock back when the batch is gone) — so a coupon is neither lost nor issued twice.
 *
 * Keys share the `{batchId}` hash tag so one script touches one cluster slot.
 */

const CLAIM = `
local stock = redis.call('GET', KEYS[1])
if not stock then return {-3, 0, 0} end
local n = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if n >= tonumber(ARGV[2]) then return {-2, n, tonumber(stock)} end
if tonumber(stock) <= 0 then return {-1, n, 0} end
local left = redis.call('DECR', KEYS[1])
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
local seq = redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1] .. ':' .. seq .. ':' .. ARGV[4])
return {1, seq, left}
`;

// Gives an admitted claim back: only while it is still pending, so it happens at most once.
const RELEASE = `
local entry = redis.call('HGET', KEYS[3], ARGV[1])
if not entry then return 0 end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[1])
local user = string.match(entry, '^([^:]+):')
local n = redis.call('HINCRBY', KEYS[2], user, -1)
if n <= 0 then redis.call('HDEL', KEYS[2], user) end
return 1
`;

// (Re)builds a batch's gate from MongoDB's counts, unless it is already there.
const INIT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[4])
redis.call('SET', KEYS[1], ARGV[1])
for i = 2, #ARGV, 3 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 2])
end
return 1
`;

class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
const claimScript = new Script(CLAIM);
const releaseScript = new Script(RELEASE);
const initScript = new Script(INIT);

export type GateOutcome =
  | { ok: true; seq: number; remaining: number }
  | { ok: false; reason: 'sold_out' | 'limit_reached' | 'no_gate'; count: number; remaining: number };

export interface PendingClaim {
  claimId: string;
  userId: string;
  seq: number;
  admittedAt: Date;
}

export function gateKeys(batchId: string): [stock: string, users: string, pending: string, seqs: string] {
  const tag = `coupon:{${batchId}}`;
  return [`${tag}:stock`, `${tag}:users`, `${tag}:pending`, `${tag}:seqs`];
}

export type CouponGate = ReturnType<typeof createCouponGate>;

export function createCouponGate(redis: Redis) {
  return {
    /** Checks and takes stock + the user's quota atomically; logs the admission under `claimId`. */
    async admit(batchId: string, userId: string, perUserLimit: number, claimId: string, now: Date): Promise<GateOutcome> {
      const [code, n, left] = (await claimScript.run(redis, gateKeys(batchId), [userId, perUserLimit, claimId, now.getTime()])) as [
        number,
        number,
        number,
      ];
      if (code === 1) return { ok: true, seq: n, remaining: left };
      const reason = code === -1 ? 'sold_out' : code === -2 ? 'limit_reached' : 'no_gate';
      return { ok: false, reason, count: n, remaining: left };
    },

    /** The durable record is written: drop the pending entries. */
    async confirm(batchId: string, claimIds: readonly string[]): Promise<void> {
      if (claimIds.length > 0) await redis.hdel(gateKeys(batchId)[2], ...claimIds);
    },

    /** Gives a still-pending claim's stock and quota back; false when it was no longer pending. */
    async release(batchId: string, claimId: string): Promise<boolean> {
      return (await releaseScript.run(redis, gateKeys(batchId), [claimId])) === 1;
    },

    /**
     * Creates the gate from what MongoDB holds (stock left, per-user counts and last seqs), unless it
     * exists. Used at batch creation and when Redis lost the keys (a restart without persistence).
     */
    async init(batchId: string, stock: number, users: ReadonlyArray<{ userId: string; count: number; lastSeq: number }>): Promise<boolean> {
      const args: Array<string | number> = [Math.max(0, stock)];
      for (const u of users) args.push(u.userId, u.count, u.lastSeq);
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

    async exists(batchId: string): Promise<boolean> {
      return (await redis.exists(gateKeys(batchId)[0])) === 1;
    },

    async pending(batchId: string): Promise<PendingClaim[]> {
      const raw = await redis.hgetall(gateKeys(batchId)[2]);
      return Object.entries(raw).map(([claimId, value]) => {
        const [userId = '', seq = '0', at = '0'] = value.split(':');
        return { claimId, userId, seq: Number(seq), admittedAt: new Date(Number(at)) };
      });
    },
  };
}
