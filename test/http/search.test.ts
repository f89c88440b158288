/**
 * GET /api/v1/search on the real stack: one box over published news (newest first), approved merchants and
 * volunteer activities not yet over, one kind at a time, paged by an offset cursor; words are matched
 * literally (RegExp characters are not operators); bad input is a 400 in Chinese.
 */
import { searchResponseSchema, type SearchResponse } from '@shared/schemas/search';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { applyAs, approvedMerchant } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;
let admin: LoggedIn;
const START = new Date('2026-11-24T02:00:00Z');
const HOUR = 3600_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  editor = await loginAs(t, 'editor');
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

async function publish(title: string, hoursAgo: number): Promise<string> {
  const res = await editor.agent.post('/api/v1/articles').send({
    title,
    column: 'livelihood',
    body: [{ type: 'paragraph', text: `${title}的正文。` }],
    publishAt: new Date(START.getTime() - hoursAgo * HOUR).toISOString(),
  });
  expect(res.status).toBe(201);
  return res.body.article.id as string;
}

async function search(query: Record<string, string | number>): Promise<SearchResponse> {
  const res = await t.request.get('/api/v1/search').query(query);
  expect(res.status).toBe(200);
  return searchResponseSchema.parse(res.body);
}

describe('GET /api/v1/search', () => {
  it('finds published news by title, newest first, page by page without repeats', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await publish(`青溪大桥通车第${i + 1}报`, 10 + i));
    await publish('县城集中供暖启动', 1);
    // Scheduled, not out yet: not found.
    await publish('青溪大桥明日通车预告', -5);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: SearchResponse = await search({ q: '青溪大桥', kind: 'article', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.every((h) => h.kind === 'article' && h.title.includes('青溪大桥'))).toBe(true);
      seen.push(...page.items.map((h) => h.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect((await search({ q: '青溪大桥', limit: 1 })).items[0]).toMatchObject({ sponsored: false, cover: null });
    // The default kind is news.
    expect((await search({ q: '供暖' })).items.map((h) => h.title)).toEqual(['县城集中供暖启动']);
  });

  it('finds approved merchants by name or address, and volunteer activities by title or place', async () => {
    await approvedMerchant(t, editor, { name: '滨江酒家搜索店', address: '城关街道滨江路 8 号' });
    const pending = await loginAs(t, 'citizen');
    expect((await applyAs(pending, { name: '滨江未审核小店' })).status).toBe(201);
    const shops = await search({ q: '滨江', kind: 'merchant' });
    expect(shops.items.map((h) => h.title)).toEqual(['滨江酒家搜索店']);
    expect(shops.items[0]).toMatchObject({ kind: 'merchant', summary: '城关街道滨江路 8 号' });

    const team = await admin.agent
      .post('/api/v1/volunteers/teams')
      .send({ name: '搜索志愿队', area: '城关街道', description: '' })
      .expect(201);
    const activity = (title: string, startHours: number) => ({
      teamId: team.body.team.id,
      title,
      placeName: '县社会福利院',
      startAt: new Date(START.getTime() + startHours * HOUR).toISOString(),
      endAt: new Date(START.getTime() + (startHours + 3) * HOUR).toISOString(),
      capacity: 20,
      signUpDeadline: new Date(START.getTime() + (startHours - 2) * HOUR).toISOString(),
      audience: 'public',
      points: { mode: 'fixed', amount: 10 },
    });
    await admin.agent.post('/api/v1/volunteers/activities').send(activity('敬老院包饺子', 48)).expect(201);
    await admin.agent.post('/api/v1/volunteers/activities').send(activity('河道清洁', 24)).expect(201);
    const byPlace = await search({ q: '福利院', kind: 'activity' });
    expect(byPlace.items.map((h) => h.title)).toEqual(['河道清洁', '敬老院包饺子']);
    expect(byPlace.items[0]!.summary).toBe('搜索志愿队 · 县社会福利院');
    expect((await search({ q: '饺子', kind: 'activity' })).items.map((h) => h.title)).toEqual(['敬老院包饺子']);
  });

  it('matches what was typed literally: RegExp characters find nothing they should not', async () => {
    await publish('第(1)期 民生热线', 3);
    expect((await search({ q: '(1)' })).items.map((h) => h.title)).toEqual(['第(1)期 民生热线']);
    expect((await search({ q: '.*' })).items).toEqual([]);
  });

  it('answers empty words, unknown kinds, bad cursors and unknown keys with 400 VALIDATION_FAILED in Chinese', async () => {
    const empty = await t.request.get('/api/v1/search').query({ q: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(empty.body.error.details)).toContain('请输入要搜索的内容');
    for (const query of [{}, { q: '桥', kind: 'video' }, { q: '桥', cursor: 'abc' }, { q: '桥', $where: '1' }, { q: 'x'.repeat(41) }]) {
      const res = await t.request.get('/api/v1/search').query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
