import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from '../../core/redis/lua-script';

/**
 * The Redis side of public voting. One Lua script per vote, one round trip: it checks that the contest's
 * gate is open (not paused for a rebuild, not closed by the freeze, and configured as this process
 * believes), checks and takes the user's daily limits (total and per entry), counts the vote in the
 * tally, tracks the voters of the device, and logs the vote in the contest's pending hash — all
 * atomically, so 500 concurrent votes from one user pass exactly `perUserPerDay` times and every counted
 * vote is in the log. The durable MongoDB record is written afterwards in batches (vote-writer.ts); only
 * then is the pending entry dropped. A crash in between leaves the entry for reconciliation, which writes
 * the record from it under the same vote id — so the tally always equals the stored votes once the log is
 * drained.
 *
 * Keys of one contest c:
 *   cv:c:t             tally hash: entryId → votes; `__init` once built; `__d:DAY` once DAY's counters exist
 *   cv:c:d:DAY         the day's counters: userId → votes today, `userId:entryId` → votes for that entry today
 *   cv:c:p             pending log: voteId → `user|entry|day|atMs|device|ip|flag` (not yet in MongoDB)
 *   cv:c:s             state: `ver` (config version, bumped on every change), `closed` (set by the freeze)
 *   cv:c:paused        set (with an expiry) while the tally or a day's counters are rebuilt
 *   cv:c:lost          when a process first found the tally or a day's counters missing (a Redis data loss),
 *                      in ms; the rebuild waits a quiet period from it and deletes it
 *   cv:c:dev:D:DAY     voters seen on device D that day;  cv:c:burst:DAY  devices over the line that day
 *   cv:c:k:U:KEY       a vote sent with an Idempotency-Key: `voteId|entryId` (kept a day)
 *
 * Retries: a vote that carries the client's Idempotency-Key is remembered (user + key → vote id) in the same
 * step, so a retry gets that vote back instead of a second one — whether the first answer was lost or its
 * record is still on its way. The key is logged with the vote and stored on its record, so a gate rebuilt
 * from MongoDB recognises it too (rememberKeys). A vote without a key costs the script nothing more.
 */
const GATE = `
if redis.call('EXISTS', KEYS[5]) == 1 then return {-4, 0, 0, 0, 0} end
local keyed = ARGV[13] ~= ''
if keyed then
  local prior = redis.call('GET', KEYS[9])
  if prior then
    local sep = string.find(prior, '|', 1, true)
    if string.sub(prior, sep + 1) ~= ARGV[3] then return {-8, 0, 0, 0, 0} end
    local ue = ARGV[2] .. ':' .. ARGV[3]
    return {2, tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0'), tonumber(redis.call('HGET', KEYS[2], ue) or '0'),
      tonumber(redis.call('HGET', KEYS[1], ARGV[3]) or '0'), 0, string.sub(prior, 1, sep - 1)}
  end
end
local st = redis.call('HMGET', KEYS[4], 'ver', 'closed')
if st[2] then return {-7, 0, 0, 0, 0} end
if st[1] ~= ARGV[1] then return {-6, 0, 0, 0, 0} end
if redis.call('HEXISTS', KEYS[1], '__init') == 0 then
  redis.call('SET', KEYS[8], ARGV[12], 'PX', 86400000, 'NX')
  return {-3, tonumber(redis.call('GET', KEYS[8])), 0, 0, 0}
end
local fresh = redis.call('EXISTS', KEYS[2]) == 0
if fresh and redis.call('HEXISTS', KEYS[1], '__d:' .. ARGV[4]) == 1 then
  redis.call('SET', KEYS[8], ARGV[12], 'PX', 86400000, 'NX')
  return {-5, tonumber(redis.call('GET', KEYS[8])), 0, 0, 0}
end
local ue = ARGV[2] .. ':' .. ARGV[3]
local total = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
if total >= tonumber(ARGV[5]) then return {-1, total, 0, 0, 0} end
local per = tonumber(redis.call('HGET', KEYS[2], ue) or '0')
if per >= tonumber(ARGV[6]) then return {-2, total, per, 0, 0} end
total = redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
per = redis.call('HINCRBY', KEYS[2], ue, 1)
if fresh then
  redis.call('EXPIRE', KEYS[2], ARGV[10])
  redis.call('HSET', KEYS[1], '__d:' .. ARGV[4], '1')
end
local tally = redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
local flag = 0
if ARGV[11] ~= '' then
  redis.call('SADD', KEYS[6], ARGV[2])
  redis.call('EXPIRE', KEYS[6], ARGV[10])
  local n = redis.call('SCARD', KEYS[6])
  local max = tonumber(ARGV[7])
  if n > max then
    flag = 1
    if n == max + 1 then flag = 2 end
    redis.call('SADD', KEYS[7], ARGV[11])
    redis.call('EXPIRE', KEYS[7], ARGV[10])
  end
end
if keyed then
  redis.call('SET', KEYS[9], ARGV[8] .. '|' .. ARGV[3], 'EX', ARGV[13])
  redis.call('HSET', KEYS[3], ARGV[8], ARGV[9] .. '|' .. flag .. '|' .. ARGV[14])
else
  redis.call('HSET', KEYS[3], ARGV[8], ARGV[9] .. '|' .. flag)
end
return {1, total, per, tally, flag}`;

