/**
 * The news feed and article page over HTTP on the real stack: cursor pagination and column filter,
 * the article page, read counting (one per person per Shanghai day, anonymous apart), likes (one per
 * person), editor-written articles (scheduled ones stay out of the feed) and cache invalidation on publish.
 */
import { articleResponseSchema, feedResponseSchema, readResponseSchema, type ArticleColumn } from '@shared/schemas/newsroom';
import { createFeedCache } from '../../server/src/modules/newsroom/feed-cache';
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
async function publish(column: ArticleColumn, hoursAgo = 0, title = `测试文章${++n}`) {
  const res = await editor.agent.post('/api/v1/articles').send({
    title,
    column,
    body: [{ type: 'paragraph', text: `${title}的正文。` }],
    publishAt: new Date(t.clock.now().getTime() - hoursAgo * 3600_000).toISOString(),
  });
  expect(res.status).toBe(201);
  return articleResponseSchema.parse(res.body).article;
}

describe('GET /api/v1/feed', () => {
  it('pages newest first by cursor without gaps or repeats, and filters by column', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await publish('culture', 100 + i)).id);
    await publish('enterprise', 100);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.request.get('/api/v1/feed').query({ column: 'culture', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page = feedResponseSchema.parse(res.body);
      expect(page.items.every((a) => a.column === 'culture')).toBe(true);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('refuses malformed columns, bad cursors and unknown query keys with VALIDATION_FAILED', async () => {
    for (const query of [{ column: 'Sports!' }, { cursor: 'bm90LWEtY3Vyc29y' }, { $where: '1' }, { limit: '500' }]) {
      const res = await t.request.get('/api/v1/feed').query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses a column nobody configured with 422 COLUMN_UNKNOWN and a Chinese message', async () => {
    const res = await t.request.get('/api/v1/feed').query({ column: 'sports' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'COLUMN_UNKNOWN', message: '栏目不存在或已停用' });
  });

  it('shows a newly published article at once: publishing invalidates the cached feed', async () => {
    const before = feedResponseSchema.parse((await t.request.get('/api/v1/feed')).body);
    const again = feedResponseSchema.parse((await t.request.get('/api/v1/feed')).body);
    expect(again).toEqual(before);

    const fresh = await publish('headline', 0, '缓存失效测试：新发布的头条');
    const after = feedResponseSchema.parse((await t.request.get('/api/v1/feed')).body);
    expect(after.items[0]?.id).toBe(fresh.id);

    // Published outside the routes (the seed, a job, submissions: they use the app's one newsroom service).
    const elsewhere = t.services.newsroom;
    await elsewhere.seedArticle('test:elsewhere', {
      title: '另一个进程发布的文章',
      summary: '',
      body: [{ type: 'paragraph', text: '正文' }],
      images: [],
      column: 'headline',
      author: { kind: 'editor', name: '编辑部' },
      publishedAt: t.clock.now(),
    });
    const latest = feedResponseSchema.parse((await t.request.get('/api/v1/feed')).body);
    expect(latest.items[0]?.title).toBe('另一个进程发布的文章');
  });

  it('answers 304 to a matching If-None-Match until a publish changes the feed', async () => {
    const first = await t.request.get('/api/v1/feed');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    const unchanged = await t.request.get('/api/v1/feed').set('If-None-Match', etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text ?? '').toBe('');

    const fresh = await publish('headline', 0, '条件请求测试：发布后不再是 304');
    const changed = await t.request.get('/api/v1/feed').set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(feedResponseSchema.parse(changed.body).items[0]?.id).toBe(fresh.id);

    const page = await t.request.get(`/api/v1/articles/${fresh.id}`);
    expect((await t.request.get(`/api/v1/articles/${fresh.id}`).set('If-None-Match', page.headers.etag as string)).status).toBe(304);
  });

  it('keeps scheduled articles out until the publish job runs at their time', async () => {
    const res = await editor.agent.post('/api/v1/articles').send({
      title: '定时发布的文章',
      column: 'government',
      body: [{ type: 'paragraph', text: '明早八点发布。' }],
      publishAt: new Date(START.getTime() + 3600_000).toISOString(),
    });
    expect(res.status).toBe(201);
    const id = articleResponseSchema.parse(res.body).article.id;
    const titles = async () =>
      feedResponseSchema.parse((await t.request.get('/api/v1/feed').query({ column: 'government' })).body).items.map((a) => a.id);
    expect(await titles()).not.toContain(id);
    expect((await t.request.get(`/api/v1/articles/${id}`)).status).toBe(404);

    const service = t.services.newsroom;
    expect(await service.publishDue(new Date(START.getTime() + 30 * 60_000))).toBe(0);
    expect(await service.publishDue(new Date(START.getTime() + 3600_000))).toBe(1);
    expect(await titles()).toContain(id);
  });

  it('lets only editors write articles', async () => {
    const citizen = await loginAs(t, 'citizen');
    const res = await citizen.agent
      .post('/api/v1/articles')
      .send({ title: 'x', column: 'headline', body: [{ type: 'paragraph', text: 'x' }] });
    expect(res.status).toBe(403);
    expect((await t.request.post('/api/v1/articles').send({})).status).toBe(401);
  });

  it('refuses markup: a body holds only the known block types', async () => {
    const res = await editor.agent
      .post('/api/v1/articles')
      .send({ title: 'x', column: 'headline', body: [{ type: 'html', html: '<script>alert(1)</script>' }] });
    expect(res.status).toBe(400);
  });
});

describe('article page, reads and likes', () => {
  it('shows the article and answers 404 ARTICLE_NOT_FOUND for unknown and withdrawn ones', async () => {
    const article = await publish('livelihood');
    const res = await t.request.get(`/api/v1/articles/${article.id}`);
    expect(res.status).toBe(200);
    expect(articleResponseSchema.parse(res.body).article.body).toEqual([{ type: 'paragraph', text: `${article.title}的正文。` }]);

    const feedIds = async () =>
      feedResponseSchema.parse((await t.request.get('/api/v1/feed').query({ column: 'livelihood' })).body).items.map((a) => a.id);
    expect(await feedIds()).toContain(article.id);

    expect((await editor.agent.delete(`/api/v1/articles/${article.id}`)).status).toBe(204);
    // The cached feed forgets it too.
    expect(await feedIds()).not.toContain(article.id);
    const gone = await t.request.get(`/api/v1/articles/${article.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('ARTICLE_NOT_FOUND');
    expect((await t.request.get('/api/v1/articles/0123456789abcdef01234567')).status).toBe(404);
  });

  it('counts one read per signed-in reader per Shanghai day, even when opened concurrently; anonymous reads apart', async () => {
    // 23:30 Shanghai time: the next read after 30 minutes is a new day.
    t.clock.set(new Date('2026-11-24T15:30:00Z'));
    editor = await loginAs(t, 'editor');
    const article = await publish('livelihood');
    let reader = await loginAs(t, 'citizen');

    const results = await Promise.all(Array.from({ length: 5 }, () => reader.agent.post(`/api/v1/articles/${article.id}/read`)));
    const parsed = results.map((r) => readResponseSchema.parse(r.body));
    expect(parsed.filter((r) => r.counted)).toHaveLength(1);

    await t.request.post(`/api/v1/articles/${article.id}/read`).expect(200);
    await t.request.post(`/api/v1/articles/${article.id}/read`).expect(200);
    let doc = await ArticleModel.findById(article.id).lean();
    expect(doc).toMatchObject({ reads: 1, anonymousReads: 2 });

    t.clock.advance(20 * 60_000); // 23:50 — same day
    reader = await loginAs(t, 'citizen', undefined, { openid: reader.openid });
    expect(readResponseSchema.parse((await reader.agent.post(`/api/v1/articles/${article.id}/read`)).body).counted).toBe(false);
    t.clock.advance(20 * 60_000); // 00:10 next day
    reader = await loginAs(t, 'citizen', undefined, { openid: reader.openid });
    editor = await loginAs(t, 'editor');
    expect(readResponseSchema.parse((await reader.agent.post(`/api/v1/articles/${article.id}/read`)).body).counted).toBe(true);
    doc = await ArticleModel.findById(article.id).lean();
    expect(doc?.reads).toBe(2);
  });

  it('keeps one like per person and lets them take it back', async () => {
    const article = await publish('culture');
    const fan = await loginAs(t, 'citizen');
    const likes = await Promise.all([1, 2, 3].map(() => fan.agent.put(`/api/v1/articles/${article.id}/like`)));
    expect(likes.every((r) => r.status === 200 && r.body.liked === true)).toBe(true);
    expect((await ArticleModel.findById(article.id).lean())?.likes).toBe(1);

    const read = readResponseSchema.parse((await fan.agent.post(`/api/v1/articles/${article.id}/read`)).body);
    expect(read).toMatchObject({ liked: true, likes: 1 });

    expect((await fan.agent.delete(`/api/v1/articles/${article.id}/like`)).body).toEqual({ liked: false, likes: 0 });
    expect((await fan.agent.delete(`/api/v1/articles/${article.id}/like`)).body).toEqual({ liked: false, likes: 0 });
    expect((await t.request.put(`/api/v1/articles/${article.id}/like`)).status).toBe(401);
  });
});

describe('feed cache across API processes (version in Redis)', () => {
  // Each cache below stands for one API process: its own Redis connection, its own memory.
  async function twoProcesses(versionCheckMs: number, versionWaitMs = versionCheckMs) {
    const here = t.deps.redis.duplicate();
    const there = t.deps.redis.duplicate();
    const close = () => Promise.all([here.quit(), there.quit()]);
    const options = { versionCheckMs, versionWaitMs };
    return { a: createFeedCache(here, t.clock, options), b: createFeedCache(there, t.clock, options), close };
  }

  it("drops a page built before another process's publish once it re-reads the version", async () => {
    const { a, b, close } = await twoProcesses(0);
    try {
      let builds = 0;
      const build = async () => JSON.stringify({ build: ++builds });
      expect((await a.get('k', build)).body.toString()).toBe('{"build":1}');
      expect((await a.get('k', build)).body.toString()).toBe('{"build":1}');
      await b.invalidate();
      expect((await a.get('k', build)).body.toString()).toBe('{"build":2}');
    } finally {
      await close();
    }
  });

  it('answers from memory while re-reading the version in the background, and sees the publish after it', async () => {
    const { a, b, close } = await twoProcesses(0, 60 * 60_000);
    try {
      let builds = 0;
      const build = async () => JSON.stringify({ build: ++builds });
      await a.get('k', build);
      await b.invalidate();
      // This request is answered at once from memory; it starts the version re-read…
      expect((await a.get('k', build)).body.toString()).toBe('{"build":1}');
      // …which lands before long: a later request gets the page rebuilt for the new version.
      let body = '';
      for (let i = 0; i < 200 && body !== '{"build":2}'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        body = (await a.get('k', build)).body.toString();
      }
      expect(body).toBe('{"build":2}');
    } finally {
      await close();
    }
  });

  it('serves hits without asking Redis while the last version read is recent', async () => {
    const { a, b, close } = await twoProcesses(60 * 60_000);
    try {
      let builds = 0;
      const build = async () => JSON.stringify({ build: ++builds });
      await a.get('k', build);
      await b.invalidate();
      // Within versionCheckMs another process's publish is not seen yet (the documented bound)…
      expect((await a.get('k', build)).body.toString()).toBe('{"build":1}');
      // …while this process's own publish is seen at once.
      await a.invalidate();
      expect((await a.get('k', build)).body.toString()).toBe('{"build":2}');
    } finally {
      await close();
    }
  });

  it('peek() answers what get() would answer at once, and nothing while get() would wait or build', async () => {
    const fresh = await twoProcesses(60 * 60_000);
    try {
      expect(fresh.a.peek('k')).toBeUndefined(); // no version read yet: get() would wait for Redis
      const built = await fresh.a.get('k', async () => '{"build":1}');
      expect(fresh.a.peek('k')).toBe(built);
      expect(fresh.a.peek('other')).toBeUndefined(); // a miss: get() would build
      await fresh.b.invalidate();
      expect(fresh.a.peek('k')).toBe(built); // within versionCheckMs, as get()
      await fresh.a.invalidate();
      expect(fresh.a.peek('k')).toBeUndefined(); // this process's own publish: at once
    } finally {
      await fresh.close();
    }
    // A version read older than versionWaitMs: get() would wait for a fresh read, so peek() gives nothing.
    const idle = await twoProcesses(0);
    try {
      await idle.a.get('k', async () => '{"build":1}');
      expect(idle.a.peek('k')).toBeUndefined();
    } finally {
      await idle.close();
    }
    // Between versionCheckMs and versionWaitMs: the hit, and the re-read in the background shows the publish.
    const busy = await twoProcesses(0, 60 * 60_000);
    try {
      const built = await busy.a.get('k', async () => '{"build":1}');
      await busy.b.invalidate();
      expect(busy.a.peek('k')).toBe(built);
      let seen: unknown = built;
      for (let i = 0; i < 200 && seen !== undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen = busy.a.peek('k');
      }
      expect(seen).toBeUndefined();
    } finally {
      await busy.close();
    }
  });

  it('builds a missing page once for concurrent requests and never stores a page built across a publish', async () => {
    const { a, close } = await twoProcesses(0);
    try {
      let builds = 0;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = async () => {
        builds += 1;
        await gate;
        return JSON.stringify({ build: builds });
      };
      const pending = Promise.all([a.get('k', slow), a.get('k', slow), a.get('k', slow)]);
      while (builds === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await a.invalidate(); // a publish while the page is being built
      release();
      const answers = await pending;
      expect(builds).toBe(1);
      expect(new Set(answers.map((x) => x.body.toString()))).toEqual(new Set(['{"build":1}']));
      // The page built across the publish was not kept: the next request builds again.
      expect((await a.get('k', async () => JSON.stringify({ build: 'after' }))).body.toString()).toBe('{"build":"after"}');
    } finally {
      await close();
    }
  });
});
