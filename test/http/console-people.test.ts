/**
 * The console's people and organisations endpoints. GET /api/v1/channels: `{ items, nextCursor }` oldest first,
 * filtered by name and kind, admins named; walking every page while channels are created between pages loses and
 * repeats none. POST/DELETE /channels/:id/admins: set and remove a unit channel's admin (audited once, idempotent).
 * POST /admin/users/:id/password: an admin resets a staff password, the old one and the old sessions stop working.
 * GET /wenzheng/queue as the 部门办理 desk reads it: a department's own cases only, paged without loss while cases
 * arrive, filtered by state and overdue; only that department accepts and answers.
 * Each write refuses every role but admin; bad input is a 400 with the field's Chinese message.
 */
import { ROLES, type Role } from '@shared/roles';
import { channelListResponseSchema, type ChannelView } from '@shared/schemas/newsroom';
import { auditListResponseSchema } from '@shared/schemas/users';
import { Types } from 'mongoose';
import supertest from 'supertest';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { BAD_PAGE_QUERIES, walkPages } from './paging-walk';

let t: TestContext;
let admin: LoggedIn;
const OTHER_ROLES = ROLES.filter((r): r is Exclude<Role, 'admin'> => r !== 'admin');

beforeAll(async () => {
  t = await createTestContext();
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

let seq = 0;
async function channel(prefix: string, kind = 'government'): Promise<ChannelView> {
  seq += 1;
  const res = await admin.agent.post('/api/v1/channels').send({ name: `${prefix}${seq}`, kind });
  expect(res.status).toBe(201);
  return res.body.channel as ChannelView;
}
async function page(query: Record<string, string | number>) {
  const res = await t.request.get('/api/v1/channels').query(query);
  expect(res.status).toBe(200);
  return channelListResponseSchema.parse(res.body);
}

describe('GET /api/v1/channels', () => {
  it('walks every page, none lost or repeated, while channels are created between pages', async () => {
    const before: string[] = [];
    for (let i = 0; i < 7; i += 1) before.push((await channel('分页分端')).id);
    const during: string[] = [];
    const walked = await walkPages(
      async (cursor) => page({ q: '分页分端', limit: 3, ...(cursor ? { cursor } : {}) }),
      async () => {
        during.push((await channel('分页分端')).id);
      },
    );
    const ids = walked.items.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Oldest first: what existed comes first, in order; what was created meanwhile joins at the end.
    expect(ids.slice(0, before.length)).toEqual(before);
    expect(ids.slice(before.length).every((id) => during.includes(id))).toBe(true);
    expect(walked.lastCursor).toBeNull();
  });

  it('filters by name and by kind', async () => {
    const school = await channel('实验小学分端', 'school');
    await channel('实验小学分端', 'town');
    const found = await page({ q: '实验小学', kind: 'school', limit: 100 });
    expect(found.items.map((c) => c.id)).toEqual([school.id]);
    expect((await page({ q: '没有这个单位', limit: 100 })).items).toEqual([]);
  });

  it('refuses malformed queries with VALIDATION_FAILED', async () => {
    for (const query of [...BAD_PAGE_QUERIES, { kind: 'hospital' }, { q: 'x'.repeat(41) }]) {
      const res = await t.request.get('/api/v1/channels').query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('channel admins', () => {
  it('sets and removes an admin by id, names them, and audits each change once', async () => {
    const c = await channel('县卫健委分端');
    const person = await loginAs(t, 'citizen', undefined, { nickname: '卫健小刘' });
    const url = `/api/v1/channels/${c.id}/admins`;
    for (let i = 0; i < 2; i += 1) {
      const set = await admin.agent.post(url).send({ userId: person.user.id });
      expect(set.status).toBe(200);
      expect(set.body.channel).toMatchObject({ adminIds: [person.user.id], admins: [{ id: person.user.id, nickname: '卫健小刘' }] });
    }
    const listed = (await page({ q: '县卫健委分端', limit: 10 })).items[0]!;
    expect(listed.admins).toEqual([{ id: person.user.id, nickname: '卫健小刘' }]);
    // Their pieces take the lighter lane while they are its admin, and not after.
    expect(await t.services.circles.channelOf(person.user.id)).toBe(c.id);
    for (let i = 0; i < 2; i += 1) {
      const removed = await admin.agent.delete(`${url}/${person.user.id}`);
      expect(removed.status).toBe(200);
      expect(removed.body.channel).toMatchObject({ adminIds: [], admins: [] });
    }
    expect(await t.services.circles.channelOf(person.user.id)).toBeNull();
    const audit = auditListResponseSchema.parse((await admin.agent.get('/api/v1/admin/audit').query({ targetId: c.id, limit: 100 })).body);
    const actions = audit.items.map((e) => e.action).sort();
    expect(actions).toEqual(['channel.admin_add', 'channel.admin_remove', 'channel.create']);
    expect(audit.items.find((e) => e.action === 'channel.admin_remove')).toMatchObject({
      actorId: admin.user.id,
      details: { userId: person.user.id },
      target: { type: 'channel', id: c.id, label: c.name },
    });
  });

  it('answers an unknown channel with 404 and a malformed id with 400', async () => {
    const missing = new Types.ObjectId().toHexString();
    const res = await admin.agent.delete(`/api/v1/channels/${missing}/admins/${admin.user.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CHANNEL_NOT_FOUND');
    const bad = await admin.agent.post(`/api/v1/channels/${missing}/admins`).send({ userId: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const unnamed = await admin.agent.post('/api/v1/channels').send({ name: '', kind: 'government' });
    expect(unnamed.status).toBe(400);
    expect(JSON.stringify(unnamed.body.error)).toMatch(/单位名称/);
  });

  it('refuses creating channels and setting or removing their admins to every role but admin', async () => {
    const c = await channel('权限分端');
    const person = await loginAs(t, 'citizen');
    await admin.agent.post(`/api/v1/channels/${c.id}/admins`).send({ userId: person.user.id }).expect(200);
    for (const role of OTHER_ROLES) {
      const who = await loginAs(t, role);
      expect((await who.agent.post('/api/v1/channels').send({ name: `不该建成${role}`, kind: 'school' })).status).toBe(403);
      expect((await who.agent.post(`/api/v1/channels/${c.id}/admins`).send({ userId: who.user.id })).status).toBe(403);
      expect((await who.agent.delete(`/api/v1/channels/${c.id}/admins/${person.user.id}`)).status).toBe(403);
    }
    expect((await t.request.delete(`/api/v1/channels/${c.id}/admins/${person.user.id}`)).status).toBe(401);
    expect((await page({ q: '权限分端', limit: 10 })).items[0]!.adminIds).toEqual([person.user.id]);
  });
});

describe('POST /api/v1/admin/users/:id/password', () => {
  async function staffAccount(username: string) {
    const res = await admin.agent
      .post('/api/v1/admin/staff')
      .send({ username, password: 'first password 1', nickname: '新来的编辑', roles: [{ role: 'editor' }] });
    expect(res.status).toBe(201);
    const login = await t.request.post('/api/v1/auth/staff-login').send({ username, password: 'first password 1' });
    expect(login.status).toBe(200);
    return { id: res.body.user.id as string, token: login.body.accessToken as string, refreshToken: login.body.refreshToken as string };
  }

  it('sets a new password: the old one and every old session stop working, the new one signs in', async () => {
    const staff = await staffAccount('reset.me');
    const res = await admin.agent.post(`/api/v1/admin/users/${staff.id}/password`).send({ password: 'second password 2' });
    expect(res.status).toBe(204);
    expect((await t.request.post('/api/v1/auth/staff-login').send({ username: 'reset.me', password: 'first password 1' })).status).toBe(
      401,
    );
    expect((await supertest(t.app.callback()).get('/api/v1/me').set('Authorization', `Bearer ${staff.token}`)).status).toBe(401);
    expect((await t.request.post('/api/v1/auth/refresh').send({ refreshToken: staff.refreshToken })).status).toBe(401);
    const again = await t.request.post('/api/v1/auth/staff-login').send({ username: 'reset.me', password: 'second password 2' });
    expect(again.status).toBe(200);
    const audit = auditListResponseSchema.parse((await admin.agent.get('/api/v1/admin/audit').query({ targetId: staff.id })).body);
    expect(audit.items.find((e) => e.action === 'user.password_reset')).toMatchObject({ actorId: admin.user.id });
  });

  it('refuses a short password on its field, a WeChat account, an unknown one and the admin’s own', async () => {
    const staff = await staffAccount('reset.bad');
    const short = await admin.agent.post(`/api/v1/admin/users/${staff.id}/password`).send({ password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.details.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'password', message: '密码至少 10 位' })]),
    );
    const citizen = await loginAs(t, 'citizen');
    const wechat = await admin.agent.post(`/api/v1/admin/users/${citizen.user.id}/password`).send({ password: 'long enough 123' });
    expect(wechat.body.error.code).toBe('NOT_A_STAFF_ACCOUNT');
    const missing = await admin.agent
      .post(`/api/v1/admin/users/${new Types.ObjectId().toHexString()}/password`)
      .send({ password: 'long enough 123' });
    expect(missing.body.error.code).toBe('NOT_A_STAFF_ACCOUNT');
    const own = await admin.agent.post(`/api/v1/admin/users/${admin.user.id}/password`).send({ password: 'long enough 123' });
    expect(own.status).toBe(403);
  });

  it('refuses every role but admin', async () => {
    const staff = await staffAccount('reset.authz');
    for (const role of OTHER_ROLES) {
      const who = await loginAs(t, role);
      expect((await who.agent.post(`/api/v1/admin/users/${staff.id}/password`).send({ password: 'long enough 123' })).status).toBe(403);
    }
    expect((await t.request.post('/api/v1/auth/staff-login').send({ username: 'reset.authz', password: 'first password 1' })).status).toBe(
      200,
    );
  });
});

describe('GET /api/v1/wenzheng/queue (部门办理)', () => {
  let editor: LoggedIn;
  let zjj: LoggedIn;
  let made = 0;
  /** A hotline case the editor entered and routed to `department` (what lands on that department's desk). */
  async function routed(department: string): Promise<string> {
    made += 1;
    const entered = await editor.agent.post('/api/v1/wenzheng/intake').send({
      source: 'hotline',
      category: '城建',
      title: `路面破损${made}`,
      text: '建设路的路面破了一个大坑，电动车经过容易摔倒。',
      visibility: 'public',
      anonymous: false,
    });
    expect(entered.status).toBe(201);
    const id = entered.body.case.id as string;
    await editor.agent
      .post(`/api/v1/wenzheng/cases/${id}/forward`)
      .send({ tier: 'direct', type: 'complaint', department, coDepartments: [], publish: true })
      .expect(200);
    return id;
  }
  async function walk(who: LoggedIn, query: Record<string, string | number>, between?: () => Promise<unknown>) {
    return walkPages(
      async (cursor) => {
        const res = await who.agent.get('/api/v1/wenzheng/queue').query({ ...query, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        return res.body as { items: Array<{ id: string; state: string; department: { code: string } | null }>; nextCursor: string | null };
      },
      between ? async () => void (await between()) : undefined,
    );
  }

  beforeAll(async () => {
    editor = await loginAs(t, 'editor');
    zjj = await loginAs(t, 'department_staff', { type: 'department', id: 'zjj' });
    for (const [code, name] of [
      ['zjj', '县住建局'],
      ['jtj', '县交通运输局'],
    ] as const)
      await admin.agent.put(`/api/v1/wenzheng/departments/${code}`).send({ name }).expect(200);
  });

  it('pages a department’s own cases only, none lost or repeated while cases arrive between pages', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i += 1) mine.push(await routed('zjj'));
    const theirs = await routed('jtj');
    const arrived: string[] = [];
    const walked = await walk(zjj, { limit: 2 }, async () => arrived.push(await routed('zjj')));
    const ids = walked.items.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(mine));
    expect(ids).not.toContain(theirs);
    expect(walked.items.every((c) => c.department?.code === 'zjj')).toBe(true);
    // Another department's desk is refused, not emptied.
    const other = await zjj.agent.get('/api/v1/wenzheng/queue').query({ department: 'jtj' });
    expect(other.status).toBe(403);
  });

  it('filters by state and by overdue, and refuses a malformed filter', async () => {
    const accepted = await routed('zjj');
    await zjj.agent.post(`/api/v1/wenzheng/cases/${accepted}/accept`).send({}).expect(200);
    const inWork = await walk(zjj, { state: 'accepted', limit: 50 });
    expect(inWork.items.map((c) => c.id)).toContain(accepted);
    expect(inWork.items.every((c) => c.state === 'accepted')).toBe(true);
    // Nothing is late yet on the test clock: 是否超期 = 已超期 is empty, 未超期 holds the case.
    expect((await walk(zjj, { overdue: 'true', limit: 50 })).items).toEqual([]);
    expect((await walk(zjj, { overdue: 'false', limit: 50 })).items.map((c) => c.id)).toContain(accepted);
    for (const query of [{ overdue: 'yes' }, { state: 'lost' }, { limit: 51 }]) {
      const res = await zjj.agent.get('/api/v1/wenzheng/queue').query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lets only the department answer its case, with the answer’s Chinese message when empty', async () => {
    const id = await routed('zjj');
    const jtj = await loginAs(t, 'department_staff', { type: 'department', id: 'jtj' });
    expect((await jtj.agent.post(`/api/v1/wenzheng/cases/${id}/accept`).send({})).status).toBe(403);
    await zjj.agent.post(`/api/v1/wenzheng/cases/${id}/accept`).send({}).expect(200);
    const empty = await zjj.agent.post(`/api/v1/wenzheng/cases/${id}/answer`).send({ text: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.issues[0]).toMatchObject({ path: 'text' });
    expect(empty.body.error.details.issues[0].message).toMatch(/答复/);
    const answered = await zjj.agent.post(`/api/v1/wenzheng/cases/${id}/answer`).send({ text: '已安排修复。' });
    expect(answered.status).toBe(200);
    expect(answered.body.case).toMatchObject({ state: 'answered', answer: { text: '已安排修复。', department: { code: 'zjj' } } });
  });
});