/**
 * Replaces the tally (and, when given, one day's counters) with counts from MongoDB; keeps the day markers.
 * The loss (if any) is over: its first-sighting mark goes, so the next loss gets its own quiet period.
 */
const REBUILD = `
redis.call('DEL', KEYS[3])
local markers = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 4) == '__d:' then table.insert(markers, all[i]) end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '__init', '1')
for _, m in ipairs(markers) do redis.call('HSET', KEYS[1], m, '1') end
local n = tonumber(ARGV[1])
for i = 2, 1 + 2 * n, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[2 + 2 * n] ~= '' then
  local day = ARGV[2 + 2 * n]
  redis.call('DEL', KEYS[2])
  for i = 4 + 2 * n, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
  redis.call('HSET', KEYS[2], '__seeded', '1')
  redis.call('EXPIRE', KEYS[2], ARGV[3 + 2 * n])
  redis.call('HSET', KEYS[1], '__d:' .. day, '1')
end
return 1`;

/**
 * Whether the tally, or `day`'s counters (the day was counted, its counters are gone), are missing: then the
 * first sighting (ms) — recorded now if no process saw it before —, else 0.
 */
const LOST = `
local gone = redis.call('HEXISTS', KEYS[1], '__init') == 0
if not gone and redis.call('EXISTS', KEYS[2]) == 0 and redis.call('HEXISTS', KEYS[1], '__d:' .. ARGV[1]) == 1 then gone = true end
if not gone then return 0 end
redis.call('SET', KEYS[3], ARGV[2], 'PX', 86400000, 'NX')
return tonumber(redis.call('GET', KEYS[3]))`;

/** Takes one vote off the tally (a void), unless the tally is gone (it will be rebuilt from MongoDB). */
const SUBTRACT = `
if redis.call('HEXISTS', KEYS[1], '__init') == 0 then return 0 end
return redis.call('HINCRBY', KEYS[1], ARGV[1], -1)`;

const gateScript = new LuaScript(GATE);
const rebuildScript = new LuaScript(REBUILD);
const subtractScript = new LuaScript(SUBTRACT);
const lostScript = new LuaScript(LOST);

/** Counters outlive their Shanghai day by a margin, then expire. */
export const COUNTER_TTL_SECONDS = 2 * 24 * 3600;

