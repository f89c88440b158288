/**
 * The feed cache's fast path (cachedPublicReads, mounted after CORS) against the normal chain: for the
 * feed and an article page, anonymous and signed in, with and without If-None-Match, with an allowed H5
 * Origin, a foreign one and none, both answer the same status, the same headers in the same order (the
 * request id and Date values aside) and the same bytes. The normal chain is the same request with the
 * fast path's peek() answering "not here": body parser, authentication, router, validate and the route
 * handler, served from the same cache entry by get().
 */
import type { Response } from 'supertest';
import supertest from 'supertest';
import { articleResponseSchema, feedResponseSchema } from '@shared/schemas/newsroom';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let editor: LoggedIn;
let reader: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-11-24T02:00:00Z') });
  editor = await loginAs(t, 'editor');
  reader = await loginAs(t, 'citizen');
});
afterAll(() => t.close());

async function publish(title: string): Promise<string> {
  const res = await editor.agent.post('/api/v1/articles').send({
    title,
    column: 'headline',
    body: [{ type: 'paragraph', text: `${title}的正文。` }],
    publishAt: t.clock.now().toISOString(),
  });
  expect(res.status).toBe(201);
  return articleResponseSchema.parse(res.body).article.id;
}

/** Status, every header in order (the request id and Date values masked) and the body bytes. */
function wire(res: Response): { status: number; headers: string[]; body: string } {
  const raw = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const headers = raw.map((v, i) => (i % 2 === 1 && /^(x-request-id|date)$/i.test(raw[i - 1]!) ? '…' : v));
  const body = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text;
  return { status: res.status, headers, body: body ?? '' };
}

async function get(path: string, signedIn: boolean, headers: Record<string, string>): Promise<Response> {
  const req = (signedIn ? reader.agent : supertest(t.app.callback())).get(path);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  return req.buffer(true);
}

describe('cachedPublicReads: cache hits answered before authentication and routing', () => {
  it('answers the feed and article pages byte for byte as the normal chain does', async () => {
    const articleId = await publish('快速通道对照文章');
    const cache = t.services.feedCache;
    const cacheGet = jest.spyOn(cache, 'get');
    const peek = jest.spyOn(cache, 'peek');
    const allowed = t.deps.config.h5Origins[0]!;
    let compared = 0;
    try {
      for (const path of ['/api/v1/feed', `/api/v1/articles/${articleId}`]) {
        for (const signedIn of [false, true]) {
          for (const origin of [allowed, 'https://evil.example', null]) {
            for (const conditional of [false, true]) {
              const headers: Record<string, string> = origin === null ? {} : { Origin: origin };
              // The normal chain first (peek() answering "not here" sends the request on, to the route and
              // get()): it fills the cache (and re-reads its version) for the fast one.
              const normalChain = async () => {
                if (!signedIn) peek.mockReturnValueOnce(undefined);
                cacheGet.mockClear();
                const res = await get(path, signedIn, headers);
                expect(cacheGet).toHaveBeenCalledTimes(1);
                return res;
              };
              const first = await normalChain();
              expect(first.status).toBe(200);
              if (conditional) headers['If-None-Match'] = first.headers.etag as string;
              const normal = await normalChain();
              cacheGet.mockClear();
              peek.mockClear();
              const fast = await get(path, signedIn, headers);
              expect(wire(fast)).toEqual(wire(normal));
              expect(fast.status).toBe(conditional ? 304 : 200);
              expect(fast.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
              if (origin === allowed) expect(fast.headers['access-control-allow-origin']).toBe(allowed);
              else expect(fast.headers['access-control-allow-origin']).toBeUndefined();
              // Anonymous: answered from peek() alone; signed in: the whole chain (get() through the route).
              expect(cacheGet).toHaveBeenCalledTimes(signedIn ? 1 : 0);
              if (!signedIn) expect(peek.mock.results[0]?.value).toBeDefined();
              compared += 1;
            }
          }
        }
      }
    } finally {
      cacheGet.mockRestore();
      peek.mockRestore();
    }
    expect(compared).toBe(24);
  });

  it('keeps an incoming X-Request-Id, and leaves other spellings, HEAD and misses to the normal chain', async () => {
    const articleId = await publish('快速通道请求编号');
    await get('/api/v1/feed', false, {});
    const kept = await get('/api/v1/feed', false, { 'X-Request-Id': 'lb-7.abc' });
    expect(kept.headers['x-request-id']).toBe('lb-7.abc');

    expect((await t.request.head('/api/v1/feed')).status).toBe(200);
    expect((await t.request.get('/api/v1/feed?limit=500')).status).toBe(400);
    expect((await t.request.get('/api/v1/articles/NOT-AN-ID')).status).toBe(400);
    expect((await t.request.get('/api/v1/articles/0123456789abcdef01234567')).body.error.code).toBe('ARTICLE_NOT_FOUND');
    expect((await t.request.get('/api/v1/feed').set('Authorization', 'Bearer nonsense')).status).toBe(200);
    expect(articleResponseSchema.parse((await t.request.get(`/api/v1/articles/${articleId}`)).body).article.id).toBe(articleId);
  });

  it('shows a publish and a withdrawal at once on the fast path (invalidation unchanged)', async () => {
    const anonymousFeed = async () => feedResponseSchema.parse((await t.request.get('/api/v1/feed')).body);
    await anonymousFeed();
    await anonymousFeed(); // a fast-path hit
    const id = await publish('快速通道失效测试');
    expect((await anonymousFeed()).items[0]?.id).toBe(id);
    expect((await anonymousFeed()).items[0]?.id).toBe(id);

    expect((await t.request.get(`/api/v1/articles/${id}`)).status).toBe(200);
    expect((await t.request.get(`/api/v1/articles/${id}`)).status).toBe(200); // a fast-path hit
    expect((await editor.agent.delete(`/api/v1/articles/${id}`)).status).toBe(204);
    const gone = await t.request.get(`/api/v1/articles/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('ARTICLE_NOT_FOUND');
    expect((await anonymousFeed()).items.map((a) => a.id)).not.toContain(id);
  });
});
