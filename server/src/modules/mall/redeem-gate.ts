import type { Redis } from 'ioredis';
import { LuaScript } from '../../core/redis/lua-script';
import { redeemAnswer, redeemAnswerPrefix } from './mall.views';

/**
 * The Redis side of a mall redemption (design: see the top of mall.service.ts).
 *
 * Caches, each loaded from MongoDB on a miss and dropped (never patched) when MongoDB changes outside the gate:
 *   acct:<user>   hash { bal: spendable points = durable balance − admitted debits not yet durable,
 *                        exp: earliest expiry of the user's open lots (ms; 0 = none) }
 *   stock:<goods> hash { n: units left = durable stock − admitted units not yet durable }
 *   held:<goods>  hash user → redemptions held (not cancelled), kept only for goods with a per-user limit
 * Bookkeeping:
 *   gen:<user|goods>   bumped by every change a loader could miss (a loader's SET fails if it moved)
 *   busy:<user|goods>  zset of freeze tokens (score = deadline): no load while a MongoDB write is running
 *   pending            hash redemption id → payload of an admitted redemption whose durable write is due
 *   pu:<user>, pg:<goods> the same ids per user / goods; pcode: code → id (staff may scan before the write)
 *   req:<user>:<key>   the Idempotency-Key's answer: "<body hash>|<id>|<balance>|<payload>" (the answer is
 *                      rebuilt from the redemption's own payload: no second copy of it crosses the wire per
 *                      admission); written before 2026-12-07: "<body hash>|<response JSON>"
 * Every key carries the hash tag {mall}: one script touches one cluster slot.
 */

const P = 'pts:{mall}:';
export const gateKey = {
  acct: (u: string) => `${P}acct:${u}`,
  stock: (g: string) => `${P}stock:${g}`,
  held: (g: string) => `${P}held:${g}`,
  gen: (id: string) => `${P}gen:${id}`,
  busy: (id: string) => `${P}busy:${id}`,
  pu: (u: string) => `${P}pu:${u}`,
  pg: (g: string) => `${P}pg:${g}`,
  req: (u: string, key: string) => `${P}req:${u}:${key}`,
  pending: `${P}pending`,
  pcode: `${P}pcode`,
};

/** How long an answered Idempotency-Key is replayed from Redis (after that, a retry is a new redemption). */
export const REQUEST_TTL_SECONDS = 7 * 86_400;
/** An account cache lives at most this long (a missed invalidation heals by itself). */
const ACCT_TTL_MS = 3_600_000;
/** A freeze older than this no longer blocks loads (a crashed writer). */
export const FREEZE_MS = 60_000;

// One admission. KEYS: pending, pcode (the per-user / per-goods keys are built here from the ids, as in
// CONFIRM: fewer and shorter arguments to encode and send per admission; every key is in the {mall} slot)
// a: user, price, goods, now, id, payload, body hash, request ttl, code, Idempotency-Key
// Admissions go to Redis in batches (ADMIT_MANY): each one is this function, run in order, as if each were
// its own script call (a failing one is caught on its own and answered as an error to its request alone).
const ADMIT_ONE = `
local function admit(pending, pcode, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10)
  local req = '${P}req:' .. a1 .. ':' .. a10
  local r = redis.call('GET', req)
  if r then return 2, r end
  local stock = '${P}stock:' .. a3
  local g = redis.call('HMGET', stock, 'n', 'lim', 'pr')
  if not g[1] then return -4, 0 end
  if g[3] ~= a2 then return -7, 0 end
  if tonumber(g[1]) <= 0 then return -1, 0 end
  local limit = tonumber(g[2])
  local held = '${P}held:' .. a3
  if limit > 0 then
    local n = tonumber(redis.call('HGET', held, a1) or '0')
    if n >= limit then return -2, n end
  end
  local acct = '${P}acct:' .. a1
  local a = redis.call('HMGET', acct, 'bal', 'exp')
  if not a[1] then return -3, 0 end
  local exp = tonumber(a[2])
  if exp > 0 and tonumber(a4) >= exp then return -5, 0 end
  local bal = tonumber(a[1])
  local price = tonumber(a2)
  if bal < price then return -6, bal end
  redis.call('HINCRBY', stock, 'n', -1)
  if limit > 0 then redis.call('HINCRBY', held, a1, 1) end
  bal = redis.call('HINCRBY', acct, 'bal', -price)
  redis.call('HSET', pending, a5, a6)
  redis.call('SADD', '${P}pu:' .. a1, a5)
  redis.call('SADD', '${P}pg:' .. a3, a5)
  redis.call('HSET', pcode, a9, a5)
  redis.call('SET', req, a7 .. '|' .. a5 .. '|' .. bal .. '|' .. a6, 'EX', a8)
  return 1, bal
end
`;