export const tallyKey = (contestId: string) => `cv:${contestId}:t`;
export const dayKey = (contestId: string, day: string) => `cv:${contestId}:d:${day}`;
export const pendingKey = (contestId: string) => `cv:${contestId}:p`;
const stateKey = (contestId: string) => `cv:${contestId}:s`;
const pausedKey = (contestId: string) => `cv:${contestId}:paused`;
const lostKey = (contestId: string) => `cv:${contestId}:lost`;
const deviceKey = (contestId: string, device: string, day: string) => `cv:${contestId}:dev:${device}:${day}`;
const requestKey = (contestId: string, userId: string, key: string) => `cv:${contestId}:k:${userId}:${key}`;
/** How long a vote's Idempotency-Key is recognised (the generic middleware replays for as long). */
export const VOTE_KEY_TTL_SECONDS = 24 * 3600;
export const burstKey = (contestId: string, day: string) => `cv:${contestId}:burst:${day}`;

/** What the gate asks of one vote. */
export interface GateInput {
  contestId: string;
  /** The config version the caller's cached contest was loaded under. */
  version: string;
  userId: string;
  entryId: string;
  day: string;
  now: Date;
  voteId: string;
  deviceId: string | null;
  ip: string | null;
  limits: { perUserPerDay: number; perEntryPerDay: number; maxUsersPerDevice: number };
  /** The client's Idempotency-Key (8–128 of [A-Za-z0-9_-], never a '|' or ':'), or null. */
  requestKey: string | null;
}

export type GateRefusal =
  | 'user_limit'
  | 'entry_limit'
  | 'tally_missing'
  | 'counters_missing'
  | 'paused'
  | 'stale_config'
  | 'closed'
  /** The user sent this key before, for another entry. */
  | 'key_reused';

/**
 * `device`: 0 = not over the line, 1 = the device has more voters today than allowed, 2 = this vote crossed it.
 * `lostAt` (tally_missing, counters_missing): when any process first found them missing, in ms.
 */
export type GateOutcome =
  | { ok: true; replay: false; total: number; perEntry: number; tally: number; device: 0 | 1 | 2 }
  /** A retry of a counted vote (same user, same key): its vote id and today's figures; nothing was taken. */
  | { ok: true; replay: true; voteId: string; total: number; perEntry: number; tally: number }
  | { ok: false; reason: GateRefusal; total: number; perEntry: number; lostAt?: number };

const REFUSALS: Record<number, GateRefusal> = {
  [-1]: 'user_limit',
  [-2]: 'entry_limit',
  [-3]: 'tally_missing',
  [-4]: 'paused',
  [-5]: 'counters_missing',
  [-6]: 'stale_config',
  [-7]: 'closed',
  [-8]: 'key_reused',
};

/** A counted vote as the pending log holds it: everything needed to write its MongoDB record. */
export interface PendingVote {
  voteId: string;
  contestId: string;
  userId: string;
  entryId: string;
  day: string;
  at: Date;
  deviceId: string | null;
  ip: string | null;
  device: 0 | 1 | 2;
  /** The client's Idempotency-Key, or null. */
  requestKey: string | null;
}

function parsePending(contestId: string, voteId: string, raw: string): PendingVote | null {
  const [userId, entryId, day, at, deviceId, ip, flag, key] = raw.split('|');
  if (!userId || !entryId || !day || !at || flag === undefined) return null;
  return {
    voteId,
    contestId,
    userId,
    entryId,
    day,
    at: new Date(Number(at)),
    deviceId: deviceId || null,
    ip: ip || null,
    device: (Number(flag) as 0 | 1 | 2) || 0,
    requestKey: key || null,
  };
}

