/**
 * A shop's own promotions over HTTP (GET /api/v1/merchants/:id/promotions/all): its owner and clerks see
 * every one in every review state — 待审核, 已发布, 未通过 with the editor's reason — with its photos; another
 * shop's owner, a citizen and a signed-out caller are refused; the public list still shows only published ones.
 */
import { promotionPageSchema, promotionResponseSchema } from '@shared/schemas/merchants';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-24T02:00:00Z' });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

async function clerkOf(shop: { merchantId: string; owner: LoggedIn }): Promise<LoggedIn> {
  const invite = await shop.owner.agent.post(`/api/v1/merchants/${shop.merchantId}/clerk-invites`).expect(201);
  const person = await loginAs(t, 'citizen');
  await person.agent.post('/api/v1/merchants/clerk-invites/accept').send({ code: invite.body.code }).expect(200);
  return loginAs(t, 'citizen', undefined, { openid: person.openid });
}

describe("a shop's own promotions", () => {
  it('the owner and clerks see pending, published and rejected ones (with the reason); the public sees only published', async () => {
    const shop = await approvedMerchant(t, editor, { name: '旴江照相馆' });
    const other = await approvedMerchant(t, editor, { name: '隔壁小卖部' });
    const post = (body: Record<string, unknown>) =>
      shop.owner.agent.post(`/api/v1/merchants/${shop.merchantId}/promotions`).send(body).expect(201);

    const pending = promotionResponseSchema.parse(
      (
        await post({
          kind: '开业',
          title: '新店开业',
          body: '开业当天拍照八折',
          photos: ['/api/v1/files/6650f0c2a1b2c3d4e5f60718', 'https://img.example.cn/shop-front.jpg'],
        })
      ).body,
    ).promotion;
    const published = (await post({ kind: '促销', title: '周末特惠', body: '证件照买一送一' })).body.promotion as { id: string };
    const rejected = (await post({ kind: '庆典', title: '周年庆', body: '转发朋友圈领礼品' })).body.promotion as { id: string };
    await editor.agent.post(`/api/v1/promotions/${published.id}/review`).send({ decision: 'publish' }).expect(200);
    await editor.agent
      .post(`/api/v1/promotions/${rejected.id}/review`)
      .send({ decision: 'reject', reason: '不得以转发朋友圈作为领奖条件' })
      .expect(200);
    // Another shop's promotion never shows in this one's list.
    await other.owner.agent
      .post(`/api/v1/merchants/${other.merchantId}/promotions`)
      .send({ kind: '促销', title: '隔壁促销', body: '饮料第二件半价' })
      .expect(201);

    const path = `/api/v1/merchants/${shop.merchantId}/promotions/all`;
    const all = promotionPageSchema.parse((await shop.owner.agent.get(path).expect(200)).body).items;
    expect(all.map((p) => [p.title, p.state, p.reason])).toEqual([
      ['周年庆', 'rejected', '不得以转发朋友圈作为领奖条件'],
      ['周末特惠', 'published', null],
      ['新店开业', 'pending', null],
    ]);
    expect(all.find((p) => p.id === pending.id)?.photos).toEqual([
      '/api/v1/files/6650f0c2a1b2c3d4e5f60718',
      'https://img.example.cn/shop-front.jpg',
    ]);
    const onlyRejected = promotionPageSchema.parse((await shop.owner.agent.get(`${path}?state=rejected`).expect(200)).body).items;
    expect(onlyRejected.map((p) => p.id)).toEqual([rejected.id]);
    await shop.owner.agent.get(`${path}?state=draft`).expect(400);

    // A clerk of the shop sees the same list.
    const clerk = await clerkOf(shop);
    const seenByClerk = promotionPageSchema.parse((await clerk.agent.get(path).expect(200)).body).items;
    expect(seenByClerk.map((p) => p.id)).toEqual(all.map((p) => p.id));

    // The public page of the shop: published only.
    const publicList = promotionPageSchema.parse(
      (await t.request.get(`/api/v1/merchants/${shop.merchantId}/promotions`).expect(200)).body,
    ).items;
    expect(publicList.map((p) => p.id)).toEqual([published.id]);
  });

  it('fails nicely for anyone who does not run the shop', async () => {
    const shop = await approvedMerchant(t, editor, { name: '旴江花店' });
    await shop.owner.agent
      .post(`/api/v1/merchants/${shop.merchantId}/promotions`)
      .send({ kind: '新品', title: '新品上架', body: '多肉植物到货' })
      .expect(201);
    const path = `/api/v1/merchants/${shop.merchantId}/promotions/all`;

    const other = await approvedMerchant(t, editor, { name: '另一家店' });
    const refused = await other.owner.agent.get(path).expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const citizen = await loginAs(t, 'citizen');
    await citizen.agent.get(path).expect(403);
    const anonymous = await t.request.get(path).expect(401);
    expect(anonymous.body.error.code).toBe('AUTH_REQUIRED');
    await shop.owner.agent.get('/api/v1/merchants/not-an-id/promotions/all').expect(400);
  });
});
