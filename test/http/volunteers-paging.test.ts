/**
 * Volunteer lists that used to stop at 100/200 rows, over HTTP. GET /api/v1/volunteers/teams pages oldest first by
 * id (filters `q`, `area` on the server); GET /api/v1/volunteers/activities pages by `(startAt, id)` — soonest first
 * for upcoming, latest first for all. Walking every page while rows are added between pages repeats none and loses
 * none; bad limits and cursors are refused with VALIDATION_FAILED; nextCursor is null at the end. And
 * DELETE /api/v1/volunteers/teams/:id/leaders/:userId (admins): the leader loses the scoped team_leader role
 * (audited as role.revoke, as appointment is as role.grant) and the team's leader list; repeating it changes nothing.
 */
import { activityListResponseSchema, teamListResponseSchema } from '@shared/schemas/volunteers';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { BAD_PAGE_QUERIES, walkPages } from './paging-walk';

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-12-01T00:00:00Z');
const HOUR = 3600_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

let made = 0;
async function team(prefix: string, area = '城关街道'): Promise<string> {
  const res = await admin.agent.post('/api/v1/volunteers/teams').send({ name: `${prefix}志愿队${++made}`, area, description: '' });
  expect(res.status).toBe(201);
  return res.body.team.id as string;
}

describe('GET /api/v1/volunteers/teams paging', () => {
  it('walks oldest first, filtered by name and area on the server, with no team lost or repeated while teams are created', async () => {
    const before: string[] = [];
    for (let i = 0; i < 7; i += 1) before.push(await team('分页'));
    await team('别的');
    await team('分页', '旴江镇');
    const during: string[] = [];
    const walked = await walkPages(
      async (cursor) => {
        const res = await t.request
          .get('/api/v1/volunteers/teams')
          .query({ q: '分页', area: '城关街道', limit: 3, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        return teamListResponseSchema.parse(res.body);
      },
      async () => {
        during.push(await team('分页'));
      },
    );
    const ids = walked.items.map((x) => x.id);
    // Oldest first: teams created meanwhile come after every page read, each once.
    expect(ids).toEqual([...before, ...during].slice(0, ids.length));
    expect(ids.slice(0, before.length)).toEqual(before);
    expect(new Set(ids).size).toBe(ids.length);
    expect(walked.lastCursor).toBeNull();
    for (const query of BAD_PAGE_QUERIES) {
      const res = await t.request.get('/api/v1/volunteers/teams').query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});

describe('GET /api/v1/volunteers/activities paging', () => {
  it('walks by start time (soonest first upcoming, latest first for all) with none lost or repeated while more are published', async () => {
    const teamId = await team('活动');
    const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
    const publish = async (startsInHours: number) => {
      const startAt = START.getTime() + startsInHours * HOUR;
      const res = await leader.agent.post('/api/v1/volunteers/activities').send({
        teamId,
        title: `分页活动${++made}`,
        placeName: '县文化广场',
        startAt: new Date(startAt).toISOString(),
        endAt: new Date(startAt + 2 * HOUR).toISOString(),
        capacity: 10,
        signUpDeadline: new Date(startAt - HOUR).toISOString(),
        audience: 'public',
        points: { mode: 'per_hour', perHour: 10 },
      });
      expect(res.status).toBe(201);
      return res.body.activity.id as string;
    };
    // Equal start times (24, 24, 24) exercise the id tie-break.
    const before: string[] = [];
    for (const h of [24, 72, 24, 48, 96, 24, 30]) before.push(await publish(h));
    const walk = (include: 'upcoming' | 'all', between?: () => Promise<void>) =>
      walkPages(async (cursor) => {
        const res = await t.request
          .get('/api/v1/volunteers/activities')
          .query({ teamId, include, limit: 2, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        return activityListResponseSchema.parse(res.body);
      }, between);

    const during: string[] = [];
    const upcoming = await walk('upcoming', async () => {
      // One sooner than every page read (a fresh first page shows it), one later (this walk reaches it).
      during.push(await publish(20), await publish(200));
    });
    const ids = upcoming.items.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => before.includes(id)).sort()).toEqual([...before].sort());
    expect(ids.every((id) => before.includes(id) || during.includes(id))).toBe(true);
    const keys = upcoming.items.map((a) => [Date.parse(a.startAt), a.id] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));

    const all = await walk('all');
    const everything = [...before, ...during].sort();
    expect(all.items.map((a) => a.id).sort()).toEqual(everything);
    const starts = all.items.map((a) => Date.parse(a.startAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(all.lastCursor).toBeNull();

    for (const query of BAD_PAGE_QUERIES) {
      const res = await t.request.get('/api/v1/volunteers/activities').query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});

describe('GET /api/v1/volunteers/activities/:id/roster paging', () => {
  it('pages one state at a time in queue order; waitlist positions run on across pages while people sign up between pages', async () => {
    const teamId = await team('名单');
    const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
    const startAt = START.getTime() + 48 * HOUR;
    const created = await leader.agent.post('/api/v1/volunteers/activities').send({
      teamId,
      title: '名单分页',
      placeName: '县文化广场',
      startAt: new Date(startAt).toISOString(),
      endAt: new Date(startAt + 2 * HOUR).toISOString(),
      capacity: 3,
      signUpDeadline: new Date(startAt - HOUR).toISOString(),
      audience: 'public',
      points: { mode: 'per_hour', perHour: 10 },
    });
    expect(created.status).toBe(201);
    const activityId = created.body.activity.id as string;
    const signUp = async () => {
      const who = await loginAs(t, 'citizen');
      expect((await who.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`)).status).toBe(200);
      return who.user.id;
    };
    const queued: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      queued.push(await signUp());
      t.clock.advance(1000);
    }
    const path = `/api/v1/volunteers/activities/${activityId}/roster`;
    const seated = await leader.agent.get(path).query({ state: 'confirmed' });
    expect(seated.status).toBe(200);
    expect(seated.body.items.map((e: { userId: string }) => e.userId)).toEqual(queued.slice(0, 3));
    expect(seated.body.nextCursor).toBeNull();

    const during: string[] = [];
    const walked = await walkPages(
      async (cursor) => {
        const res = await leader.agent.get(path).query({ state: 'waitlisted', limit: 2, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        expect(res.body.counts).toMatchObject({ signedUp: 3, waitlisted: 5 + during.length });
        return res.body as { items: Array<{ userId: string; waitlistPosition: number }>; nextCursor: string | null };
      },
      async () => {
        // Someone joins the end of the waitlist: the walk reaches them once, after everyone queued before.
        during.push(await signUp());
        t.clock.advance(1000);
      },
    );
    const ids = walked.items.map((e) => e.userId);
    expect(ids).toEqual([...queued.slice(3), ...during].slice(0, ids.length));
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(walked.items.map((e) => e.waitlistPosition)).toEqual(ids.map((_, i) => i + 1));
    expect((await leader.agent.get(path).query({ state: 'all' })).status).toBe(400);
    expect((await leader.agent.get(path).query({ cursor: 'nope' })).status).toBe(400);
  });
});

describe('DELETE /api/v1/volunteers/teams/:id/leaders/:userId', () => {
  it('revokes the scoped leader role and the team forgets them; only admins may; repeating it changes nothing', async () => {
    const teamId = await team('撤销');
    const someone = await loginAs(t, 'citizen');
    expect((await admin.agent.post(`/api/v1/volunteers/teams/${teamId}/leaders`).send({ userId: someone.user.id })).status).toBe(200);
    let leader = await loginAs(t, 'citizen', undefined, { openid: someone.openid });
    expect(leader.user.roles).toContainEqual({ role: 'team_leader', scope: { type: 'team', id: teamId } });
    expect((await leader.agent.patch(`/api/v1/volunteers/teams/${teamId}`).send({ description: '队长上任' })).status).toBe(200);

    // A leader may not dismiss (even themselves), nor may an editor; only admins do.
    expect((await leader.agent.delete(`/api/v1/volunteers/teams/${teamId}/leaders/${someone.user.id}`)).status).toBe(403);
    const editor = await loginAs(t, 'editor');
    expect((await editor.agent.delete(`/api/v1/volunteers/teams/${teamId}/leaders/${someone.user.id}`)).status).toBe(403);
    const dismissed = await admin.agent.delete(`/api/v1/volunteers/teams/${teamId}/leaders/${someone.user.id}`);
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.team.leaderIds).toEqual([]);
    expect((await admin.agent.delete(`/api/v1/volunteers/teams/${teamId}/leaders/${someone.user.id}`)).status).toBe(200);

    // The dismissed leader's next request has lost the role.
    expect((await leader.agent.patch(`/api/v1/volunteers/teams/${teamId}`).send({ description: '已卸任' })).status).toBe(401);
    leader = await loginAs(t, 'citizen', undefined, { openid: someone.openid });
    expect(leader.user.roles.some((g) => g.role === 'team_leader')).toBe(false);
    expect((await leader.agent.patch(`/api/v1/volunteers/teams/${teamId}`).send({ description: '已卸任' })).status).toBe(403);
    for (const action of ['role.grant', 'role.revoke'])
      expect(await AuditLogModel.countDocuments({ action, targetId: someone.user.id, actorId: admin.user.id })).toBe(1);

    const unknown = await admin.agent.delete(`/api/v1/volunteers/teams/${'0'.repeat(24)}/leaders/${someone.user.id}`);
    expect({ status: unknown.status, code: unknown.body.error?.code }).toEqual({ status: 404, code: 'TEAM_NOT_FOUND' });
    expect((await admin.agent.delete(`/api/v1/volunteers/teams/${teamId}/leaders/nope`)).status).toBe(400);
  });
});
