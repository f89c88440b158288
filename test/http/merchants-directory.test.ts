/**
 * 企业之家 over HTTP: applying to list a shop (validated fields, one pending application per person),
 * editors approving (which makes the applicant the shop's owner) or declining with a reason, the public
 * directory (approved only, by category, keyword, nearest first), clerk invites, and promotions through
 * WeChat's text check (risky refused, "review" flagged) and the editor's light review before they appear
 * on the merchant page and in the 企业之家 column.
 */
import {
  merchantApplicationPageSchema,
  merchantDetailListResponseSchema,
  merchantListResponseSchema,
  merchantResponseSchema,
  promotionPageSchema,
  promotionResponseSchema,
} from '@shared/schemas/merchants';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { applyAs, approvedMerchant, shopBody } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-24T02:00:00Z' });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

describe('applications', () => {
  it('validates the application and allows one pending application per person', async () => {
    const me = await loginAs(t, 'citizen');
    const bad = await me.agent
      .post('/api/v1/merchants/applications')
      .send(shopBody({ category: '赌场', phone: '12345', licenceNo: 'nope', location: { lng: 200, lat: 0 } }))
      .expect(400);
    const paths = (bad.body.error.details.issues as Array<{ path: string }>).map((i) => i.path).sort();
    expect(paths).toEqual(['category', 'licenceNo', 'licencePhotoFileId', 'location.lng', 'phone']);
    await t.request.post('/api/v1/merchants/applications').send(shopBody()).expect(401);

    const first = await applyAs(me);
    expect(first.status).toBe(201);
    expect(merchantResponseSchema.parse(first.body).merchant).toMatchObject({ state: 'pending', ownerId: me.user.id });
    const second = await applyAs(me);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('MERCHANT_APPLICATION_PENDING');
    // A pending shop is not public.
    await t.request.get(`/api/v1/merchants/${first.body.merchant.id}`).expect(404);
    const mine = merchantDetailListResponseSchema.parse((await me.agent.get('/api/v1/merchants/mine').expect(200)).body);
    expect(mine.items.map((m) => m.id)).toEqual([first.body.merchant.id]);
  });

  it('editors decline with a reason or approve, which makes the applicant the shop owner', async () => {
    const me = await loginAs(t, 'citizen');
    const applied = await applyAs(me);
    expect(applied.status).toBe(201);
    const id = applied.body.merchant.id as string;
    await me.agent.post(`/api/v1/merchants/${id}/decision`).send({ decision: 'approve' }).expect(403);
    const noReason = await editor.agent.post(`/api/v1/merchants/${id}/decision`).send({ decision: 'decline' }).expect(400);
    expect(noReason.body.error.details.issues[0].path).toBe('reason');
    const queue = merchantApplicationPageSchema.parse((await editor.agent.get('/api/v1/merchants/applications').expect(200)).body);
    expect(queue.items.map((m) => m.id)).toContain(id);

    const declined = await editor.agent
      .post(`/api/v1/merchants/${id}/decision`)
      .send({ decision: 'decline', reason: '营业执照照片不清晰' })
      .expect(200);
    expect(declined.body.merchant).toMatchObject({ state: 'declined', reason: '营业执照照片不清晰' });
    const twice = await editor.agent.post(`/api/v1/merchants/${id}/decision`).send({ decision: 'approve' }).expect(409);
    expect(twice.body.error.code).toBe('MERCHANT_STATE_CONFLICT');

    // Declined: may apply again, and this time is approved.
    const retry = await applyAs(me);
    expect(retry.status).toBe(201);
    await editor.agent.post(`/api/v1/merchants/${retry.body.merchant.id}/decision`).send({ decision: 'approve' }).expect(200);
    // The old token predates the new role and is refused; signing in again carries merchant_owner.
    await me.agent.get('/api/v1/merchants/mine').expect(401);
    const owner = await loginAs(t, 'citizen', undefined, { openid: me.openid });
    expect(owner.user.roles).toContainEqual({ role: 'merchant_owner', scope: { type: 'merchant', id: retry.body.merchant.id } });
    // The owner keeps the listing current; the reviewed name can't be changed this way.
    const edited = await owner.agent
      .patch(`/api/v1/merchants/${retry.body.merchant.id}`)
      .send({ hours: '周一至周日 08:00-22:00' })
      .expect(200);
    expect(edited.body.merchant.hours).toBe('周一至周日 08:00-22:00');
    expect(edited.body.merchant.intro).toBe(retry.body.merchant.intro);
    expect(edited.body.merchant.photos).toEqual(retry.body.merchant.photos);
    await owner.agent.patch(`/api/v1/merchants/${retry.body.merchant.id}`).send({ name: '改个名' }).expect(400);
    await editor.agent.patch(`/api/v1/merchants/${retry.body.merchant.id}`).send({ hours: '全天' }).expect(403);
    const invite = await owner.agent.post(`/api/v1/merchants/${retry.body.merchant.id}/clerk-invites`).expect(201);
    expect(invite.body.code).toMatch(/^[A-Z0-9]{8}$/);
    // Another shop's owner can't invite clerks here.
    const other = await approvedMerchant(t, editor);
    await other.owner.agent.post(`/api/v1/merchants/${retry.body.merchant.id}/clerk-invites`).expect(403);
  });
});

