/**
 * GET /api/v1/scopes/:scopeType/:scopeId/members used to stop silently at 500 people; it now pages oldest account
 * first (by id), optionally only the holders of one role. Walking every page while people join the scope between
 * pages repeats none and loses none; bad limits and cursors are refused with VALIDATION_FAILED; only the scope's
 * managers (and admins) may read it. The services that must reach everyone (a campaign's launch notice, 问政 task
 * notices) read the whole scope without a cap (scopeMemberIds).
 */
import { scopeMembersResponseSchema } from '@shared/schemas/users';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { BAD_PAGE_QUERIES, walkPages } from './paging-walk';

let t: TestContext;
let leader: LoggedIn;
const team = { type: 'team' as const, id: 'team-paging' };
const path = `/api/v1/scopes/team/${team.id}/members`;

beforeAll(async () => {
  t = await createTestContext();
  leader = await loginAs(t, 'team_leader', team);
});
afterAll(() => t.close());

const volunteer = async () => (await loginAs(t, 'volunteer', team)).user.id;

describe('GET /api/v1/scopes/:scopeType/:scopeId/members paging', () => {
  it('walks oldest account first with nobody lost or repeated while people join between pages', async () => {
    const before = [leader.user.id];
    for (let i = 0; i < 6; i += 1) before.push(await volunteer());
    const during: string[] = [];
    const walked = await walkPages(
      async (cursor) => {
        const res = await leader.agent.get(path).query({ limit: 3, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        return scopeMembersResponseSchema.parse(res.body);
      },
      async () => {
        during.push(await volunteer());
      },
    );
    const ids = walked.items.map((m) => m.id);
    expect(ids.slice(0, before.length)).toEqual(before);
    // Accounts are created in id order, so those who joined meanwhile come after every page read, each once.
    expect(ids).toEqual([...before, ...during].slice(0, ids.length));
    expect(new Set(ids).size).toBe(ids.length);
    expect(walked.pages).toBeGreaterThan(2);
    expect(walked.lastCursor).toBeNull();
    expect(walked.items.find((m) => m.id === leader.user.id)?.roles).toEqual(['team_leader']);
  });

  it('filters by role on the server, and the services reach every member past any page size', async () => {
    const res = await leader.agent.get(path).query({ role: 'team_leader' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((m: { id: string }) => m.id)).toEqual([leader.user.id]);
    const ids = await t.services.users.scopeMemberIds(team, ['volunteer']);
    const listed = await walkPages(async (cursor) =>
      scopeMembersResponseSchema.parse((await leader.agent.get(path).query({ role: 'volunteer', limit: 2, cursor })).body),
    );
    expect(new Set(ids)).toEqual(new Set(listed.items.map((m) => m.id)));
    expect(ids.length).toBeGreaterThan(6);
  });

  it('refuses bad paging and an unknown role with 400, and everyone but the scope managers with 403/401', async () => {
    for (const query of [...BAD_PAGE_QUERIES, { role: 'king' }]) {
      const res = await leader.agent.get(path).query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
    const admin = await loginAs(t, 'admin');
    expect((await admin.agent.get(path)).status).toBe(200);
    for (const outsider of [
      await loginAs(t, 'team_leader', { type: 'team', id: 'team-elsewhere' }),
      await loginAs(t, 'volunteer', team),
      await loginAs(t, 'editor'),
      await loginAs(t, 'citizen'),
    ]) {
      const res = await outsider.agent.get(path);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.request.get(path)).status).toBe(401);
  });
});
