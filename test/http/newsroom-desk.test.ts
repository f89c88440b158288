/**
 * The editors' desk (文章管理) over HTTP on the real stack: GET /api/v1/editorial/articles lists every state, newest
 * publication first, filtered by column, status and title words on the server, paged by an opaque cursor with
 * nothing lost or repeated while articles are written between pages; GET /editorial/articles/:id shows a scheduled
 * article whole; PATCH /articles/:id edits published and scheduled articles (the public page changes at once,
 * a scheduled one can be moved or published now, a published one keeps its time), audited; pin and withdraw are
 * audited; every desk route refuses every role but editor and admin.
 */
import { ROLES } from '@shared/roles';
import {
  articleResponseSchema,
  deskArticlePageSchema,
  deskArticleResponseSchema,
  headlinesResponseSchema,
  type DeskArticleCard,
} from '@shared/schemas/newsroom';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { BAD_PAGE_QUERIES, walkPages } from './paging-walk';

let t: TestContext;
let editor: LoggedIn;
const START = new Date('2026-12-01T02:00:00Z');
const HOUR = 3600_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

let n = 0;
async function write(over: Record<string, unknown> = {}) {
  n += 1;
  const res = await editor.agent
    .post('/api/v1/articles')
    .send({ title: `桌面文章${n}`, column: 'livelihood', body: [{ type: 'paragraph', text: `第${n}篇的正文。` }], ...over });
  expect(res.status).toBe(201);
  return articleResponseSchema.parse(res.body).article;
}
const at = (hours: number) => new Date(t.clock.now().getTime() + hours * HOUR).toISOString();

async function desk(query: Record<string, string | number> = {}, who: LoggedIn = editor) {
  const res = await who.agent.get('/api/v1/editorial/articles').query(query);
  expect(res.status).toBe(200);
  return deskArticlePageSchema.parse(res.body);
}

