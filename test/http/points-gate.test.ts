/**
 * The mall's Redis gate and what stands behind it, over HTTP on the real stack (redis-server, embedded
 * MongoDB over the wire): redemptions are answered by the gate and written to MongoDB in batches. Proves:
 * concurrent redemptions of several low-stock goods never oversell; one user racing many redemptions with
 * a small balance never goes below zero; an Idempotency-Key retry (sequential, racing, after the durable
 * write) gets the same code and one debit; a crash between the gate and the durable write is repaired by
 * the reconciliation job (once, even with two processes running it) with balance = sum of entries and the
 * stock right; a redemption still pending its durable write can be cancelled (refund + restock); credits,
 * admin adjustments and expiry keep the gate's spendable balance right. After every scenario Redis and
 * MongoDB agree.
 */
import { Types } from 'mongoose';
import type { Goods } from '@shared/schemas/points';
import { runJobSlot } from '../../server/src/jobs';
import { mallReconcileJob } from '../../server/src/jobs/mall-reconcile.job';
import { RECONCILE_GRACE_MS } from '../../server/src/modules/mall';
import { GoodsModel, RedemptionModel } from '../../server/src/modules/mall/mall.model';
import { createRedeemGate, gateKey, type PendingRedemption } from '../../server/src/modules/mall/redeem-gate';
import { type PointsService } from '../../server/src/modules/points';
import { PointsAccountModel, PointsEntryModel } from '../../server/src/modules/points/points.model';
import { createGoods as createMallGoods, idem, redeem, settled as mallSettled } from './mall-fixtures';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { failCommits } from '../harness/mongo-faults';

let t: TestContext;
let points: PointsService;
let admin: LoggedIn;
const START = new Date('2026-11-24T02:00:00Z');
const DAY = 86_400_000;
const OUTLET = 'outlet-county-centre';

beforeAll(async () => {
  t = await createTestContext({ now: START });
  points = t.services.points;
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

let n = 0;
async function give(userId: string, amount: number) {
  const r = await points.earn({
    userId,
    source: 'contest',
    amount,
    reason: '评选奖励',
    ref: { type: 'test', id: String(++n) },
    idempotencyKey: `gate-test:${++n}`,
  });
  expect(r.status).toBe('credited');
}
const createGoods = (overrides: Record<string, unknown> = {}): Promise<Goods> => createMallGoods(admin, OUTLET, '闸门商品', overrides);
const settled = () => mallSettled(t);
async function durable(userId: string) {
  const entries = await PointsEntryModel.find({ userId: new Types.ObjectId(userId) })
    .sort({ _id: 1 })
    .lean();
  const balance = (await PointsAccountModel.findById(userId).lean())?.balance ?? 0;
  return {
    balance,
    sum: entries.reduce((s, e) => s + e.amount, 0),
    open: entries.filter((e) => e.amount > 0).reduce((s, e) => s + (e.remaining ?? 0), 0),
    entries,
  };
}
/** The ledger invariants, and the gate's cached figures (when loaded) equal to MongoDB's. */
async function agree(userIds: string[], goodsIds: string[]) {
  await settled();
  const gate = createRedeemGate(t.deps.redis);
  for (const id of userIds) {
    const d = await durable(id);
    expect({ id, balance: d.balance }).toEqual({ id, balance: d.sum });
    expect(d.open).toBe(d.balance);
    expect(d.balance).toBeGreaterThanOrEqual(0);
    for (const e of d.entries) expect(e.balanceAfter).toBeGreaterThanOrEqual(0);
    const cached = (await gate.cached(id, '000000000000000000000000')).balance;
    if (cached !== null) expect({ id, cached }).toEqual({ id, cached: d.balance });
  }
  for (const id of goodsIds) {
    const goods = (await GoodsModel.findById(id).lean())!;
    const held = await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(id), status: { $ne: 'cancelled' } });
    const created = (await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(id) })) - held;
    expect(goods.stock).toBeGreaterThanOrEqual(0);
    const cached = (await gate.cached('000000000000000000000000', id)).stock;
    if (cached !== null) expect({ id, cached }).toEqual({ id, cached: goods.stock });
    expect(created).toBeGreaterThanOrEqual(0);
  }
}

