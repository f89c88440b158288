/**
 * GET /api/v1/circles used to answer every circle at once; it now pages oldest first by `(createdAt, id)` with a
 * name filter `q` on the server. Walking every page while circles are created between pages repeats none and loses
 * none (circles created in the same millisecond keep their id order); `q` is matched literally; bad limits and
 * cursors are refused with VALIDATION_FAILED; the list stays public.
 */
import { circleListResponseSchema } from '@shared/schemas/newsroom';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { BAD_PAGE_QUERIES, walkPages } from './paging-walk';

let t: TestContext;
let admin: LoggedIn;

beforeAll(async () => {
  // A fixed clock: every circle gets the same createdAt, so the id tie-break carries the order.
  t = await createTestContext({ now: new Date('2026-12-01T00:00:00Z') });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

let made = 0;
async function circle(prefix: string): Promise<string> {
  const res = await admin.agent.post('/api/v1/circles').send({ name: `${prefix}圈${++made}`, description: '分页测试' });
  expect(res.status).toBe(201);
  return res.body.circle.id as string;
}

async function page(query: Record<string, string | number>) {
  const res = await t.request.get('/api/v1/circles').query(query);
  expect(res.status).toBe(200);
  return circleListResponseSchema.parse(res.body);
}

describe('GET /api/v1/circles paging', () => {
  it('walks oldest first, filtered by name on the server, with no circle lost or repeated while circles are created', async () => {
    const before: string[] = [];
    for (let i = 0; i < 7; i += 1) before.push(await circle('分页'));
    const other = await circle('别的');
    const during: string[] = [];
    const walked = await walkPages(
      (cursor) => page({ q: '分页', limit: 3, ...(cursor ? { cursor } : {}) }),
      async () => {
        during.push(await circle('分页'));
      },
    );
    const ids = walked.items.map((c) => c.id);
    // Oldest first: circles created meanwhile sort after every page read, each once.
    expect(ids.slice(0, before.length)).toEqual(before);
    expect(ids).toEqual([...before, ...during].slice(0, ids.length));
    expect(ids.length).toBeGreaterThanOrEqual(before.length + walked.pages - 1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(other);
    expect(walked.pages).toBeGreaterThan(2);
    expect(walked.lastCursor).toBeNull();

    // Without q every circle is listed, the other one too; anonymously (the list is public).
    const all = await walkPages((cursor) => page({ limit: 100, ...(cursor ? { cursor } : {}) }));
    expect(all.items.map((c) => c.id)).toEqual(expect.arrayContaining([...before, ...during, other]));
  });

  it('matches q literally (no pattern) and refuses bad limits and cursors', async () => {
    await circle('点星');
    expect((await page({ q: '.*' })).items).toEqual([]);
    expect((await page({ q: '点星' })).items.map((c) => c.name)).toEqual([expect.stringMatching(/^点星圈\d+$/)]);
    for (const query of [...BAD_PAGE_QUERIES, { q: 'x'.repeat(31) }, { other: 1 }]) {
      const res = await t.request.get('/api/v1/circles').query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});
