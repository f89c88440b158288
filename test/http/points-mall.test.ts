/**
 * The points mall over HTTP on the real stack: goods management (admin only, validated), the public
 * list within active windows, redemption debiting points and stock in one transaction — 100 parallel
 * redemptions of stock 10 give exactly 10; a user with 100 points racing two 80-point redemptions gets
 * exactly one; the same Idempotency-Key replayed gives the same redemption and one debit; per-user limits
 * — the single-use code and its QR (decoded back), counter verification (核销) only by staff of that
 * outlet and only once (even when two scans race), shipping goods, and cancellation before fulfilment
 * refunding points (new entries, same expiry dates) and restoring stock.
 */
import jsQR from 'jsqr';
import { Types } from 'mongoose';
import { PNG } from 'pngjs';
import { redemptionResponseSchema, type Goods } from '@shared/schemas/points';
import { type PointsService } from '../../server/src/modules/points';
import { PointsAccountModel, PointsEntryModel } from '../../server/src/modules/points/points.model';
import { GoodsModel, RedemptionModel } from '../../server/src/modules/mall/mall.model';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { createGoods as createMallGoods, idem, redeem, settled as mallSettled } from './mall-fixtures';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let points: PointsService;
let admin: LoggedIn;
const OUTLET = 'outlet-county-centre';
const OTHER_OUTLET = 'outlet-east-town';

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-24T02:00:00Z' });
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
    idempotencyKey: `mall-test:${++n}`,
  });
  expect(r.status).toBe('credited');
}
const createGoods = (overrides: Record<string, unknown> = {}): Promise<Goods> =>
  createMallGoods(admin, OUTLET, '测试商品', { images: [], description: '县融媒中心文创', ...overrides });
const settled = () => mallSettled(t);
async function balanceOf(userId: string) {
  await settled();
  return (await PointsAccountModel.findById(userId).lean())?.balance ?? 0;
}
async function sumOf(userId: string) {
  await settled();
  return (await PointsEntryModel.find({ userId: new Types.ObjectId(userId) }).lean()).reduce((s, e) => s + e.amount, 0);
}