describe('concurrency at the gate', () => {
  it('40 users racing for three goods of 3, 2 and 1 units: exactly 6 redeemed, none oversold', async () => {
    const goods = [
      await createGoods({ stock: 3, price: 10 }),
      await createGoods({ stock: 2, price: 10 }),
      await createGoods({ stock: 1, price: 10 }),
    ];
    const users = await Promise.all(Array.from({ length: 40 }, () => loginAs(t, 'citizen')));
    for (const u of users) await give(u.user.id, 15);
    const results = await Promise.all(users.map((u, i) => redeem(u, goods[i % 3]!.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(6);
    expect(results.filter((r) => r.status === 410 && r.body.error.code === 'GOODS_SOLD_OUT')).toHaveLength(34);
    await settled();
    const stocks = await Promise.all(goods.map(async (g) => (await GoodsModel.findById(g.id).lean())!.stock));
    expect(stocks).toEqual([0, 0, 0]);
    const sold = await Promise.all(goods.map((g) => RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(g.id) })));
    expect(sold).toEqual([3, 2, 1]);
    const paid = (await Promise.all(users.map(async (u) => (await durable(u.user.id)).balance))).filter((b) => b === 5);
    expect(paid).toHaveLength(6);
    await agree(
      users.map((u) => u.user.id),
      goods.map((g) => g.id),
    );
  }, 120_000);

  it('one user with 100 points racing 12 redemptions of 30: exactly 3, balance 10, never negative', async () => {
    const goods = [await createGoods({ stock: 20, price: 30 }), await createGoods({ stock: 20, price: 30 })];
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 60);
    t.clock.advance(60_000);
    await give(u.user.id, 40);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => redeem(u, goods[i % 2]!.id)));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => r.status === 422 && r.body.error.code === 'POINTS_INSUFFICIENT')).toHaveLength(9);
    // The answers count down the spendable balance: 70, 40, 10 in some order.
    expect(ok.map((r) => r.body.balance as number).sort((a, b) => a - b)).toEqual([10, 40, 70]);
    await settled();
    const d = await durable(u.user.id);
    expect(d.balance).toBe(10);
    expect(d.sum).toBe(10);
    // FIFO: the first lot (60) went first, then 30 of the second.
    const lots = d.entries.filter((e) => e.amount > 0).map((e) => e.remaining);
    expect(lots).toEqual([0, 10]);
    await agree(
      [u.user.id],
      goods.map((g) => g.id),
    );
  });
  it('after Redis forgot the gate script (SCRIPT FLUSH), a batch of racing redemptions goes through once each', async () => {
    const goods = await createGoods({ stock: 5, price: 10 });
    const users = await Promise.all(Array.from({ length: 8 }, () => loginAs(t, 'citizen')));
    for (const u of users) await give(u.user.id, 10);
    await t.deps.redis.script('FLUSH');
    const results = await Promise.all(users.map((u) => redeem(u, goods.id)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 410, 410, 410]);
    await settled();
    expect((await GoodsModel.findById(goods.id).lean())!.stock).toBe(0);
    expect(await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(goods.id) })).toBe(5);
    await agree(
      users.map((u) => u.user.id),
      [goods.id],
    );
  });
});

