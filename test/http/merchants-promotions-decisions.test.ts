/**
 * POST /api/v1/promotions/decisions: the 商户活动 review queue's batch 发布 / 驳回. Each row is reviewed as a single
 * review would be (a published one gets its one feed article, a rejected one keeps the reason) and reported on
 * its own: an already-reviewed or unknown promotion fails alone. A rejection needs a reason; ids are 1–50 and
 * distinct; only editors (and admins) may — merchants, citizens and signed-out callers are refused.
 */
import { Types } from 'mongoose';
import { batchReviewPromotionsResponseSchema, promotionPageSchema } from '@shared/schemas/merchants';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;
let shop: { merchantId: string; owner: LoggedIn };

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-24T02:00:00Z' });
  editor = await loginAs(t, 'editor');
  shop = await approvedMerchant(t, editor, { name: '旴江照相馆' });
});
afterAll(() => t.close());

let seq = 0;
async function promotion(title = `活动${++seq}`): Promise<string> {
  const res = await shop.owner.agent
    .post(`/api/v1/merchants/${shop.merchantId}/promotions`)
    .send({ kind: '促销', title, body: '证件照买一送一' })
    .expect(201);
  return res.body.promotion.id as string;
}
const decisions = (who: LoggedIn, body: Record<string, unknown>) => who.agent.post('/api/v1/promotions/decisions').send(body);

describe('POST /api/v1/promotions/decisions', () => {
  it('publishes several in one request, reporting each row; a reviewed or unknown promotion fails alone', async () => {
    const [a, reviewed, b] = [await promotion('周末特惠'), await promotion('周年庆'), await promotion('新品上架')];
    await editor.agent.post(`/api/v1/promotions/${reviewed}/review`).send({ decision: 'reject', reason: '图片不清晰' }).expect(200);
    const missing = new Types.ObjectId().toHexString();

    const res = await decisions(editor, { ids: [a, reviewed, b, missing], decision: 'publish' }).expect(200);
    const { results } = batchReviewPromotionsResponseSchema.parse(res.body);
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      [a, true],
      [reviewed, false],
      [b, true],
      [missing, false],
    ]);
    expect(results[1]).toMatchObject({ error: { code: 'PROMOTION_STATE_CONFLICT', message: '活动当前状态不允许此操作' } });
    expect(results[3]).toMatchObject({ error: { code: 'PROMOTION_NOT_FOUND', message: '活动不存在' } });
    // Each published one got its feed article; the rejected one kept its state and reason.
    for (const r of [results[0]!, results[2]!]) expect(r.ok && r.item).toMatchObject({ state: 'published', articleId: expect.any(String) });

    const published = promotionPageSchema.parse((await editor.agent.get('/api/v1/promotions/queue').query({ state: 'published' })).body);
    expect(published.items.map((p) => p.id).sort()).toEqual([a, b].sort());
    const rejected = promotionPageSchema.parse((await editor.agent.get('/api/v1/promotions/queue').query({ state: 'rejected' })).body);
    expect(rejected.items.map((p) => [p.id, p.reason])).toEqual([[reviewed, '图片不清晰']]);
    const pending = promotionPageSchema.parse((await editor.agent.get('/api/v1/promotions/queue')).body);
    expect(pending.items.map((p) => p.id)).not.toContain(a);
  });

  it('rejects several with the reason the shop will read', async () => {
    const [a, b] = [await promotion(), await promotion()];
    const admin = await loginAs(t, 'admin');
    const res = await decisions(admin, { ids: [a, b], decision: 'reject', reason: '不得以转发朋友圈作为领奖条件' }).expect(200);
    expect(batchReviewPromotionsResponseSchema.parse(res.body).results).toEqual([
      { id: a, ok: true, item: expect.objectContaining({ state: 'rejected', reason: '不得以转发朋友圈作为领奖条件', articleId: null }) },
      { id: b, ok: true, item: expect.objectContaining({ state: 'rejected', reason: '不得以转发朋友圈作为领奖条件', articleId: null }) },
    ]);
  });

  it('a rejection needs a reason; ids are 1–50 and distinct, each an id', async () => {
    const a = await promotion();
    const noReason = await decisions(editor, { ids: [a], decision: 'reject' }).expect(400);
    expect(noReason.body.error.details.issues[0]).toMatchObject({ path: 'reason', message: '驳回需填写理由' });
    const twice = await decisions(editor, { ids: [a, a], decision: 'publish' }).expect(400);
    expect(twice.body.error.details.issues[0]).toMatchObject({ path: 'ids', message: '列表中有重复的 ID' });
    const none = await decisions(editor, { ids: [], decision: 'publish' }).expect(400);
    expect(none.body.error.details.issues[0]).toMatchObject({ path: 'ids', message: '请至少选择一项' });
    const many = Array.from({ length: 51 }, () => new Types.ObjectId().toHexString());
    expect((await decisions(editor, { ids: many, decision: 'publish' }).expect(400)).body.error.details.issues[0]).toMatchObject({
      path: 'ids',
      message: '一次最多处理 50 项',
    });
    await decisions(editor, { ids: ['not-an-id'], decision: 'publish' }).expect(400);
    await decisions(editor, { ids: [a], decision: 'approve' }).expect(400);
    // None of those touched the promotion.
    const pending = promotionPageSchema.parse((await editor.agent.get('/api/v1/promotions/queue').query({ limit: 100 })).body);
    expect(pending.items.map((p) => p.id)).toContain(a);
  });

  it('refuses the shop owner, a citizen and department staff (403), and signed-out callers (401)', async () => {
    const a = await promotion();
    for (const who of [shop.owner, await loginAs(t, 'citizen'), await loginAs(t, 'department_staff', { type: 'department', id: 'zjj' })]) {
      const res = await decisions(who, { ids: [a], decision: 'publish' });
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    const anon = await t.request.post('/api/v1/promotions/decisions').send({ ids: [a], decision: 'publish' });
    expect({ status: anon.status, code: anon.body.error?.code }).toEqual({ status: 401, code: 'AUTH_REQUIRED' });
    const pending = promotionPageSchema.parse((await editor.agent.get('/api/v1/promotions/queue').query({ limit: 100 })).body);
    expect(pending.items.find((p) => p.id === a)?.state).toBe('pending');
  });
});
