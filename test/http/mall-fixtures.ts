import { Types } from 'mongoose';
import { goodsResponseSchema, type Goods } from '@shared/schemas/points';
import { gateKey } from '../../server/src/modules/mall/redeem-gate';
import type { LoggedIn, TestContext } from '../harness';

/** Helpers shared by the mall suites (points-mall, points-gate). */

let seq = 0;

/** Goods at the given outlet (30 points, 5 in stock, collected at the counter unless overridden). */
export async function createGoods(
  admin: LoggedIn,
  outletId: string,
  name: string,
  overrides: Record<string, unknown> = {},
): Promise<Goods> {
  const res = await admin.agent.post('/api/v1/admin/mall/goods').send({
    name: `${name}${++seq}`,
    price: 30,
    stock: 5,
    deliveryMode: 'pickup',
    outletId,
    ...overrides,
  });
  expect(res.status).toBe(201);
  return goodsResponseSchema.parse(res.body).goods;
}

export const idem = () => `k-${new Types.ObjectId().toHexString()}`;

export const redeem = (u: LoggedIn, goodsId: string, key = idem(), body: object = {}) =>
  u.agent.post(`/api/v1/mall/goods/${goodsId}/redeem`).set('Idempotency-Key', key).send(body);

/**
 * The answer comes from the Redis gate; MongoDB's records follow in a batch a moment later. Checks of what
 * MongoDB holds wait until nothing is pending (a writer that never writes fails the test here).
 */
export async function settled(t: TestContext): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await t.deps.redis.hlen(gateKey.pending)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('redemptions still not written to MongoDB after 10 s');
}