describe('goods', () => {
  it('only admins create goods; pickup goods need an outlet; bad bodies are refused', async () => {
    const citizen = await loginAs(t, 'citizen');
    expect(
      (await citizen.agent.post('/api/v1/admin/mall/goods').send({ name: 'x', price: 1, stock: 1, deliveryMode: 'ship' })).status,
    ).toBe(403);
    const noOutlet = await admin.agent
      .post('/api/v1/admin/mall/goods')
      .send({ name: '保温杯', price: 10, stock: 1, deliveryMode: 'pickup' });
    expect(noOutlet.status).toBe(400);
    expect(noOutlet.body.error.code).toBe('GOODS_INVALID');
    for (const bad of [{ price: 0 }, { price: 1.5 }, { stock: -1 }, { deliveryMode: 'drone' }, { $set: 1 }]) {
      const res = await admin.agent
        .post('/api/v1/admin/mall/goods')
        .send({ name: '保温杯', price: 10, stock: 1, deliveryMode: 'ship', ...bad });
      expect(res.status).toBe(400);
    }
    const g = await createGoods({ images: ['/api/v1/files/abc.png'] });
    expect(g).toMatchObject({ price: 30, stock: 5, active: true, outletId: OUTLET });
    expect(await AuditLogModel.countDocuments({ action: 'mall.goods.create', targetId: g.id })).toBe(1);
  });

  it('lists only goods inside their active window; redeeming outside it is refused', async () => {
    const now = t.clock.now().getTime();
    const future = await createGoods({ activeFrom: new Date(now + 86_400_000).toISOString() });
    const past = await createGoods({ activeUntil: new Date(now - 1000).toISOString() });
    const current = await createGoods();
    const list = await t.request.get('/api/v1/mall/goods').query({ limit: 50 });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((g: Goods) => g.id);
    expect(ids).toContain(current.id);
    expect(ids).not.toContain(future.id);
    expect(ids).not.toContain(past.id);
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    const res = await redeem(u, future.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('GOODS_NOT_ACTIVE');
    expect(await balanceOf(u.user.id)).toBe(100);
  });
});

describe('redemption', () => {
  it('debits points and stock, returns a single-use code and a QR that decodes to it', async () => {
    const g = await createGoods({ price: 30, stock: 2 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    const res = await redeem(u, g.id);
    expect(res.status).toBe(201);
    const { redemption, balance } = redemptionResponseSchema.parse(res.body);
    expect(balance).toBe(70);
    expect(redemption).toMatchObject({ status: 'pending', price: 30, goodsName: g.name });
    expect(redemption.code).toMatch(/^[A-Z0-9]{12}$/);
    await settled();
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(1);

    const qr = await u.agent.get(`/api/v1/me/redemptions/${redemption.id}/qr`);
    expect(qr.status).toBe(200);
    const png = PNG.sync.read(Buffer.from(qr.body.qrDataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(redemption.code);

    const ledger = await u.agent.get('/api/v1/me/points/ledger');
    expect(ledger.body.items[0]).toMatchObject({ amount: -30, source: 'mall', reason: `兑换「${g.name}」` });

    // Nobody else sees it or its code.
    const other = await loginAs(t, 'citizen');
    expect((await other.agent.get(`/api/v1/me/redemptions/${redemption.id}`)).status).toBe(404);
    expect((await other.agent.get(`/api/v1/me/redemptions/${redemption.id}/qr`)).status).toBe(404);
    const mine = await u.agent.get('/api/v1/me/redemptions');
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([redemption.id]);
    // The answer given at the gate, before the durable write, is the redemption as stored.
    expect((await u.agent.get(`/api/v1/me/redemptions/${redemption.id}`)).body.redemption).toEqual(redemption);
  });

  it('requires an Idempotency-Key, and answers POINTS_INSUFFICIENT without touching stock', async () => {
    const g = await createGoods({ price: 500, stock: 3 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    const noKey = await u.agent.post(`/api/v1/mall/goods/${g.id}/redeem`).send({});
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const poor = await redeem(u, g.id);
    expect(poor.status).toBe(422);
    expect(poor.body.error.code).toBe('POINTS_INSUFFICIENT');
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(3);
    expect(await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(g.id) })).toBe(0);
  });

  it('100 parallel redemptions of stock 10 → exactly 10 succeed, no oversell, every debit matched', async () => {
    const g = await createGoods({ price: 20, stock: 10 });
    const users: LoggedIn[] = [];
    for (let i = 0; i < 10; i++) users.push(...(await Promise.all(Array.from({ length: 10 }, () => loginAs(t, 'citizen')))));
    for (const u of users) await give(u.user.id, 50);
    const results = await Promise.all(users.map((u) => redeem(u, g.id)));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(10);
    expect(results.filter((r) => r.status === 410 && r.body.error.code === 'GOODS_SOLD_OUT')).toHaveLength(90);
    await settled();
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(0);
    expect(await RedemptionModel.countDocuments({ goodsId: new Types.ObjectId(g.id) })).toBe(10);
    const codes = new Set(ok.map((r) => r.body.redemption.code));
    expect(codes.size).toBe(10);
    for (const u of users) {
      const b = await balanceOf(u.user.id);
      expect(b).toBe(await sumOf(u.user.id));
      expect([30, 50]).toContain(b);
    }
    expect((await Promise.all(users.map((u) => balanceOf(u.user.id)))).filter((b) => b === 30)).toHaveLength(10);
    // Signing in 100 people and paying them takes a while on a loaded 2-core CI machine.
  }, 180_000);

  it('a user with 100 points racing two 80-point redemptions gets exactly one', async () => {
    const a = await createGoods({ price: 80, stock: 5 });
    const b = await createGoods({ price: 80, stock: 5 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    const [r1, r2] = await Promise.all([redeem(u, a.id), redeem(u, b.id)]);
    expect([r1.status, r2.status].sort()).toEqual([201, 422]);
    expect([r1, r2].find((r) => r.status === 422)!.body.error.code).toBe('POINTS_INSUFFICIENT');
    expect(await balanceOf(u.user.id)).toBe(20);
    expect(await sumOf(u.user.id)).toBe(20);
    const stocks = [(await GoodsModel.findById(a.id).lean())!.stock, (await GoodsModel.findById(b.id).lean())!.stock].sort();
    expect(stocks).toEqual([4, 5]);
  });

  it('the same Idempotency-Key replayed → the same redemption, one debit; a different body with it is refused', async () => {
    const g = await createGoods({ price: 25, stock: 5 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    const key = idem();
    const first = await redeem(u, g.id, key);
    expect(first.status).toBe(201);
    const again = await redeem(u, g.id, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // Racing retries of a fresh key: one redemption, one debit.
    const key2 = idem();
    const racing = await Promise.all(Array.from({ length: 5 }, () => redeem(u, g.id, key2)));
    const made = racing.filter((r) => r.status === 201);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(new Set(made.map((r) => r.body.redemption.id)).size).toBe(1);
    expect(racing.every((r) => r.status === 201 || r.body.error.code === 'REQUEST_IN_PROGRESS')).toBe(true);
    await settled();

    expect(await RedemptionModel.countDocuments({ userId: new Types.ObjectId(u.user.id) })).toBe(2);
    expect(await PointsEntryModel.countDocuments({ userId: new Types.ObjectId(u.user.id), source: 'mall' })).toBe(2);
    expect(await balanceOf(u.user.id)).toBe(50);
    // Even when the Redis replay record is gone (expired, flushed), the redemption itself answers the retry —
    // also after it took the last unit.
    const last = await createGoods({ price: 10, stock: 1 });
    const key3 = idem();
    const took = await redeem(u, last.id, key3);
    expect(took.status).toBe(201);
    await t.deps.redis.del(`idem:${u.user.id}:${key3}`);
    const retried = await redeem(u, last.id, key3);
    expect(retried.status).toBe(201);
    expect(retried.body.redemption).toEqual(took.body.redemption);
    expect(await balanceOf(u.user.id)).toBe(40);
    const reused = await redeem(u, g.id, key, { shipping: { name: '张三', phone: '13800000000', address: '城关镇' } });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('enforces the per-user limit, counting only redemptions not cancelled', async () => {
    const g = await createGoods({ price: 5, stock: 10, perUserLimit: 2 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    const results = await Promise.all(Array.from({ length: 4 }, () => redeem(u, g.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 422 && r.body.error.code === 'GOODS_LIMIT_REACHED')).toHaveLength(2);
    const id = results.find((r) => r.status === 201)!.body.redemption.id;
    expect((await u.agent.post(`/api/v1/me/redemptions/${id}/cancel`).send({})).status).toBe(200);
    expect((await redeem(u, g.id)).status).toBe(201);
  });

  it('shipping goods need an address and are fulfilled by an admin, not at a counter', async () => {
    const g = await createGoods({ deliveryMode: 'ship', outletId: null, price: 10 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 50);
    const noAddress = await redeem(u, g.id);
    expect(noAddress.status).toBe(422);
    expect(noAddress.body.error.code).toBe('SHIPPING_REQUIRED');
    const ok = await redeem(u, g.id, idem(), { shipping: { name: '李四', phone: '13900000000', address: '城关镇幸福路 1 号' } });
    expect(ok.status).toBe(201);
    expect(ok.body.redemption.shipping).toEqual({ name: '李四', phone: '13900000000', address: '城关镇幸福路 1 号' });
    const shipped = await admin.agent.post(`/api/v1/admin/mall/redemptions/${ok.body.redemption.id}/ship`).send({});
    expect(shipped.status).toBe(200);
    expect(shipped.body.redemption.status).toBe('fulfilled');
  });
});

describe('counter verification (核销)', () => {
  let g: Goods;
  let u: LoggedIn;
  let clerk: LoggedIn;
  beforeAll(async () => {
    g = await createGoods({ price: 10, stock: 10 });
    u = await loginAs(t, 'citizen');
    await give(u.user.id, 100);
    clerk = await loginAs(t, 'merchant_clerk', { type: 'outlet', id: OUTLET });
  });

  it('shows staff of the outlet what to hand over, and verifies a code only once', async () => {
    const { redemption } = (await redeem(u, g.id)).body;
    const seen = await clerk.agent.get(`/api/v1/mall/verifications/${redemption.code}`);
    expect(seen.status).toBe(200);
    expect(seen.body.redemption).toMatchObject({ goodsName: g.name, status: 'pending' });
    const first = await clerk.agent.post('/api/v1/mall/verifications').send({ code: redemption.code });
    expect(first.status).toBe(200);
    expect(first.body.redemption.status).toBe('fulfilled');
    const second = await clerk.agent.post('/api/v1/mall/verifications').send({ code: redemption.code });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('REDEMPTION_ALREADY_FULFILLED');
    expect(await AuditLogModel.countDocuments({ action: 'mall.redemption.verify', targetId: redemption.id })).toBe(1);
    // A fulfilled redemption can't be cancelled, and its QR is no longer offered.
    const cancel = await u.agent.post(`/api/v1/me/redemptions/${redemption.id}/cancel`).send({});
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe('REDEMPTION_NOT_CANCELLABLE');
  });

  it('two clerks scanning the same code at once: exactly one verification', async () => {
    const { redemption } = (await redeem(u, g.id)).body;
    const clerk2 = await loginAs(t, 'merchant_clerk', { type: 'outlet', id: OUTLET });
    const results = await Promise.all(
      [clerk, clerk2, clerk, clerk2].map((c) => c.agent.post('/api/v1/mall/verifications').send({ code: redemption.code })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(3);
  });

  it('a scan retried with its Idempotency-Key after a lost answer gets the success again; other staff still get 已核销', async () => {
    const { redemption } = (await redeem(u, g.id)).body;
    const scan = (who: LoggedIn, key: string) =>
      who.agent.post('/api/v1/mall/verifications').set('Idempotency-Key', key).send({ code: redemption.code });
    const first = await scan(clerk, 'scan-lost-answer-01');
    expect(first.status).toBe(200);
    // No generic replay record survives to answer the retry: the service itself must recognise it.
    expect(await t.deps.redis.exists(`idem:${clerk.user.id}:scan-lost-answer-01`)).toBe(0);
    const retry = await scan(clerk, 'scan-lost-answer-01');
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.redemption).toMatchObject({ id: redemption.id, status: 'fulfilled' });
    // A new scan (new key), or another clerk with the same key, is a second verification: refused.
    expect((await scan(clerk, 'scan-lost-answer-02')).body.error.code).toBe('REDEMPTION_ALREADY_FULFILLED');
    const clerk2 = await loginAs(t, 'merchant_clerk', { type: 'outlet', id: OUTLET });
    const other = await scan(clerk2, 'scan-lost-answer-01');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('REDEMPTION_ALREADY_FULFILLED');
    expect(await AuditLogModel.countDocuments({ action: 'mall.redemption.verify', targetId: redemption.id })).toBe(1);
  });

  it('staff of another outlet, citizens and admins cannot verify; unknown codes are refused', async () => {
    const { redemption } = (await redeem(u, g.id)).body;
    const elsewhere = await loginAs(t, 'merchant_clerk', { type: 'outlet', id: OTHER_OUTLET });
    const wrong = await elsewhere.agent.post('/api/v1/mall/verifications').send({ code: redemption.code });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('REDEMPTION_WRONG_OUTLET');
    expect((await elsewhere.agent.get(`/api/v1/mall/verifications/${redemption.code}`)).status).toBe(403);
    const merchantClerk = await loginAs(t, 'merchant_clerk', { type: 'merchant', id: 'some-merchant' });
    expect((await merchantClerk.agent.post('/api/v1/mall/verifications').send({ code: redemption.code })).status).toBe(403);
    expect((await u.agent.post('/api/v1/mall/verifications').send({ code: redemption.code })).status).toBe(403);
    expect((await admin.agent.post('/api/v1/mall/verifications').send({ code: redemption.code })).status).toBe(403);
    const unknown = await clerk.agent.post('/api/v1/mall/verifications').send({ code: 'ZZZZZZZZZZZZ' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('REDEMPTION_CODE_INVALID');
    expect((await clerk.agent.post('/api/v1/mall/verifications').send({ code: 'bad code' })).status).toBe(400);
    expect((await RedemptionModel.findById(redemption.id).lean())!.status).toBe('pending');
  });
});

describe('cancellation', () => {
  it('before fulfilment refunds points as new entries with the original expiry dates, and restores stock; only once', async () => {
    const g = await createGoods({ price: 40, stock: 1 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 25);
    t.clock.advance(60_000); // a second lot expiring a minute later
    await give(u.user.id, 25);
    const res = await redeem(u, g.id);
    expect(res.status).toBe(201);
    const id = res.body.redemption.id;
    await settled();
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(0);

    const stranger = await loginAs(t, 'citizen');
    expect((await stranger.agent.post(`/api/v1/me/redemptions/${id}/cancel`).send({})).status).toBe(404);

    const [c1, c2] = await Promise.all([
      u.agent.post(`/api/v1/me/redemptions/${id}/cancel`).send({ reason: '不想要了' }),
      u.agent.post(`/api/v1/me/redemptions/${id}/cancel`).send({ reason: '不想要了' }),
    ]);
    expect([c1.status, c2.status].sort()).toEqual([200, 409]);
    const ok = c1.status === 200 ? c1 : c2;
    expect(ok.body.redemption.status).toBe('cancelled');
    expect(ok.body.balance).toBe(50);
    expect((await GoodsModel.findById(g.id).lean())!.stock).toBe(1);
    const entries = await PointsEntryModel.find({ userId: new Types.ObjectId(u.user.id) })
      .sort({ _id: 1 })
      .lean();
    expect(entries.map((e) => e.amount)).toEqual([25, 25, -40, 25, 15]);
    expect(entries[3]!.expiresAt!.getTime()).toBe(entries[0]!.expiresAt!.getTime());
    expect(entries[4]!.expiresAt!.getTime()).toBe(entries[1]!.expiresAt!.getTime());
    expect(entries[3]!.reason).toBe(`取消兑换「${g.name}」退回`);
    expect(await sumOf(u.user.id)).toBe(50);

    // The code of a cancelled redemption can't be verified.
    const clerk = await loginAs(t, 'merchant_clerk', { type: 'outlet', id: OUTLET });
    const verify = await clerk.agent.post('/api/v1/mall/verifications').send({ code: res.body.redemption.code });
    expect(verify.status).toBe(410);
    expect(verify.body.error.code).toBe('REDEMPTION_CANCELLED');
  });

  it('an admin may cancel for the user (audited)', async () => {
    const g = await createGoods({ price: 10, stock: 1 });
    const u = await loginAs(t, 'citizen');
    await give(u.user.id, 10);
    const { redemption } = (await redeem(u, g.id)).body;
    const res = await admin.agent.post(`/api/v1/admin/mall/redemptions/${redemption.id}/cancel`).send({ reason: '商品质量问题' });
    expect(res.status).toBe(200);
    expect(await balanceOf(u.user.id)).toBe(10);
    expect(await AuditLogModel.countDocuments({ action: 'mall.redemption.cancel', targetId: redemption.id })).toBe(1);
  });
});
