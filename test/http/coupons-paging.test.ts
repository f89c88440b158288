/**
 * Paging of 领券中心 and 我的券 over HTTP. GET /api/v1/coupon-batches: `{ items, nextCursor }` by claim start
 * (soonest first, or `order=latest`), ties broken by id; walking every page while batches are issued between pages
 * repeats none and loses none. GET /api/v1/coupons/mine: the latest claimed first, same guarantees while coupons are
 * claimed between pages. Both refuse bad limits and cursors with VALIDATION_FAILED and end with nextCursor null.
 */
import { batchListResponseSchema, couponListResponseSchema, type BatchView } from '@shared/schemas/coupons';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant, batchBody } from './coupons-fixtures';
import { BAD_PAGE_QUERIES, walkPages } from './paging-walk';

let t: TestContext;
let editor: LoggedIn;
let shop: { merchantId: string; owner: LoggedIn };
const HOUR = 3600_000;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-12-01T02:00:00Z' });
  editor = await loginAs(t, 'editor');
  shop = await approvedMerchant(t, editor);
});
afterAll(() => t.close());

let made = 0;
/** A batch of this shop whose claim window opens `startsInHours` from now. */
async function issue(startsInHours: number, merchantId = shop.merchantId, owner = shop.owner): Promise<string> {
  const now = t.clock.now();
  const res = await owner.agent.post('/api/v1/coupon-batches').send(
    batchBody(merchantId, now, {
      title: `分页券${++made}`,
      claimStartsAt: new Date(now.getTime() + startsInHours * HOUR - 60_000).toISOString(),
      claimEndsAt: new Date(now.getTime() + (startsInHours + 72) * HOUR).toISOString(),
    }),
  );
  expect(res.status).toBe(201);
  return res.body.batch.id as string;
}

const key = (b: BatchView) => [Date.parse(b.claimStartsAt), b.id] as const;
const ascending = (a: readonly [number, string], b: readonly [number, string]) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

describe('GET /api/v1/coupon-batches paging', () => {
  it('walks soonest first with no batch lost or repeated while batches are issued between pages', async () => {
    const other = await approvedMerchant(t, editor);
    // Equal claim starts (0, 0, 0) exercise the id tie-break; another shop's batch stays out of the filtered walk.
    const before: string[] = [];
    for (const h of [0, 5, 0, 2, 9, 0, 1]) before.push(await issue(h));
    await issue(3, other.merchantId, other.owner);
    const during: string[] = [];
    const walked = await walkPages(
      async (cursor) => {
        const res = await t.request
          .get('/api/v1/coupon-batches')
          .query({ merchantId: shop.merchantId, limit: 3, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        return batchListResponseSchema.parse(res.body);
      },
      // One opening earlier than the cursor (belongs to a fresh first page) and one later (comes in this walk).
      async () => {
        during.push(await issue(0), await issue(48));
      },
    );
    const ids = walked.items.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => before.includes(id)).sort()).toEqual([...before].sort());
    expect(ids.every((id) => before.includes(id) || during.includes(id))).toBe(true);
    expect(walked.items.map(key)).toEqual([...walked.items.map(key)].sort(ascending));
    expect(walked.lastCursor).toBeNull();

    // A fresh walk sees everything once; `order=latest` is the same list reversed.
    const all = batchListResponseSchema.parse(
      (await t.request.get('/api/v1/coupon-batches').query({ merchantId: shop.merchantId, limit: 100 }).expect(200)).body,
    );
    expect(all.items.map((b) => b.id).sort()).toEqual([...before, ...during].sort());
    expect(all.nextCursor).toBeNull();
    const latest = await walkPages(async (cursor) =>
      batchListResponseSchema.parse(
        (
          await t.request
            .get('/api/v1/coupon-batches')
            .query({ merchantId: shop.merchantId, order: 'latest', limit: 4, ...(cursor ? { cursor } : {}) })
            .expect(200)
        ).body,
      ),
    );
    expect(latest.items.map((b) => b.id)).toEqual(all.items.map((b) => b.id).reverse());
  });

  it('filters ended batches server-side and refuses bad limits and cursors', async () => {
    const ended = await issue(-100);
    const endedOnly = batchListResponseSchema.parse(
      (await t.request.get('/api/v1/coupon-batches').query({ merchantId: shop.merchantId, include: 'ended' }).expect(200)).body,
    );
    expect(endedOnly.items.map((b) => b.id)).toEqual([ended]);
    const current = batchListResponseSchema.parse(
      (await t.request.get('/api/v1/coupon-batches').query({ merchantId: shop.merchantId, limit: 100 }).expect(200)).body,
    );
    expect(current.items.map((b) => b.id)).not.toContain(ended);
    for (const query of BAD_PAGE_QUERIES) {
      const res = await t.request.get('/api/v1/coupon-batches').query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});

describe('GET /api/v1/coupons/mine paging', () => {
  it('walks the latest claimed first with no coupon lost or repeated while coupons are claimed between pages', async () => {
    const holder = await loginAs(t, 'citizen');
    const claim = async () => {
      const batchId = await issue(-1);
      const res = await holder.agent.post(`/api/v1/coupon-batches/${batchId}/claim`);
      expect(res.status).toBe(201);
      return res.body.coupon.id as string;
    };
    const before: string[] = [];
    // Claims a minute apart, and three in the same instant (ties on claimedAt).
    for (let i = 0; i < 4; i += 1) {
      before.push(await claim());
      t.clock.advance(60_000);
    }
    for (let i = 0; i < 3; i += 1) before.push(await claim());
    t.clock.advance(60_000);
    const during: string[] = [];
    const walked = await walkPages(
      async (cursor) => {
        const res = await holder.agent.get('/api/v1/coupons/mine').query({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        return couponListResponseSchema.parse(res.body);
      },
      async () => {
        during.push(await claim());
      },
    );
    const ids = walked.items.map((c) => c.id);
    expect(ids.sort()).toEqual([...before].sort());
    expect(walked.pages).toBe(4);
    expect(walked.lastCursor).toBeNull();

    const fresh = couponListResponseSchema.parse((await holder.agent.get('/api/v1/coupons/mine').query({ limit: 100 }).expect(200)).body);
    expect(
      fresh.items
        .map((c) => c.id)
        .slice(0, during.length)
        .sort(),
    ).toEqual([...during].sort());
    expect(fresh.items).toHaveLength(before.length + during.length);
    expect(fresh.nextCursor).toBeNull();
    const claimedAt = fresh.items.map((c) => Date.parse(c.claimedAt));
    expect(claimedAt).toEqual([...claimedAt].sort((a, b) => b - a));

    for (const query of BAD_PAGE_QUERIES) {
      const res = await holder.agent.get('/api/v1/coupons/mine').query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});