export function createVoteGate(redis: Redis) {
  return {
    /** One vote: checks and takes the limits, counts it and logs it as pending, in one atomic step. */
    async pass(input: GateInput): Promise<GateOutcome> {
      const { contestId: c, day } = input;
      const device = input.deviceId ?? '';
      const record = [input.userId, input.entryId, day, input.now.getTime(), device, (input.ip ?? '').replace(/\|/g, '')].join('|');
      const keyed = input.requestKey !== null;
      const [code, total, perEntry, tally, flag, prior] = (await gateScript.run(
        redis,
        [
          tallyKey(c),
          dayKey(c, day),
          pendingKey(c),
          stateKey(c),
          pausedKey(c),
          device ? deviceKey(c, device, day) : dayKey(c, day),
          burstKey(c, day),
          lostKey(c),
          keyed ? requestKey(c, input.userId, input.requestKey!) : dayKey(c, day),
        ],
        [
          input.version,
          input.userId,
          input.entryId,
          day,
          input.limits.perUserPerDay,
          input.limits.perEntryPerDay,
          input.limits.maxUsersPerDevice,
          input.voteId,
          record,
          COUNTER_TTL_SECONDS,
          device,
          input.now.getTime(),
          keyed ? VOTE_KEY_TTL_SECONDS : '',
          input.requestKey ?? '',
        ],
      )) as [number, number, number, number, number, string?];
      if (code === 1) return { ok: true, replay: false, total, perEntry, tally, device: flag as 0 | 1 | 2 };
      if (code === 2) return { ok: true, replay: true, voteId: prior!, total, perEntry, tally };
      // A loss: the second value is its first sighting.
      if (code === -3 || code === -5) return { ok: false, reason: REFUSALS[code]!, total: 0, perEntry: 0, lostAt: total };
      return { ok: false, reason: REFUSALS[code] ?? 'paused', total, perEntry };
    },

    /**
     * The config version votes are checked against. Created when missing (a new contest, or Redis lost
     * it); read before the contest is read from MongoDB, so a change made in between shows as stale.
     */
    async version(contestId: string): Promise<string> {
      const key = stateKey(contestId);
      const replies = await redis
        .multi()
        .hsetnx(key, 'ver', createHash('sha1').update(`${contestId}:${Date.now()}:${Math.random()}`).digest('hex').slice(0, 12))
        .hget(key, 'ver')
        .exec();
      return String(replies?.[1]?.[1] ?? '');
    },

    /** The contest (rounds, limits, shortlist) changed: every process reloads it before its next vote. */
    async bump(contestId: string): Promise<void> {
      await redis.hset(
        stateKey(contestId),
        'ver',
        createHash('sha1').update(`${contestId}:${Date.now()}:${Math.random()}`).digest('hex').slice(0, 12),
      );
    },

    /** Voting is over for good (the freeze): the gate refuses every later vote, whatever a process's clock says. */
    async close(contestId: string): Promise<void> {
      await redis.hset(stateKey(contestId), 'closed', '1');
    },

    async init(contestId: string): Promise<void> {
      await redis.hset(tallyKey(contestId), '__init', '1');
    },

    /** Stops new votes while `work` runs (they wait and retry); the pause expires by itself if we crash. */
    async paused<T>(contestId: string, maxMs: number, work: () => Promise<T>): Promise<T> {
      await redis.set(pausedKey(contestId), '1', 'PX', maxMs);
      try {
        return await work();
      } finally {
        await redis.del(pausedKey(contestId));
      }
    },

    /** Replaces the tally with `counts` (and, if given, one day's counters with `day.counts`). */
    async rebuild(contestId: string, counts: ReadonlyMap<string, number>, day?: { day: string; counts: ReadonlyMap<string, number> }) {
      const args: Array<string | number> = [counts.size];
      for (const [entryId, n] of counts) args.push(entryId, n);
      args.push(day?.day ?? '', COUNTER_TTL_SECONDS);
      if (day) for (const [field, n] of day.counts) args.push(field, n);
      await rebuildScript.run(redis, [tallyKey(contestId), dayKey(contestId, day?.day ?? '-'), lostKey(contestId)], args);
    },

    /**
     * Whether Redis lost the contest's tally or `day`'s counters: the first sighting by any process (ms;
     * recorded at `now` if this is it), or null when nothing is missing. Every process counts the rebuild's
     * quiet period from the same instant.
     */
    async lostSince(contestId: string, day: string, now: Date): Promise<number | null> {
      const at = Number(
        await lostScript.run(redis, [tallyKey(contestId), dayKey(contestId, day), lostKey(contestId)], [day, now.getTime()]),
      );
      return at > 0 ? at : null;
    },

    /**
     * Remembers the request keys of stored votes (a gate rebuilt from MongoDB after Redis lost them), unless
     * a key is already there; each for what is left of its day.
     */
    async rememberKeys(
      contestId: string,
      votes: ReadonlyArray<{ userId: string; requestKey: string; voteId: string; entryId: string; at: Date }>,
      now: Date,
    ): Promise<void> {
      if (votes.length === 0) return;
      const multi = redis.multi();
      for (const v of votes) {
        const left = Math.ceil(VOTE_KEY_TTL_SECONDS - (now.getTime() - v.at.getTime()) / 1000);
        if (left > 0) multi.set(requestKey(contestId, v.userId, v.requestKey), `${v.voteId}|${v.entryId}`, 'EX', left, 'NX');
      }
      await multi.exec();
    },

    async tally(contestId: string): Promise<Map<string, number> | null> {
      const raw = await redis.hgetall(tallyKey(contestId));
      if (raw.__init === undefined) return null;
      const map = new Map<string, number>();
      for (const [k, v] of Object.entries(raw)) if (!k.startsWith('__')) map.set(k, Number(v));
      return map;
    },

    async entryTally(contestId: string, entryId: string): Promise<number> {
      return Number((await redis.hget(tallyKey(contestId), entryId)) ?? 0);
    },

    async subtract(contestId: string, entryId: string): Promise<void> {
      await subtractScript.run(redis, [tallyKey(contestId)], [entryId]);
    },

    /** Votes counted but not yet confirmed as stored in MongoDB. */
    async pending(contestId: string): Promise<PendingVote[]> {
      const raw = await redis.hgetall(pendingKey(contestId));
      const votes: PendingVote[] = [];
      for (const [voteId, value] of Object.entries(raw)) {
        const vote = parsePending(contestId, voteId, value);
        if (vote) votes.push(vote);
      }
      return votes;
    },

    async pendingCount(contestId: string): Promise<number> {
      return redis.hlen(pendingKey(contestId));
    },

    /**
     * After a batch is stored: drops its pending entries and answers which of the batch's devices went over
     * the line meanwhile (their votes written unflagged must join the burst). One round trip.
     */
    async confirm(votes: readonly PendingVote[]): Promise<Set<string>> {
      const multi = redis.multi();
      const byContest = new Map<string, string[]>();
      for (const v of votes) byContest.set(v.contestId, [...(byContest.get(v.contestId) ?? []), v.voteId]);
      for (const [c, ids] of byContest) multi.hdel(pendingKey(c), ...ids);
      const probes: Array<{ key: string; devices: string[] }> = [];
      const unflagged = new Map<string, Set<string>>();
      for (const v of votes) {
        if (!v.deviceId || v.device !== 0) continue;
        const key = burstKey(v.contestId, v.day);
        unflagged.set(key, (unflagged.get(key) ?? new Set()).add(v.deviceId));
      }
      for (const [key, devices] of unflagged) {
        const list = [...devices];
        probes.push({ key, devices: list });
        multi.smismember(key, ...list);
      }
      const replies = (await multi.exec()) ?? [];
      const burst = new Set<string>();
      probes.forEach((p, i) => {
        const answer = replies[byContest.size + i]?.[1] as number[] | undefined;
        p.devices.forEach((d, j) => {
          if (answer?.[j] === 1) burst.add(`${p.key}|${d}`);
        });
      });
      return burst;
    },
  };
}
export type VoteGate = ReturnType<typeof createVoteGate>;