/** Arguments per admission in ADMIT_MANY. */
const ADMIT_ARGS = 10;
/** Admissions per ADMIT_MANY call at most (a call blocks Redis for its whole run: ~10 µs an admission). */
const ADMIT_BATCH = 100;

// Many admissions in one call: one script invocation and one reply instead of one each (under a rush the
// per-call work — ours encoding a command, Redis dispatching a script — cost more than the admissions).
// KEYS: pending, pcode; ARGV: n, then ADMIT_ARGS per admission. Returns code, value per admission; code 0
// with the error's text when that admission failed (it alone: pcall).
const ADMIT_MANY = `${ADMIT_ONE}
local n = tonumber(ARGV[1])
local out = {}
for i = 0, n - 1 do
  local b = 1 + i * ${ADMIT_ARGS}
  local ok, code, value = pcall(admit, KEYS[1], KEYS[2], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], ARGV[b + 5],
    ARGV[b + 6], ARGV[b + 7], ARGV[b + 8], ARGV[b + 9], ARGV[b + 10])
  if ok then
    out[#out + 1] = code
    out[#out + 1] = value
  else
    out[#out + 1] = 0
    out[#out + 1] = type(code) == 'table' and (code.err or 'error') or tostring(code)
  end
end
return out
`;

// The durable write is done: forget the pending entries and tell loaders that MongoDB moved (one bump per
// user / goods of the batch is enough: a loader only compares the generation before and after its read).
// Variadic HDEL / SREM, one per key and up to 1000 members (unpack's limit is ~8000): a batch of 200 for
// a handful of users and goods is ~10 commands instead of ~800.
// KEYS: pending, pcode; ARGV: n, then per item: id, user, goods, code
const CONFIRM = `
local n = tonumber(ARGV[1])
local ids, codes, byKey, order = {}, {}, {}, {}
local function add(key, id)
  local l = byKey[key]
  if not l then l = {}; byKey[key] = l; table.insert(order, key) end
  table.insert(l, id)
end
local function each(list, fn)
  for i = 1, #list, 1000 do fn(unpack(list, i, math.min(i + 999, #list))) end
end
for i = 0, n - 1 do
  local id, u, g, c = ARGV[2 + i * 4], ARGV[3 + i * 4], ARGV[4 + i * 4], ARGV[5 + i * 4]
  table.insert(ids, id)
  table.insert(codes, c)
  add('${P}pu:' .. u, id)
  add('${P}pg:' .. g, id)
end
each(ids, function(...) redis.call('HDEL', KEYS[1], ...) end)
each(codes, function(...) redis.call('HDEL', KEYS[2], ...) end)
for _, key in ipairs(order) do
  each(byKey[key], function(...) redis.call('SREM', key, ...) end)
  redis.call('INCR', '${P}gen:' .. string.sub(key, ${P.length + 4}))
end
return n
`;

// A MongoDB write outside the gate starts (freeze) or ends (thaw) for these users / goods: drop their caches,
// bump their generations; freeze also registers the token and returns the ids still pending for them.
// KEYS: pending; ARGV: token, deadline (0 = thaw), now, then pairs kind ('u' | 'g'), id
const FREEZE = `
local out = {}
for i = 4, #ARGV, 2 do
  local kind, id = ARGV[i], ARGV[i + 1]
  if kind == 'u' then redis.call('DEL', '${P}acct:' .. id)
  else redis.call('DEL', '${P}stock:' .. id, '${P}held:' .. id) end
  redis.call('INCR', '${P}gen:' .. id)
  local busy = '${P}busy:' .. id
  if tonumber(ARGV[2]) > 0 then
    redis.call('ZADD', busy, ARGV[2], ARGV[1])
    redis.call('PEXPIRE', busy, ${FREEZE_MS * 2})
  else
    redis.call('ZREM', busy, ARGV[1])
  end
  if tonumber(ARGV[2]) > 0 then
    local ids = redis.call('SMEMBERS', '${P}p' .. kind .. ':' .. id)
    for _, pid in ipairs(ids) do
      local payload = redis.call('HGET', KEYS[1], pid)
      if payload then table.insert(out, pid); table.insert(out, payload) end
    end
  end
end
return out
`;