describe('GET /api/v1/editorial/articles', () => {
  it('lists published, scheduled and withdrawn articles, latest publication first, and filters them on the server', async () => {
    const old = await write({ title: '旧闻：老街改造', publishAt: at(-48), column: 'culture' });
    const scheduled = await write({ title: '预告：元旦灯会', publishAt: at(24), column: 'culture' });
    const gone = await write({ title: '撤下：错误通知', publishAt: at(-2) });
    await editor.agent.delete(`/api/v1/articles/${gone.id}`).expect(204);

    const all = await desk({ limit: 100 });
    const mine = all.items.filter((a) => [old.id, scheduled.id, gone.id].includes(a.id));
    expect(mine.map((a) => [a.id, a.status])).toEqual([
      [scheduled.id, 'scheduled'],
      [gone.id, 'withdrawn'],
      [old.id, 'published'],
    ]);
    const times = all.items.map((a) => a.publishedAt);
    expect([...times].sort().reverse()).toEqual(times);

    expect((await desk({ status: 'scheduled' })).items.map((a) => a.id)).toEqual([scheduled.id]);
    expect((await desk({ status: 'withdrawn' })).items.map((a) => a.id)).toEqual([gone.id]);
    expect((await desk({ column: 'culture' })).items.map((a) => a.id)).toEqual([scheduled.id, old.id]);
    expect((await desk({ q: '灯会' })).items.map((a) => a.id)).toEqual([scheduled.id]);
    expect((await desk({ q: '.*' })).items).toEqual([]);
  });

  it('walks every page with no article lost or repeated while articles are written between pages', async () => {
    const before = (await desk({ limit: 100 })).items.map((a) => a.id);
    for (let i = 0; i < 7; i += 1) before.unshift((await write({ publishAt: at(-1 - i / 10) })).id);
    const written: string[] = [];
    const walk = await walkPages<DeskArticleCard>(
      async (cursor) => desk({ limit: 3, ...(cursor ? { cursor } : {}) }),
      async () => {
        written.push((await write()).id);
        // One far in the past sorts after the cursor: it shows up further down, once.
        written.push((await write({ publishAt: at(-24 * 365) })).id);
      },
    );
    const ids = walk.items.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of before) expect(ids).toContain(id);
    expect(walk.pages).toBeGreaterThan(3);
    expect(walk.lastCursor).toBeNull();
  });

  it('refuses bad cursors, limits, states and unknown filters with 400', async () => {
    for (const query of [...BAD_PAGE_QUERIES, { status: 'draft' }, { column: 'Bad Column' }, { sort: 'title' }, { q: '' }]) {
      const res = await editor.agent.get('/api/v1/editorial/articles').query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('GET /api/v1/editorial/articles/:id', () => {
  it('shows a scheduled article whole to editors while the public page still answers 404', async () => {
    const a = await write({
      publishAt: at(5),
      body: [
        { type: 'heading', text: '小标题' },
        { type: 'paragraph', text: '还没发布。' },
      ],
    });
    const res = await editor.agent.get(`/api/v1/editorial/articles/${a.id}`);
    expect(res.status).toBe(200);
    const view = deskArticleResponseSchema.parse(res.body).article;
    expect(view).toMatchObject({
      id: a.id,
      status: 'scheduled',
      body: [
        { type: 'heading', text: '小标题' },
        { type: 'paragraph', text: '还没发布。' },
      ],
    });
    expect((await t.request.get(`/api/v1/articles/${a.id}`)).status).toBe(404);
    expect((await editor.agent.get('/api/v1/editorial/articles/0123456789abcdef01234567')).status).toBe(404);
  });
});

describe('PATCH /api/v1/articles/:id', () => {
  it('edits a published article: the cached public page shows the change at once, the audit log names the fields', async () => {
    const a = await write({ title: '原标题' });
    expect((await t.request.get(`/api/v1/articles/${a.id}`)).body.article.title).toBe('原标题');
    const res = await editor.agent.patch(`/api/v1/articles/${a.id}`).send({
      title: '新标题',
      body: [
        { type: 'paragraph', text: '改过的正文。' },
        { type: 'image', url: '/api/v1/files/abc.jpg' },
      ],
      summary: null,
      cover: null,
      column: 'culture',
    });
    expect(res.status).toBe(200);
    const edited = deskArticleResponseSchema.parse(res.body).article;
    expect(edited).toMatchObject({
      title: '新标题',
      summary: '改过的正文。',
      cover: '/api/v1/files/abc.jpg',
      column: 'culture',
      status: 'published',
    });
    expect(edited.publishedAt).toBe(a.publishedAt);
    const page = await t.request.get(`/api/v1/articles/${a.id}`);
    expect(page.body.article).toMatchObject({ title: '新标题', column: 'culture' });
    const audit = await AuditLogModel.findOne({ action: 'article.update', targetId: a.id }).lean();
    expect(audit?.actorId?.toHexString()).toBe(editor.user.id);
    expect((audit?.details as { fields: string[] }).fields.sort()).toEqual(['body', 'column', 'cover', 'summary', 'title']);
  });

  it('moves a scheduled article, or publishes it now when given a time already past; a published one keeps its time (409)', async () => {
    const a = await write({ publishAt: at(10) });
    const moved = await editor.agent.patch(`/api/v1/articles/${a.id}`).send({ publishAt: at(30) });
    expect(moved.status).toBe(200);
    expect(moved.body.article).toMatchObject({ status: 'scheduled', publishedAt: at(30) });

    const now = await editor.agent.patch(`/api/v1/articles/${a.id}`).send({ publishAt: at(-1) });
    expect(now.body.article).toMatchObject({ status: 'published', publishedAt: t.clock.now().toISOString() });
    expect((await t.request.get(`/api/v1/articles/${a.id}`)).status).toBe(200);

    const again = await editor.agent.patch(`/api/v1/articles/${a.id}`).send({ publishAt: at(5) });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ARTICLE_ALREADY_PUBLISHED', message: '文章已发布，不能再修改发布时间' });
  });

  it('refuses empty and malformed edits (400), unknown columns (422), withdrawn and missing articles (404)', async () => {
    const a = await write();
    for (const body of [
      {},
      { title: '' },
      { body: [] },
      { body: [{ type: 'script', text: 'x' }] },
      { cover: 'javascript:alert(1)' },
      { pinned: true },
    ]) {
      const res = await editor.agent.patch(`/api/v1/articles/${a.id}`).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const column = await editor.agent.patch(`/api/v1/articles/${a.id}`).send({ column: 'sports' });
    expect(column.status).toBe(422);
    expect(column.body.error.code).toBe('COLUMN_UNKNOWN');
    await editor.agent.delete(`/api/v1/articles/${a.id}`).expect(204);
    expect((await editor.agent.patch(`/api/v1/articles/${a.id}`).send({ title: '复活' })).status).toBe(404);
    expect((await editor.agent.patch('/api/v1/articles/0123456789abcdef01234567').send({ title: '无' })).status).toBe(404);
  });
});

describe('pin and withdraw', () => {
  it('pins to and unpins from the carousel and withdraws, each audited', async () => {
    const a = await write({ cover: '/api/v1/files/cover.jpg' });
    await editor.agent.put(`/api/v1/articles/${a.id}/pin`).send({ pinned: true }).expect(200);
    const headlines = headlinesResponseSchema.parse((await t.request.get('/api/v1/feed/headlines')).body).items;
    expect(headlines[0]?.id).toBe(a.id);
    expect((await desk({ q: a.title })).items[0]?.pinned).toBe(true);
    await editor.agent.put(`/api/v1/articles/${a.id}/pin`).send({ pinned: false }).expect(200);
    await editor.agent.delete(`/api/v1/articles/${a.id}`).expect(204);
    const actions = (await AuditLogModel.find({ targetId: a.id }).sort({ at: 1, _id: 1 }).lean()).map((e) => e.action);
    expect(actions).toEqual(['article.create', 'article.pin', 'article.unpin', 'article.withdraw']);
  });
});

describe('authorization', () => {
  it('refuses the desk list, the desk view and edits to anonymous callers (401) and every role but editor and admin (403)', async () => {
    const a = await write({ title: '不许改' });
    const calls = [
      ['get', '/api/v1/editorial/articles', undefined],
      ['get', `/api/v1/editorial/articles/${a.id}`, undefined],
      ['patch', `/api/v1/articles/${a.id}`, { title: '改了' }],
    ] as const;
    for (const [method, path, body] of calls) expect((await t.request[method](path).send(body)).status).toBe(401);
    for (const role of ROLES.filter((r) => r !== 'editor' && r !== 'admin')) {
      const who = await loginAs(t, role);
      for (const [method, path, body] of calls) {
        const res = await who.agent[method](path).send(body);
        expect({ role, path, status: res.status }).toEqual({ role, path, status: 403 });
      }
    }
    const admin = await loginAs(t, 'admin');
    expect((await desk({ limit: 1 }, admin)).items).toHaveLength(1);
    expect((await t.request.get(`/api/v1/articles/${a.id}`)).body.article.title).toBe('不许改');
  });
});
