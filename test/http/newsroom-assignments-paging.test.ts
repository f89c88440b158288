/**
 * 选题 lists page with an opaque cursor and answer `{ items, nextCursor }`, newest first. GET /api/v1/assignments
 * (editors): walking every page while topics are assigned between pages loses none and repeats none; filters by
 * assignee, assigning editor and state on the server. GET /api/v1/assignments/mine: only the caller's, by state.
 * Bad cursors, limits and states → 400; the full list refuses non-editors.
 */
import { assignmentListResponseSchema, type AssignmentView } from '@shared/schemas/newsroom';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext();
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

let seq = 0;
async function assign(to: LoggedIn, by: LoggedIn = editor): Promise<AssignmentView> {
  seq += 1;
  const res = await by.agent.post('/api/v1/assignments').send({ title: `选题${seq}`, brief: '翻页测试', assigneeId: to.user.id });
  expect(res.status).toBe(201);
  return res.body.assignment as AssignmentView;
}

async function page(who: LoggedIn, path: string, query: Record<string, string | number>) {
  const res = await who.agent.get(path).query(query);
  expect(res.status).toBe(200);
  return assignmentListResponseSchema.parse(res.body);
}

describe('GET /api/v1/assignments paging', () => {
  it('walks every page newest first with no topic lost or repeated while topics are assigned between pages', async () => {
    const writer = await loginAs(t, 'correspondent');
    const before: AssignmentView[] = [];
    for (let i = 0; i < 7; i += 1) before.push(await assign(writer));
    await assign(await loginAs(t, 'correspondent'));
    const seen: AssignmentView[] = [];
    const during: AssignmentView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Awaited<ReturnType<typeof page>> = await page(editor, '/api/v1/assignments', {
        assigneeId: writer.user.id,
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...p.items);
      cursor = p.nextCursor;
      pages += 1;
      during.push(await assign(writer));
    } while (cursor);
    expect(pages).toBe(3);
    const ids = seen.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(before.map((a) => a.id).reverse());
    const fresh = await page(writer, '/api/v1/assignments/mine', { limit: 100 });
    expect(fresh.items.map((a) => a.id)).toEqual([...before, ...during].map((a) => a.id).reverse());
    expect(fresh.nextCursor).toBeNull();
  });

  it('filters by state (one or several), by assignee and by the assigning editor; mine is only the caller’s', async () => {
    const writer = await loginAs(t, 'correspondent');
    const otherEditor = await loginAs(t, 'editor');
    const a = await assign(writer);
    const b = await assign(writer, otherEditor);
    const c = await assign(writer);
    await assign(await loginAs(t, 'correspondent'), otherEditor);
    await writer.agent.post(`/api/v1/assignments/${a.id}/accept`).expect(200);
    await writer.agent.post(`/api/v1/assignments/${b.id}/decline`).expect(200);

    const ids = (p: { items: AssignmentView[] }) => p.items.map((x) => x.id);
    expect(ids(await page(writer, '/api/v1/assignments/mine', { state: 'open' }))).toEqual([c.id]);
    expect(ids(await page(writer, '/api/v1/assignments/mine', { state: 'open,accepted' }))).toEqual([c.id, a.id]);
    expect(ids(await page(editor, '/api/v1/assignments', { assigneeId: writer.user.id, state: 'declined' }))).toEqual([b.id]);
    expect(ids(await page(editor, '/api/v1/assignments', { assigneeId: writer.user.id, assignedBy: otherEditor.user.id }))).toEqual([b.id]);
    // Another correspondent's own list holds none of these.
    const stranger = await loginAs(t, 'correspondent');
    expect(await page(stranger, '/api/v1/assignments/mine', {})).toEqual({ items: [], nextCursor: null });
  });

  it('refuses bad paging and filters with VALIDATION_FAILED, and the full list to non-editors', async () => {
    for (const path of ['/api/v1/assignments', '/api/v1/assignments/mine']) {
      for (const query of [{ cursor: 'nope' }, { limit: 0 }, { limit: 101 }, { state: 'done' }, { state: 'open,' }]) {
        const res = await editor.agent.get(path).query(query);
        expect({ path, query, status: res.status, code: res.body.error?.code }).toEqual({
          path,
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    }
    expect((await editor.agent.get('/api/v1/assignments/mine').query({ assigneeId: editor.user.id })).status).toBe(400);
    const writer = await loginAs(t, 'correspondent');
    expect((await writer.agent.get('/api/v1/assignments')).status).toBe(403);
  });
});
