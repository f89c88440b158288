/**
 * Paging of promotions over HTTP: the 企业之家 column (GET /api/v1/promotions) and a shop's page
 * (GET /api/v1/merchants/:id/promotions) page newest published first by `(publishedAt, id)`, so a promotion that
 * waited longer in review still lists by when it went out; walking every page while more are published between
 * pages repeats none and loses none. The shop's own list (…/promotions/all, owner) pages newest submitted first.
 * Bad limits and cursors are refused with VALIDATION_FAILED; the last page's nextCursor is null.
 */
import { promotionPageSchema } from '@shared/schemas/merchants';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant } from './coupons-fixtures';
import { BAD_PAGE_QUERIES, walkPages } from './paging-walk';

let t: TestContext;
let editor: LoggedIn;
let shop: { merchantId: string; owner: LoggedIn };

beforeAll(async () => {
  t = await createTestContext({ now: '2026-12-01T02:00:00Z' });
  editor = await loginAs(t, 'editor');
  shop = await approvedMerchant(t, editor);
});
afterAll(() => t.close());

let made = 0;
const post = async (who = shop) => {
  const res = await who.owner.agent
    .post(`/api/v1/merchants/${who.merchantId}/promotions`)
    .send({ kind: '促销', title: `分页活动${++made}`, body: '到店有礼' });
  expect(res.status).toBe(201);
  return res.body.promotion.id as string;
};
const publish = (id: string) => editor.agent.post(`/api/v1/promotions/${id}/review`).send({ decision: 'publish' }).expect(200);

describe('published promotions paging', () => {
  it('walks newest published first with none lost or repeated while more are published between pages', async () => {
    const other = await approvedMerchant(t, editor);
    const submitted: string[] = [];
    for (let i = 0; i < 7; i += 1) submitted.push(await post());
    // Published in another order than submitted, two in the same instant (a tie on publishedAt).
    const order = [3, 0, 6, 1, 5, 2, 4];
    for (const [n, i] of order.entries()) {
      await publish(submitted[i]!);
      if (n !== 2) t.clock.advance(60_000);
    }
    await publish(await post(other));
    t.clock.advance(60_000);
    const published = order.map((i) => submitted[i]!);

    const during: string[] = [];
    const shopPage = await walkPages(
      async (cursor) => {
        const res = await t.request
          .get(`/api/v1/merchants/${shop.merchantId}/promotions`)
          .query({ limit: 3, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        return promotionPageSchema.parse(res.body);
      },
      async () => {
        const id = await post();
        await publish(id);
        during.push(id);
        t.clock.advance(60_000);
      },
    );
    const ids = shopPage.items.map((p) => p.id);
    // Newest published first; the ties (published in one instant) by id, newest first.
    const tied = [submitted[order[2]!]!, submitted[order[3]!]!].sort().reverse();
    const expected = [...published].reverse();
    expected.splice(expected.length - 4, 2, ...tied);
    expect(ids).toEqual(expected);
    expect(shopPage.pages).toBe(3);
    expect(shopPage.lastCursor).toBeNull();

    // The column: every shop's, the ones published meanwhile first on a fresh walk, each once.
    const column = await walkPages(async (cursor) =>
      promotionPageSchema.parse(
        (
          await t.request
            .get('/api/v1/promotions')
            .query({ limit: 4, ...(cursor ? { cursor } : {}) })
            .expect(200)
        ).body,
      ),
    );
    const columnIds = column.items.map((p) => p.id);
    expect(new Set(columnIds).size).toBe(columnIds.length);
    expect(columnIds).toHaveLength(published.length + during.length + 1);
    expect(columnIds.slice(0, during.length)).toEqual([...during].reverse());
  });

  it("pages the shop's own list newest submitted first, and refuses bad limits and cursors", async () => {
    const own = await approvedMerchant(t, editor);
    const mine: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      mine.push(await post(own));
      if (i % 2 === 0) t.clock.advance(1000);
    }
    const path = `/api/v1/merchants/${own.merchantId}/promotions/all`;
    const walked = await walkPages(async (cursor) =>
      promotionPageSchema.parse(
        (
          await own.owner.agent
            .get(path)
            .query({ limit: 2, ...(cursor ? { cursor } : {}) })
            .expect(200)
        ).body,
      ),
    );
    expect(walked.items.map((p) => p.id).sort()).toEqual([...mine].sort());
    expect(walked.pages).toBe(3);
    const created = walked.items.map((p) => Date.parse(p.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));

    for (const url of ['/api/v1/promotions', `/api/v1/merchants/${own.merchantId}/promotions`]) {
      for (const query of BAD_PAGE_QUERIES) {
        const res = await t.request.get(url).query(query);
        expect({ url, query, status: res.status, code: res.body.error?.code }).toEqual({
          url,
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    }
    expect((await own.owner.agent.get(path).query({ limit: 101 })).status).toBe(400);
  });
});