// What a loader must know first: the generation, whether a write is running, what is still pending.
// KEYS: gen, busy, pu|pg, pending; ARGV: now
const STATE = `
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
local out = {redis.call('GET', KEYS[1]) or '0', redis.call('ZCARD', KEYS[2])}
for _, pid in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local payload = redis.call('HGET', KEYS[4], pid)
  if payload then table.insert(out, pid); table.insert(out, payload)
  else redis.call('SREM', KEYS[3], pid) end
end
return out
`;

// Sets a cache from what MongoDB held at generation ARGV[1], unless anything moved since.
// KEYS: cache, gen, busy, pu|pg, [held]; ARGV: gen, now, ttl ms (0 = none), field, value, ..., '|', held pairs
const LOAD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return -1 end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[3]) > 0 then return -2 end
if redis.call('SCARD', KEYS[4]) > 0 then return -3 end
local i = 4
while ARGV[i] ~= '|' do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
if KEYS[5] then
  redis.call('DEL', KEYS[5])
  for j = i + 1, #ARGV, 2 do redis.call('HSET', KEYS[5], ARGV[j], ARGV[j + 1]) end
end
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1
`;

const admitScript = new LuaScript(ADMIT_MANY);
const ADMIT_KEYS = [gateKey.pending, gateKey.pcode];
const confirmScript = new LuaScript(CONFIRM);
const freezeScript = new LuaScript(FREEZE);
const stateScript = new LuaScript(STATE);
const loadScript = new LuaScript(LOAD);

/** An admitted redemption whose durable write is due (short field names: one is stored per redemption). */
export interface PendingRedemption {
  /** Redemption id. */
  id: string;
  u: string;
  g: string;
  /** Price, goods name, delivery mode, outlet, code, Idempotency-Key, shipping, admitted at (ms). */
  p: number;
  n: string;
  d: 'pickup' | 'ship';
  o: string | null;
  c: string;
  k: string;
  s: { name: string; phone: string; address: string } | null;
  a: number;
}

export type AdmitOutcome =
  | { status: 'admitted'; balance: number }
  | { status: 'replay'; hash: string; body: string }
  | { status: 'sold_out' | 'no_stock_cache' | 'no_account_cache' | 'lapsed' | 'stale_goods' }
  | { status: 'limit_reached'; held: number }
  | { status: 'insufficient'; balance: number };

export interface EntityState {
  gen: string;
  busy: boolean;
  pending: PendingRedemption[];
}

function parsePairs(flat: unknown[]): PendingRedemption[] {
  const out: PendingRedemption[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    try {
      out.push({ ...(JSON.parse(String(flat[i + 1])) as Omit<PendingRedemption, 'id'>), id: String(flat[i]) });
    } catch {
      // An unreadable payload can't be written; reconciliation reports it.
    }
  }
  return out;
}

/** A stored answer: "<hash>|<id>|<balance>|<payload>", or (written before 2026-12-07) "<hash>|<response JSON>". */
function replayOf(raw: string): AdmitOutcome {
  const bar = raw.indexOf('|');
  const hash = raw.slice(0, bar);
  if (raw[bar + 1] === '{') return { status: 'replay', hash, body: raw.slice(bar + 1) };
  const idEnd = raw.indexOf('|', bar + 1);
  const balEnd = raw.indexOf('|', idEnd + 1);
  const item = { ...(JSON.parse(raw.slice(balEnd + 1)) as Omit<PendingRedemption, 'id'>), id: raw.slice(bar + 1, idEnd) };
  return { status: 'replay', hash, body: redeemAnswer(redeemAnswerPrefix(item), Number(raw.slice(idEnd + 1, balEnd))) };
}

export type RedeemGate = ReturnType<typeof createRedeemGate>;

interface Queued {
  args: Array<string | number>;
  resolve: (reply: [number, number | string]) => void;
  reject: (err: unknown) => void;
}

/** The admissions of one ADMIT_MANY call, as Redis answers them (code, value per admission). */
async function admitMany(redis: Redis, items: readonly Queued[]): Promise<void> {
  const args: Array<string | number> = [items.length];
  for (const q of items) for (const a of q.args) args.push(a);
  let reply: unknown[];
  try {
    reply = (await admitScript.run(redis, ADMIT_KEYS, args)) as unknown[];
  } catch (err) {
    // The call as a whole failed (connection, OOM refusal before it ran): no admission of it happened.
    for (const q of items) q.reject(err);
    return;
  }
  items.forEach((q, i) => {
    const code = Number(reply[2 * i]);
    const value = reply[2 * i + 1] as number | string;
    if (reply.length < 2 * (i + 1)) q.reject(new Error('no reply from redis'));
    else if (code === 0) q.reject(new Error(`mall gate: ${String(value)}`));
    else q.resolve([code, value]);
  });
}

export function createRedeemGate(redis: Redis) {
  // Admissions go to Redis in batches, ONE batch in flight at a time: those issued while a batch is out wait
  // for its reply (one Redis round trip, well under a millisecond) and then go together, as ONE script call
  // (ADMIT_MANY; up to ADMIT_BATCH each). Under a rush the per-call costs (our command encoding, promise and
  // reply per call, the socket writes, Redis's script dispatch), not the admissions, were the cost: a
  // pipeline per event-loop turn carried one or two admissions each; one batch in flight carries dozens.
  let queued: Queued[] = [];
  let inFlight = false;
  let scheduled = false;
  function schedule(): void {
    if (inFlight || scheduled || queued.length === 0) return;
    scheduled = true;
    // After this round of I/O: the requests parsed in it join the batch.
    setImmediate(sendQueued);
  }
  function sendQueued(): void {
    scheduled = false;
    const items = queued;
    queued = [];
    if (items.length === 0) return;
    inFlight = true;
    const calls: Array<Promise<void>> = [];
    for (let i = 0; i < items.length; i += ADMIT_BATCH) calls.push(admitMany(redis, items.slice(i, i + ADMIT_BATCH)));
    void Promise.all(calls).finally(() => {
      inFlight = false;
      schedule();
    });
  }
  function runAdmit(args: Array<string | number>): Promise<[number, number | string]> {
    return new Promise((resolve, reject) => {
      queued.push({ args, resolve, reject });
      schedule();
    });
  }

  return {
    /**
     * One round trip: replay (the answer as redeemAnswer built it), or check and take stock, per-user quota and
     * points, and log the pending write.
     */
    async admit(input: { item: PendingRedemption; now: number; hash: string }): Promise<AdmitOutcome> {
      const { item } = input;
      const { id, ...payload } = item;
      const [code, value] = await runAdmit([
        item.u,
        item.p,
        item.g,
        input.now,
        id,
        JSON.stringify(payload),
        input.hash,
        REQUEST_TTL_SECONDS,
        item.c,
        item.k,
      ]);
      switch (code) {
        case 1:
          return { status: 'admitted', balance: Number(value) };
        case 2:
          return replayOf(String(value));
        case -1:
          return { status: 'sold_out' };
        case -2:
          return { status: 'limit_reached', held: Number(value) };
        case -3:
          return { status: 'no_account_cache' };
        case -4:
          return { status: 'no_stock_cache' };
        case -5:
          return { status: 'lapsed' };
        case -7:
          return { status: 'stale_goods' };
        default:
          return { status: 'insufficient', balance: Number(value) };
      }
    },

    async confirm(items: ReadonlyArray<Pick<PendingRedemption, 'id' | 'u' | 'g' | 'c'>>): Promise<void> {
      if (items.length === 0) return;
      const args: string[] = [String(items.length)];
      for (const i of items) args.push(i.id, i.u, i.g, i.c);
      await confirmScript.run(redis, [gateKey.pending, gateKey.pcode], args);
    },

    /** Before a MongoDB write outside the gate: no loads until thaw; returns what is still pending for them. */
    async freeze(token: string, now: number, users: readonly string[], goods: readonly string[]): Promise<PendingRedemption[]> {
      const args: string[] = [token, String(now + FREEZE_MS), String(now)];
      for (const u of users) args.push('u', u);
      for (const g of goods) args.push('g', g);
      return parsePairs((await freezeScript.run(redis, [gateKey.pending], args)) as unknown[]);
    },

    /** After it: caches dropped again, so the next request loads what MongoDB now holds. */
    async thaw(token: string, users: readonly string[], goods: readonly string[]): Promise<void> {
      const args: string[] = [token, '0', '0'];
      for (const u of users) args.push('u', u);
      for (const g of goods) args.push('g', g);
      await freezeScript.run(redis, [gateKey.pending], args);
    },

    /** After a credit committed in MongoDB: drop the caches (a loader still running sees the new generation). */
    async invalidate(users: readonly string[], goods: readonly string[] = []): Promise<void> {
      const args: string[] = ['', '0', '0'];
      for (const u of users) args.push('u', u);
      for (const g of goods) args.push('g', g);
      await freezeScript.run(redis, [gateKey.pending], args);
    },

    async state(kind: 'u' | 'g', id: string, now: number): Promise<EntityState> {
      const keys = [gateKey.gen(id), gateKey.busy(id), kind === 'u' ? gateKey.pu(id) : gateKey.pg(id), gateKey.pending];
      const out = (await stateScript.run(redis, keys, [now])) as unknown[];
      return { gen: String(out[0]), busy: Number(out[1]) > 0, pending: parsePairs(out.slice(2)) };
    },

    /** 1 loaded, 0 already there, -1 generation moved, -2 a write is running, -3 something is pending. */
    async loadAccount(userId: string, gen: string, now: number, balance: number, earliestExpiry: number): Promise<number> {
      const keys = [gateKey.acct(userId), gateKey.gen(userId), gateKey.busy(userId), gateKey.pu(userId)];
      return Number(await loadScript.run(redis, keys, [gen, now, ACCT_TTL_MS, 'bal', balance, 'exp', earliestExpiry, '|']));
    },

    /** Stock left, the price and per-user limit it is sold at (0 = none), and with a limit the counts held per user. */
    async loadGoods(
      goodsId: string,
      gen: string,
      now: number,
      goods: { stock: number; price: number; limit: number },
      held: ReadonlyArray<[string, number]>,
    ): Promise<number> {
      const keys = [gateKey.stock(goodsId), gateKey.gen(goodsId), gateKey.busy(goodsId), gateKey.pg(goodsId), gateKey.held(goodsId)];
      const args: Array<string | number> = [gen, now, 0, 'n', goods.stock, 'lim', goods.limit, 'pr', goods.price, '|'];
      for (const [u, n] of held) args.push(u, n);
      return Number(await loadScript.run(redis, keys, args));
    },

    async pendingById(ids: readonly string[]): Promise<PendingRedemption[]> {
      if (ids.length === 0) return [];
      const values = await redis.hmget(gateKey.pending, ...ids);
      return parsePairs(ids.flatMap((id, i) => (values[i] == null ? [] : [id, values[i]])));
    },

    async pendingIdByCode(code: string): Promise<string | null> {
      return redis.hget(gateKey.pcode, code);
    },

    async pendingCount(userId: string): Promise<number> {
      return redis.scard(gateKey.pu(userId));
    },

    async allPending(): Promise<PendingRedemption[]> {
      const raw = await redis.hgetall(gateKey.pending);
      return parsePairs(Object.entries(raw).flat());
    },

    /** The cached figures (tests and the bench compare them with MongoDB). */
    async cached(userId: string, goodsId: string): Promise<{ balance: number | null; stock: number | null }> {
      const [bal, n] = await Promise.all([redis.hget(gateKey.acct(userId), 'bal'), redis.hget(gateKey.stock(goodsId), 'n')]);
      return { balance: bal === null ? null : Number(bal), stock: n === null ? null : Number(n) };
    },
  };
}
