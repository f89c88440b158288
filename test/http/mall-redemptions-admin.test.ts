/**
 * The admin's list of every redemption (the console's 兑换记录): newest first, filtered by status and delivery mode,
 * paged with a cursor that neither loses nor repeats a row while new redemptions arrive; admins only.
 */
import { redemptionListResponseSchema, type Redemption } from '@shared/schemas/points';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { createGoods, idem, redeem, settled } from './mall-fixtures';

let t: TestContext;
let admin: LoggedIn;
let n = 0;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-12-07T02:00:00Z' });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

const SHIPPING = { shipping: { name: '李四', phone: '13900000000', address: '城关镇幸福路 1 号' } };

/** A citizen with points redeems `goodsId` once; returns the redemption's id once MongoDB holds it. */
async function redeemed(goodsId: string, body: object = {}): Promise<string> {
  const u = await loginAs(t, 'citizen');
  const credited = await t.services.points.earn({
    userId: u.user.id,
    source: 'contest',
    amount: 100,
    reason: '评选奖励',
    ref: { type: 'test', id: String(++n) },
    idempotencyKey: `admin-list:${n}`,
  });
  expect(credited.status).toBe('credited');
  const res = await redeem(u, goodsId, idem(), body);
  expect(res.status).toBe(201);
  await settled(t);
  return res.body.redemption.id as string;
}

async function list(query: Record<string, string | number>): Promise<{ items: Redemption[]; nextCursor: string | null }> {
  const res = await admin.agent.get('/api/v1/admin/mall/redemptions').query(query).expect(200);
  return redemptionListResponseSchema.parse(res.body);
}

describe('GET /admin/mall/redemptions', () => {
  it('filters by status and delivery mode, newest first', async () => {
    const pickup = await createGoods(admin, 'outlet-a', '保温杯', { stock: 20, price: 10 });
    const ship = await createGoods(admin, 'outlet-a', '茶叶', { stock: 20, price: 10, deliveryMode: 'ship', outletId: null });
    const p1 = await redeemed(pickup.id);
    const s1 = await redeemed(ship.id, SHIPPING);
    const s2 = await redeemed(ship.id, SHIPPING);
    await admin.agent.post(`/api/v1/admin/mall/redemptions/${s1}/ship`).send({}).expect(200);

    const toShip = await list({ status: 'pending', deliveryMode: 'ship' });
    expect(toShip.items.map((r) => r.id)).toEqual([s2]);
    expect(toShip.items[0]!.shipping).toEqual(SHIPPING.shipping);
    expect((await list({ status: 'fulfilled' })).items.map((r) => r.id)).toEqual([s1]);
    expect((await list({ deliveryMode: 'pickup' })).items.map((r) => r.id)).toEqual([p1]);
    expect((await list({})).items.map((r) => r.id)).toEqual([s2, s1, p1]);
  });

  it('pages every redemption once while new ones arrive', async () => {
    const g = await createGoods(admin, 'outlet-b', '帆布袋', { stock: 50, price: 10 });
    const before = (await list({ limit: 50 })).items.map((r) => r.id);
    for (let i = 0; i < 3; i++) before.unshift(await redeemed(g.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
      // Newer than every page read: not in this walk, and nothing read is pushed onto a later page.
      if (pages === 0) await redeemed(g.id);
    }
    expect(seen).toEqual(before);
  });

  it('answers admins only, and refuses a bad filter in Chinese', async () => {
    const citizen = await loginAs(t, 'citizen');
    await citizen.agent.get('/api/v1/admin/mall/redemptions').expect(403);
    await t.request.get('/api/v1/admin/mall/redemptions').expect(401);
    const bad = await admin.agent.get('/api/v1/admin/mall/redemptions').query({ status: 'lost' }).expect(400);
    expect(bad.body.error.details.issues[0].path).toBe('status');
  });
});