describe('Idempotency-Key', () => {
  it('a retry — sequential, racing, or after the durable write — gets the same code and one debit', async () => {
    const g = await createGoods({ stock: 5, price: 20 });
    const other = await createGoods({ stock: 5, price: 20 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    const key = idem();
    const racing = await Promise.all(Array.from({ length: 6 }, () => redeem(u, g.id, key)));
    expect(racing.every((r) => r.status === 201)).toBe(true);
    expect(new Set(racing.map((r) => r.body.redemption.code)).size).toBe(1);
    expect(racing.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    await settled();
    const later = await redeem(u, g.id, key);
    expect(later.status).toBe(201);
    expect(later.body).toEqual(racing[0]!.body);
    // The same key for other goods (or another body) is refused.
    const reused = await redeem(u, other.id, key);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Another user's identical key is theirs.
    const v = await loginAs(t, 'citizen');
    await give(v.user.id, 20);
    expect((await redeem(v, g.id, key)).status).toBe(201);
    await settled();
    expect(await RedemptionModel.countDocuments({ userId: new Types.ObjectId(u.user.id) })).toBe(1);
    expect(await PointsEntryModel.countDocuments({ userId: new Types.ObjectId(u.user.id), source: 'mall' })).toBe(1);
    expect((await durable(u.user.id)).balance).toBe(80);
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(3);
    await agree([u.user.id, v.user.id], [g.id, other.id]);
  });

  it('a replay record is compact (no second copy of the answer) and one written before that change still replays', async () => {
    const g = await createGoods({ stock: 5, price: 20 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    const key = idem();
    const first = await redeem(u, g.id, key);
    expect(first.status).toBe(201);
    const stored = (await t.deps.redis.get(gateKey.req(u.user.id, key)))!;
    const [hash, id, balance] = stored.split('|');
    expect([id, balance]).toEqual([first.body.redemption.id, '80']);
    expect(stored).not.toContain('"redemption"');
    // The earlier format, "<hash>|<answer JSON>", from a process before the change: answered as stored.
    const legacy = await loginAs(t, 'citizen');
    const legacyKey = idem();
    const body = { redemption: { ...first.body.redemption, id: new Types.ObjectId().toHexString() }, balance: 7 };
    await t.deps.redis.set(gateKey.req(legacy.user.id, legacyKey), `${hash}|${JSON.stringify(body)}`, 'EX', 60);
    const replayed = await redeem(legacy, g.id, legacyKey);
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(body);
    await settled();
    expect(await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(g.id) })).toBe(1);
  });
});

/** Loads the gate's caches for this user and goods through the API, without taking anything. */
async function warm(u: LoggedIn, g: Goods): Promise<void> {
  const poor = await loginAs(t, 'citizen');
  expect((await redeem(poor, g.id)).body.error.code).toBe('POINTS_INSUFFICIENT');
  const pricey = await createGoods({ price: 1_000_000, stock: 1 });
  expect((await redeem(u, pricey.id)).body.error.code).toBe('POINTS_INSUFFICIENT');
}

/** Step one of a redemption (the gate admits) — and then the process dies before MongoDB hears of it. */
async function admitOnly(u: LoggedIn, g: Goods): Promise<PendingRedemption> {
  const gate = createRedeemGate(t.deps.redis);
  const item: PendingRedemption = {
    id: new Types.ObjectId().toHexString(),
    u: u.user.id,
    g: g.id,
    p: g.price,
    n: g.name,
    d: g.deliveryMode,
    o: g.outletId,
    c: `CRASH${String(++n).padStart(7, '0')}`.slice(0, 12),
    k: idem(),
    s: null,
    a: t.clock.now().getTime(),
  };
  const outcome = await gate.admit({ item, now: item.a, hash: 'h' });
  expect(outcome.status).toBe('admitted');
  return item;
}

describe('a crash between the gate and the durable write', () => {
  it('reconciliation writes it once the grace period has passed — once, even when two processes run the job', async () => {
    const g = await createGoods({ stock: 4, price: 25 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    // A normal redemption loads the gate's caches; the second one is admitted and then "crashes".
    expect((await redeem(u, g.id)).status).toBe(201);
    await settled();
    const item = await admitOnly(u, g);
    expect(await RedemptionModel.exists({ _id: new Types.ObjectId(item.id) })).toBeNull();
    expect((await durable(u.user.id)).balance).toBe(75);

    const mall = t.services.mall;
    // Too fresh: its own process may still be writing it.
    expect(await mall.reconcile(t.clock.now())).toMatchObject({ written: 0, due: 0, pending: 1 });
    t.clock.advance(RECONCILE_GRACE_MS + 1000);
    const slot = t.clock.now();
    const [a, b] = await Promise.all([runJobSlot(t, mallReconcileJob, slot), runJobSlot(t, mallReconcileJob, slot)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);

    const record = (await RedemptionModel.findById(item.id).lean())!;
    expect(record).toMatchObject({ status: 'pending', code: item.c, price: 25 });
    const d = await durable(u.user.id);
    expect(d.balance).toBe(50);
    expect(d.sum).toBe(50);
    expect(d.entries.filter((e) => e.source === 'mall')).toHaveLength(2);
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(2);
    // Running it again (any process, any time) changes nothing.
    expect(await mall.reconcile(new Date(t.clock.now().getTime() + DAY))).toMatchObject({ written: 0, existing: 0, pending: 0 });
    await agree([u.user.id], [g.id]);
    // The gate goes on from the right figures: 50 points buy two more of the two units left.
    expect((await redeem(u, g.id)).status).toBe(201);
    expect((await redeem(u, g.id)).status).toBe(201);
    expect((await redeem(u, g.id)).body.error.code).toBe('GOODS_SOLD_OUT');
    await agree([u.user.id], [g.id]);
  });

  it('a write that landed but whose pending entry survived (crash before the confirm) is not applied twice', async () => {
    const g = await createGoods({ stock: 3, price: 10 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 50);
    const res = await redeem(u, g.id);
    expect(res.status).toBe(201);
    await settled();
    const id = res.body.redemption.id as string;
    const record = (await RedemptionModel.findById(id).lean())!;
    // The pending entry as the gate logged it, put back as if the confirm after the write never ran.
    const payload: Omit<PendingRedemption, 'id'> = {
      u: u.user.id,
      g: g.id,
      p: 10,
      n: g.name,
      d: 'pickup',
      o: OUTLET,
      c: record.code,
      k: record.requestKey,
      s: null,
      a: record.createdAt.getTime(),
    };
    await t.deps.redis.hset(gateKey.pending, id, JSON.stringify(payload));
    await t.deps.redis.sadd(gateKey.pu(u.user.id), id);
    t.clock.advance(RECONCILE_GRACE_MS + 1000);
    expect(await t.services.mall.reconcile(t.clock.now())).toMatchObject({ written: 0, existing: 1 });
    expect(await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(g.id) })).toBe(1);
    expect((await durable(u.user.id)).balance).toBe(40);
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(2);
    await agree([u.user.id], [g.id]);
  });
});

describe('cancellation of a redemption whose durable write is still pending', () => {
  it('writes it, then refunds the points and restores the stock; the code can no longer be verified', async () => {
    const g = await createGoods({ stock: 1, price: 40 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 30);
    t.clock.advance(60_000);
    await give(u.user.id, 30);
    // A first redemption (loads the gate's caches) is cancelled; the next one is admitted without its durable write.
    expect((await redeem(u, g.id, idem(), {})).status).toBe(201);
    await settled();
    const first = (await RedemptionModel.findOne({ userId: new Types.ObjectId(u.user.id) }).lean())!;
    expect((await u.agent.post(`/api/v1/me/redemptions/${first._id.toHexString()}/cancel`).send({})).status).toBe(200);
    await warm(u, g);
    const item = await admitOnly(u, g);
    expect(await RedemptionModel.exists({ _id: new Types.ObjectId(item.id) })).toBeNull();

    const res = await u.agent.post(`/api/v1/me/redemptions/${item.id}/cancel`).send({ reason: '不想要了' });
    expect(res.status).toBe(200);
    expect(res.body.redemption).toMatchObject({ id: item.id, status: 'cancelled' });
    expect(res.body.balance).toBe(60);
    const d = await durable(u.user.id);
    expect(d.entries.map((e) => e.amount)).toEqual([30, 30, -40, 30, 10, -40, 30, 10]);
    expect(d.balance).toBe(60);
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(1);
    expect(await t.deps.redis.hexists(gateKey.pending, item.id)).toBe(0);
    const clerk = await loginAs(t, 'merchant_clerk', { type: 'outlet', id: OUTLET });
    const verify = await clerk.agent.post('/api/v1/mall/verifications').send({ code: item.c });
    expect(verify.body.error.code).toBe('REDEMPTION_CANCELLED');
    // The unit is back on sale through the gate.
    expect((await redeem(u, g.id)).status).toBe(201);
    await agree([u.user.id], [g.id]);
  });

  it('staff scanning a code before its durable write landed see it (written on the spot)', async () => {
    const g = await createGoods({ stock: 2, price: 5 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 20);
    expect((await redeem(u, g.id)).status).toBe(201);
    await settled();
    const item = await admitOnly(u, g);
    const clerk = await loginAs(t, 'merchant_clerk', { type: 'outlet', id: OUTLET });
    const verify = await clerk.agent.post('/api/v1/mall/verifications').send({ code: item.c });
    expect(verify.status).toBe(200);
    expect(verify.body.redemption).toMatchObject({ id: item.id, status: 'fulfilled' });
    await agree([u.user.id], [g.id]);
  });
});

describe('ledger writes outside the gate keep its spendable balance right', () => {
  it('credits, admin adjustments and cancellations are seen by the next redemption', async () => {
    const g = await createGoods({ stock: 10, price: 50 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 60);
    expect((await redeem(u, g.id)).body.balance).toBe(10);
    expect((await redeem(u, g.id)).body.error.code).toBe('POINTS_INSUFFICIENT');
    await give(u.user.id, 45);
    expect((await redeem(u, g.id)).body.balance).toBe(5);
    const adj = await admin.agent.post(`/api/v1/admin/users/${u.user.id}/points/adjustments`).send({ amount: 95, reason: '补发活动积分' });
    expect([200, 201]).toContain(adj.status);
    expect((await redeem(u, g.id)).body.balance).toBe(50);
    const minus = await admin.agent.post(`/api/v1/admin/users/${u.user.id}/points/adjustments`).send({ amount: -20, reason: '误发扣回' });
    expect([200, 201]).toContain(minus.status);
    expect((await redeem(u, g.id)).body.error.code).toBe('POINTS_INSUFFICIENT');
    const mine = await u.agent.get('/api/v1/me/redemptions');
    const id = mine.body.items[0].id as string;
    expect((await u.agent.post(`/api/v1/me/redemptions/${id}/cancel`).send({})).body.balance).toBe(80);
    expect((await redeem(u, g.id)).body.balance).toBe(30);
    await agree([u.user.id], [g.id]);
  });

  it('lapsed points are never spent, even before the expiry job runs', async () => {
    const g = await createGoods({ stock: 10, price: 30 });
    const cheap = await createGoods({ stock: 10, price: 25 });
    let u = await loginAs(t, 'citizen');
    await give(u.user.id, 40);
    expect((await redeem(u, g.id)).body.balance).toBe(10);
    t.clock.advance(DAY);
    await give(u.user.id, 25);
    await settled();
    // The first lot (10 left) lapses; the second (25) is still good: 35 on the books, 25 spendable.
    t.clock.advance(365 * DAY - DAY + 60_000);
    u = await loginAs(t, 'citizen', undefined, { openid: u.openid }); // a year on: a fresh sign-in, same person
    const late = await redeem(u, g.id);
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('POINTS_INSUFFICIENT');
    expect(late.body.error.details).toMatchObject({ balance: 25 });
    const d = await durable(u.user.id);
    expect(d.entries.filter((e) => e.source === 'expiry').map((e) => e.amount)).toEqual([-10]);
    expect(d.balance).toBe(25);
    expect((await redeem(u, cheap.id)).body.balance).toBe(0);
    await agree([u.user.id], [g.id, cheap.id]);
    t.clock.set(START);
  });
});

describe('an admitted redemption MongoDB cannot honour', () => {
  it('stock taken away behind the gate: that one is voided alone, the rest of its batch is written, nothing answers 500', async () => {
    const good = await createGoods({ stock: 20, price: 10 });
    const bad = await createGoods({ stock: 3, price: 10 });
    const victim = await loginAs(t, 'citizen');
    const others = await Promise.all(Array.from({ length: 5 }, () => loginAs(t, 'citizen')));
    for (const u of [victim, ...others]) await give(u.user.id, 50);
    // Load the gate's caches (stock 3 of `bad`), then take the stock away in MongoDB behind its back.
    await warm(victim, bad);
    await warm(others[0]!, good);
    await GoodsModel.updateOne({ _id: new Types.ObjectId(bad.id) }, { $set: { stock: 0 } });

    // The batching writer: one redemption of `bad` among good ones, admitted together.
    const results = await Promise.all([redeem(victim, bad.id), ...others.map((u) => redeem(u, good.id))]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    await settled();
    const voided = (await RedemptionModel.findById(results[0]!.body.redemption.id).lean())!;
    expect(voided).toMatchObject({ status: 'cancelled' });
    for (const r of results.slice(1)) expect((await RedemptionModel.findById(r.body.redemption.id).lean())!.status).toBe('pending');
    for (const u of others) expect((await durable(u.user.id)).balance).toBe(40);

    // Reconciliation: a chunk with two more such items (crashed after the gate) and good ones.
    await GoodsModel.updateOne({ _id: new Types.ObjectId(bad.id) }, { $set: { stock: 2 } });
    await warm(victim, bad); // the gate reloads stock 2
    await GoodsModel.updateOne({ _id: new Types.ObjectId(bad.id) }, { $set: { stock: 0 } });
    await warm(others[1]!, good);
    await warm(others[2]!, good);
    const crashed = [
      await admitOnly(victim, bad),
      await admitOnly(others[1]!, good),
      await admitOnly(victim, bad),
      await admitOnly(others[2]!, good),
    ];
    t.clock.advance(RECONCILE_GRACE_MS + 1000);
    expect(await t.services.mall.reconcile(t.clock.now())).toMatchObject({ written: 2, voided: 2, failed: 0, due: 4 });
    const status = async (id: string) => (await RedemptionModel.findById(id).lean())?.status;
    expect(await Promise.all(crashed.map((c) => status(c.id)))).toEqual(['cancelled', 'pending', 'cancelled', 'pending']);

    // The victim: nothing debited, and the gate answers from MongoDB's figures again — no 500s.
    const d = await durable(victim.user.id);
    expect(d.entries.filter((e) => e.source === 'mall')).toHaveLength(0);
    expect(d.balance).toBe(50);
    const mine = await victim.agent.get('/api/v1/me/redemptions');
    expect(mine.status).toBe(200);
    expect(mine.body.items.filter((i: { status: string }) => i.status === 'cancelled')).toHaveLength(3);
    expect((await redeem(victim, bad.id)).body.error.code).toBe('GOODS_SOLD_OUT');
    const ok = await redeem(victim, good.id);
    expect(ok.status).toBe(201);
    expect(ok.body.balance).toBe(40);
    // Restocked, `bad` sells again; an admin adjustment (a frozen write) for the victim goes through.
    expect((await admin.agent.post(`/api/v1/admin/mall/goods/${bad.id}/stock`).send({ delta: 1 })).status).toBeLessThan(300);
    expect((await redeem(victim, bad.id)).status).toBe(201);
    const adj = await admin.agent
      .post(`/api/v1/admin/users/${victim.user.id}/points/adjustments`)
      .send({ amount: 5, reason: '补发活动积分' });
    expect([200, 201]).toContain(adj.status);
    expect((await durable(victim.user.id)).balance).toBe(35);
    await agree(
      [victim, ...others].map((u) => u.user.id),
      [good.id, bad.id],
    );
    t.clock.set(START);
  });
});

describe('expiry and the gate', () => {
  it('a user whose earliest lot was used up in the mall redeems from the next lot once its expiry time passes', async () => {
    const g = await createGoods({ stock: 10, price: 30 });
    let u = await loginAs(t, 'citizen');
    await give(u.user.id, 30); // lot A, expires first
    t.clock.advance(DAY);
    await give(u.user.id, 50); // lot B, a day later
    u = await loginAs(t, 'citizen', undefined, { openid: u.openid });
    // The gate caches A's expiry; this redemption uses A up.
    expect((await redeem(u, g.id)).body.balance).toBe(50);
    await settled();
    const lotA = (await durable(u.user.id)).entries.find((e) => e.amount === 30)!;
    expect(lotA.remaining).toBe(0);
    // Past A's expiry, before B's: nothing lapses, 50 spendable.
    t.clock.set(new Date(lotA.expiresAt!.getTime() + 60_000));
    u = await loginAs(t, 'citizen', undefined, { openid: u.openid });
    const late = await redeem(u, g.id);
    expect(late.status).toBe(201);
    expect(late.body.balance).toBe(20);
    await settled();
    const d = await durable(u.user.id);
    expect(d.entries.filter((e) => e.source === 'expiry')).toHaveLength(0);
    expect(d.balance).toBe(20);
    await agree([u.user.id], [g.id]);
    t.clock.set(START);
  });
});

describe('MongoDB dying at the commit of a redemption batch', () => {
  it('a commit that landed but whose answer was lost: each redemption is recorded and debited once, then confirmed', async () => {
    const g = await createGoods({ stock: 20, price: 10 });
    const users = await Promise.all(Array.from({ length: 6 }, () => loginAs(t, 'citizen')));
    for (const u of users) await give(u.user.id, 30);
    const fault = failCommits('answer-lost');
    try {
      const results = await Promise.all(users.flatMap((u) => [redeem(u, g.id), redeem(u, g.id)]));
      expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
      // The writer re-reads after the lost answer: what it finds stored is confirmed, nothing is written twice.
      await settled();
      expect(fault.calls).toBeGreaterThan(1);
    } finally {
      fault.restore();
    }
    expect(await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(g.id) })).toBe(12);
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(8);
    for (const u of users) {
      const d = await durable(u.user.id);
      expect(d.entries.filter((e) => e.source === 'mall')).toHaveLength(2);
      expect(d.balance).toBe(10);
    }
    await agree(
      users.map((u) => u.user.id),
      [g.id],
    );
  });

  it('no commit landing: nothing is confirmed, every redemption stays pending, and reconciliation writes each once', async () => {
    const g = await createGoods({ stock: 20, price: 10 });
    const users = await Promise.all(Array.from({ length: 6 }, () => loginAs(t, 'citizen')));
    for (const u of users) await give(u.user.id, 30);
    const fault = failCommits('down');
    let ids: string[];
    try {
      const results = await Promise.all(users.map((u) => redeem(u, g.id)));
      expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
      ids = results.map((r) => r.body.redemption.id as string);
      // The batch and then each of its items is tried (at least 1 + 6 commits), and each fails.
      for (let i = 0; i < 200 && fault.calls < 7; i++) await new Promise((r) => setTimeout(r, 25));
      expect(fault.calls).toBeGreaterThanOrEqual(7);
      expect(await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(g.id) })).toBe(0);
      expect((await t.deps.redis.hkeys(gateKey.pending)).filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    } finally {
      fault.restore();
    }
    t.clock.advance(RECONCILE_GRACE_MS + 1000);
    await t.services.mall.reconcile(t.clock.now());
    await settled();
    const recorded = await RedemptionModel.find({ goodsId: new Types.ObjectId(g.id) }, { _id: 1 }).lean();
    expect(recorded.map((r) => r._id.toHexString()).sort()).toEqual([...ids].sort());
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(14);
    for (const u of users) expect((await durable(u.user.id)).balance).toBe(20);
    await agree(
      users.map((u) => u.user.id),
      [g.id],
    );
  });
});