describe('directory', () => {
  it('lists approved shops by category and keyword, nearest first from where the user stands', async () => {
    // Three shops around 广昌 county town, plus one pending that must not show.
    const near = await approvedMerchant(t, editor, { name: '莲乡米粉店', category: '餐饮', location: { lng: 116.326, lat: 26.839 } });
    const mid = await approvedMerchant(t, editor, { name: '白莲酒家', category: '餐饮', location: { lng: 116.36, lat: 26.86 } });
    const far = await approvedMerchant(t, editor, {
      name: '驿前古镇民宿',
      category: '文旅',
      location: { lng: 116.5, lat: 26.6 },
      intro: '白莲花海旁',
    });
    const pending = await loginAs(t, 'citizen');
    expect((await applyAs(pending, { name: '白莲待审小店', location: { lng: 116.3255, lat: 26.8385 } })).status).toBe(201);

    const here = 'lat=26.838&lng=116.325';
    const all = merchantListResponseSchema.parse((await t.request.get(`/api/v1/merchants?${here}&limit=100`).expect(200)).body).items;
    const ids = all.map((m) => m.id);
    expect(ids.indexOf(near.merchantId)).toBeLessThan(ids.indexOf(mid.merchantId));
    expect(ids.indexOf(mid.merchantId)).toBeLessThan(ids.indexOf(far.merchantId));
    expect(all.some((m) => m.name === '白莲待审小店')).toBe(false);
    const distances = all.map((m) => m.distanceM!);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(all.find((m) => m.id === near.merchantId)?.distanceM).toBeLessThan(200);

    const food = merchantListResponseSchema.parse(
      (await t.request.get(`/api/v1/merchants?category=${encodeURIComponent('文旅')}`).expect(200)).body,
    ).items;
    expect(food.map((m) => m.id)).toEqual([far.merchantId]);
    const lotus = merchantListResponseSchema.parse(
      (await t.request.get(`/api/v1/merchants?q=${encodeURIComponent('白莲')}&${here}`).expect(200)).body,
    ).items;
    expect(lotus.map((m) => m.id)).toEqual([mid.merchantId, far.merchantId]);
    // Regex characters in the keyword are text, not a pattern.
    await t.request.get(`/api/v1/merchants?q=${encodeURIComponent('.*')}`).expect(200, { items: [] });
    await t.request.get('/api/v1/merchants?lat=26.8').expect(400);
    const page = await t.request.get(`/api/v1/merchants/${near.merchantId}`).expect(200);
    expect(page.body.merchant).not.toHaveProperty('licenceNo');
  });
});

describe('promotions', () => {
  it('pass the text check and an editor review before they are public; risky text is refused', async () => {
    const shop = await approvedMerchant(t, editor, { name: '旴江家电城', category: '家居家电' });
    const path = `/api/v1/merchants/${shop.merchantId}/promotions`;
    const risky = await shop.owner.agent.post(path).send({ kind: '促销', title: '开业大促', body: '进店送赌博筹码' }).expect(422);
    expect(risky.body.error.code).toBe('CONTENT_RISKY');
    const stranger = await loginAs(t, 'citizen');
    await stranger.agent.post(path).send({ kind: '促销', title: '冒充', body: '全场五折' }).expect(403);

    const created = await shop.owner.agent
      .post(path)
      .send({ kind: '开业', title: '盛大开业', body: '开业三天全场八折，欢迎光临！' })
      .expect(201);
    const flagged = await shop.owner.agent.post(path).send({ kind: '促销', title: '双十二', body: '加微信领优惠' }).expect(201);
    expect(promotionResponseSchema.parse(created.body).promotion).toMatchObject({ state: 'pending', textSafety: 'pass' });
    expect(flagged.body.promotion.textSafety).toBe('review');
    // Not public before review.
    expect((await t.request.get(path).expect(200)).body.items).toEqual([]);

    const queue = promotionPageSchema.parse((await editor.agent.get('/api/v1/promotions/queue').expect(200)).body).items;
    expect(queue.map((p) => p.id)).toEqual(expect.arrayContaining([created.body.promotion.id, flagged.body.promotion.id]));
    await editor.agent.post(`/api/v1/promotions/${created.body.promotion.id}/review`).send({ decision: 'publish' }).expect(200);
    await editor.agent
      .post(`/api/v1/promotions/${flagged.body.promotion.id}/review`)
      .send({ decision: 'reject', reason: '含引流信息' })
      .expect(200);
    const again = await editor.agent
      .post(`/api/v1/promotions/${created.body.promotion.id}/review`)
      .send({ decision: 'reject', reason: 'x' })
      .expect(409);
    expect(again.body.error.code).toBe('PROMOTION_STATE_CONFLICT');

    const onPage = promotionPageSchema.parse((await t.request.get(path).expect(200)).body).items;
    expect(onPage.map((p) => p.title)).toEqual(['盛大开业']);
    expect(onPage[0]).toMatchObject({ merchantName: '旴江家电城', state: 'published' });
    const column = promotionPageSchema.parse((await t.request.get('/api/v1/promotions').expect(200)).body).items;
    expect(column.map((p) => p.id)).toContain(created.body.promotion.id);
    expect(column.map((p) => p.id)).not.toContain(flagged.body.promotion.id);
    // …and in the feed's 企业之家 column, as one article.
    const articleId = onPage[0]!.articleId;
    expect(articleId).toMatch(/^[0-9a-f]{24}$/);
    const feed = await t.request.get('/api/v1/feed?column=enterprise').expect(200);
    const cards = (feed.body.items as Array<{ id: string; title: string }>).filter((a) => a.id === articleId);
    // Marked as a promotion: the home page spaces promotions out and labels them 推广.
    expect(cards).toEqual([expect.objectContaining({ title: '【开业】旴江家电城：盛大开业', sponsored: true })]);
    const news = await t.request.get('/api/v1/feed?kind=news&limit=50').expect(200);
    expect((news.body.items as Array<{ id: string }>).map((a) => a.id)).not.toContain(articleId);
  });
});
