/**
 * What the home page reads over HTTP on the real stack: the carousel's pinned headlines (pinned on publish or
 * later by an editor, unpinned, withdrawn ones gone, most recently pinned first, at most five), the feed's
 * `kind` (news without merchants' promotions, or promotions only, each marked `sponsored`), and the
 * correspondent's real name as the byline of a published piece.
 */
import { feedResponseSchema, headlinesResponseSchema, MAX_HEADLINES } from '@shared/schemas/newsroom';
import { ArticleModel } from '../../server/src/modules/newsroom/newsroom.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let editor: LoggedIn;
const START = new Date('2026-11-24T02:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

let n = 0;
async function publish(extra: Record<string, unknown> = {}): Promise<string> {
  const title = `首页测试${++n}`;
  const res = await editor.agent
    .post('/api/v1/articles')
    .send({ title, column: 'headline', body: [{ type: 'paragraph', text: '正文。' }], ...extra });
  expect(res.status).toBe(201);
  return res.body.article.id as string;
}

const headlines = async () => headlinesResponseSchema.parse((await t.request.get('/api/v1/feed/headlines').expect(200)).body).items;

describe('GET /api/v1/feed/headlines and PUT /api/v1/articles/:id/pin', () => {
  it('lists pinned articles, most recently pinned first, follows pins, unpins and withdrawals, at most five', async () => {
    expect(await headlines()).toEqual([]);
    const first = await publish({ pinned: true });
    await publish();
    t.clock.advance(60_000);
    const later = await publish();
    const pinned = await editor.agent.put(`/api/v1/articles/${later}/pin`).send({ pinned: true }).expect(200);
    expect(pinned.body).toEqual({ id: later, pinned: true });
    let items = await headlines();
    expect(items.map((a) => a.id)).toEqual([later, first]);
    expect(items.every((a) => a.pinned)).toBe(true);

    await editor.agent.put(`/api/v1/articles/${later}/pin`).send({ pinned: false }).expect(200);
    await editor.agent.delete(`/api/v1/articles/${first}`).expect(204);
    expect(await headlines()).toEqual([]);
    expect(await ArticleModel.exists({ _id: later, pinnedAt: { $exists: true } })).toBeNull();

    for (let i = 0; i < MAX_HEADLINES + 2; i++) {
      t.clock.advance(1000);
      await publish({ pinned: true });
    }
    items = await headlines();
    expect(items).toHaveLength(MAX_HEADLINES);
  });

  it('lets only editors pin, answers an unknown article with 404 and a bad body with 400', async () => {
    const id = await publish();
    const citizen = await loginAs(t, 'citizen');
    expect((await citizen.agent.put(`/api/v1/articles/${id}/pin`).send({ pinned: true })).status).toBe(403);
    expect((await t.request.put(`/api/v1/articles/${id}/pin`).send({ pinned: true })).status).toBe(401);
    const missing = await editor.agent.put('/api/v1/articles/0123456789abcdef01234567/pin').send({ pinned: true });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ARTICLE_NOT_FOUND');
    const bad = await editor.agent.put(`/api/v1/articles/${id}/pin`).send({ pinned: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /api/v1/feed?kind=', () => {
  it('keeps merchants’ promotions out of the news and lists them apart, marked sponsored', async () => {
    const news = await publish();
    const ad = await t.services.newsroom.createEditorArticle(
      { id: editor.user.id, name: '滨江酒家' },
      { title: '【促销】滨江酒家：冬季火锅季', column: 'enterprise', body: [{ type: 'paragraph', text: '四人套餐 198 元。' }] },
      { sponsored: true },
    );
    const newsOnly = feedResponseSchema.parse((await t.request.get('/api/v1/feed').query({ kind: 'news', limit: 50 }).expect(200)).body);
    expect(newsOnly.items.map((a) => a.id)).toContain(news);
    expect(newsOnly.items.some((a) => a.id === ad.id || a.sponsored)).toBe(false);
    const ads = feedResponseSchema.parse((await t.request.get('/api/v1/feed').query({ kind: 'promotion' }).expect(200)).body);
    expect(ads.items.map((a) => [a.id, a.sponsored])).toEqual([[ad.id, true]]);
    // Without kind, both (the feed as it always was).
    const all = feedResponseSchema.parse((await t.request.get('/api/v1/feed').query({ limit: 50 }).expect(200)).body);
    expect(all.items.map((a) => a.id)).toEqual(expect.arrayContaining([news, ad.id]));
    expect((await t.request.get('/api/v1/feed').query({ kind: 'ads' })).status).toBe(400);
  });
});
