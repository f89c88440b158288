/**
 * Users over HTTP against the real stack: /me (profile read and edit with validation), phone binding
 * through getPhoneNumber, admin role grants/revokes and staff accounts (admin only, audited), the
 * scoped members endpoint (only the scope's leader or an admin), and the audit list. The avatar from
 * WeChat's chooseAvatar arrives as the person's own upload (avatarFileId), never as someone else's file.
 */
import { meResponseSchema, userListResponseSchema } from '@shared/schemas/users';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { UserModel } from '../../server/src/modules/users/users.model';
import { createTestContext, loginAs, mintLoginCode, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;

beforeAll(async () => {
  t = await createTestContext();
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

async function mintPhoneCode(phoneNumber: string): Promise<string> {
  const res = await fetch(`${t.wechatUrl}/__fake/phone-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber }),
  });
  return ((await res.json()) as { code: string }).code;
}

const AVATAR_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A fresh access token for the admin (role grants in other tests never retire it: they target others). */
const asAdmin = () => admin.agent;

describe('GET/PATCH /api/v1/me', () => {
  it('shows the signed-in user in the documented shape, with no secrets', async () => {
    const me = await loginAs(t, 'citizen');
    const res = await me.agent.get('/api/v1/me');
    expect(res.status).toBe(200);
    const { user } = meResponseSchema.parse(res.body);
    expect(user).toMatchObject({
      id: me.user.id,
      avatarUrl: null,
      district: null,
      phone: null,
      roles: [{ role: 'citizen' }],
      username: null,
    });
    expect(res.text).not.toMatch(/sessionKey|session_key|passwordHash|openid/);
  });

  it('edits nickname, avatar and district, and clears the district with null', async () => {
    const me = await loginAs(t, 'citizen');
    const res = await me.agent
      .patch('/api/v1/me')
      .send({ nickname: '  青溪老王 ', avatarUrl: 'https://img.example.cn/a.png', district: '青溪镇' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ nickname: '青溪老王', avatarUrl: 'https://img.example.cn/a.png', district: '青溪镇' });
    expect(await UserModel.findById(me.user.id).lean()).toMatchObject({ nickname: '青溪老王', district: '青溪镇' });

    const cleared = await me.agent.patch('/api/v1/me').send({ district: null });
    expect(cleared.body.user.district).toBeNull();
    expect((await UserModel.findById(me.user.id).lean())?.district).toBeUndefined();
  });

  it("sets the avatar from the person's own upload (chooseAvatar → POST /files → PATCH /me)", async () => {
    const me = await loginAs(t, 'citizen');
    const upload = await me.agent.post('/api/v1/files').attach('file', AVATAR_PNG, { filename: 'avatar.png', contentType: 'image/png' });
    expect(upload.status).toBe(201);
    const res = await me.agent.patch('/api/v1/me').send({ avatarFileId: upload.body.file.id });
    expect(res.status).toBe(200);
    expect(meResponseSchema.parse(res.body).user.avatarUrl).toBe(upload.body.file.url);
    expect((await UserModel.findById(me.user.id).lean())?.avatarUrl).toBe(upload.body.file.url);
  });

  it("fails nicely for someone else's upload (404 FILE_NOT_FOUND) and for two avatars at once (400), changing nothing", async () => {
    const owner = await loginAs(t, 'citizen');
    const other = await loginAs(t, 'citizen');
    const upload = await owner.agent.post('/api/v1/files').attach('file', AVATAR_PNG, { filename: 'a.png', contentType: 'image/png' });
    const stolen = await other.agent.patch('/api/v1/me').send({ avatarFileId: upload.body.file.id });
    expect(stolen.status).toBe(404);
    expect(stolen.body.error).toMatchObject({ code: 'FILE_NOT_FOUND', message: '文件不存在' });
    const both = await owner.agent
      .patch('/api/v1/me')
      .send({ avatarFileId: upload.body.file.id, avatarUrl: 'https://img.example.cn/a.png' });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('VALIDATION_FAILED');
    const bad = await owner.agent.patch('/api/v1/me').send({ avatarFileId: 'not-an-id' });
    expect(bad.status).toBe(400);
    expect((await UserModel.findById(other.user.id).lean())?.avatarUrl).toBeUndefined();
    expect((await UserModel.findById(owner.user.id).lean())?.avatarUrl).toBeUndefined();
  });

  it.each([
    ['an empty nickname', { nickname: '   ' }],
    ['a 21-character nickname', { nickname: '长'.repeat(21) }],
    ['a nickname with control characters', { nickname: 'a\u0007b' }],
    ['a non-https avatar', { avatarUrl: 'http://img.example.cn/a.png' }],
    ['an empty body', {}],
    ['a roles field (no self-promotion)', { roles: [{ role: 'admin' }] }],
    ['a phone field (only via WeChat)', { phone: '13800000000' }],
    ['a $-operator key', { $set: { nickname: 'x' } }],
  ])('refuses %s with 400 VALIDATION_FAILED and changes nothing', async (_label, body) => {
    const me = await loginAs(t, 'citizen');
    const res = await me.agent.patch('/api/v1/me').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues.length).toBeGreaterThan(0);
    const stored = await UserModel.findById(me.user.id).lean();
    expect(stored?.nickname).toBe(me.user.nickname);
    expect(stored?.roles.map((g) => g.role)).toEqual(['citizen']);
  });

  it.each([
    ['risky', '赌博大王'],
    ['flagged for review', '加微信领红包'],
  ])('refuses a nickname WeChat rates %s with 422 CONTENT_RISKY and keeps the old one', async (_label, nickname) => {
    const me = await loginAs(t, 'citizen');
    const res = await me.agent.patch('/api/v1/me').send({ nickname, district: '龙潭镇' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'CONTENT_RISKY', details: { field: 'nickname' } });
    expect(await UserModel.findById(me.user.id).lean()).toMatchObject({ nickname: me.user.nickname });
    expect((await UserModel.findById(me.user.id).lean())?.district).toBeUndefined();
  });

  it('answers 401 with the error shape without a token', async () => {
    const res = await t.request.patch('/api/v1/me').send({ nickname: '匿名' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'AUTH_REQUIRED', message: expect.any(String) } });
  });
});

describe('POST /api/v1/me/phone', () => {
  it('binds the number behind a getPhoneNumber code, stores it whole and shows it masked', async () => {
    const me = await loginAs(t, 'citizen');
    const res = await me.agent.post('/api/v1/me/phone').send({ code: await mintPhoneCode('13800138001') });
    expect(res.status).toBe(200);
    expect(res.body.user.phone).toBe('138****8001');
    expect(res.text).not.toContain('13800138001');
    expect(await UserModel.findById(me.user.id).lean()).toMatchObject({ phone: '13800138001', phoneCountryCode: '86' });
    expect((await me.agent.get('/api/v1/me')).body.user.phone).toBe('138****8001');
  });

  it('refuses a used phone code with 410 WECHAT_PHONE_CODE_INVALID', async () => {
    const me = await loginAs(t, 'citizen');
    const code = await mintPhoneCode('13800138002');
    expect((await me.agent.post('/api/v1/me/phone').send({ code })).status).toBe(200);
    const again = await me.agent.post('/api/v1/me/phone').send({ code });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('WECHAT_PHONE_CODE_INVALID');
  });

  it('refuses a number already bound to another account with 409 PHONE_TAKEN', async () => {
    const first = await loginAs(t, 'citizen');
    const second = await loginAs(t, 'citizen');
    await first.agent.post('/api/v1/me/phone').send({ code: await mintPhoneCode('13800138003') });
    const res = await second.agent.post('/api/v1/me/phone').send({ code: await mintPhoneCode('13800138003') });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PHONE_TAKEN');
    expect((await UserModel.findById(second.user.id).lean())?.phone).toBeUndefined();
  });
});

describe('admin: roles', () => {
  it('refuses grants by anyone but an admin (403) and without a token (401)', async () => {
    const target = await loginAs(t, 'citizen');
    for (const role of ['citizen', 'editor', 'team_leader'] as const) {
      const actor = await loginAs(t, role);
      const res = await actor.agent.post(`/api/v1/admin/users/${target.user.id}/roles`).send({ role: 'editor' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.request.post(`/api/v1/admin/users/${target.user.id}/roles`).send({ role: 'editor' })).status).toBe(401);
    expect((await UserModel.findById(target.user.id).lean())?.roles.map((g) => g.role)).toEqual(['citizen']);
  });

  it('grants a scoped role, bumps the roles version and writes an audit entry', async () => {
    const target = await loginAs(t, 'citizen');
    const grant = { role: 'team_leader', scope: { type: 'team', id: 'team-qingxi-1' } };
    const res = await asAdmin().post(`/api/v1/admin/users/${target.user.id}/roles`).send(grant);
    expect(res.status).toBe(200);
    expect(res.body.user.roles).toEqual([{ role: 'citizen' }, grant]);
    const stored = await UserModel.findById(target.user.id).lean();
    expect(stored?.rolesVersion).toBe(1);
    expect(stored?.roles[1]).toMatchObject({ role: 'team_leader', scopeType: 'team', scopeId: 'team-qingxi-1' });
    expect(stored?.roles[1]?.grantedBy?.toHexString()).toBe(admin.user.id);
    const entry = await AuditLogModel.findOne({ action: 'role.grant', targetId: target.user.id }).lean();
    expect(entry?.actorId?.toHexString()).toBe(admin.user.id);
    expect(entry?.details).toEqual({ grant });
    expect(entry?.requestId).toEqual(expect.any(String));

    // Granting it again changes nothing and is not audited twice.
    await asAdmin().post(`/api/v1/admin/users/${target.user.id}/roles`).send(grant).expect(200);
    expect((await UserModel.findById(target.user.id).lean())?.rolesVersion).toBe(1);
    expect(await AuditLogModel.countDocuments({ action: 'role.grant', targetId: target.user.id })).toBe(1);
  });

  it('records one grant and one audit entry when the same grant is sent concurrently', async () => {
    const target = await loginAs(t, 'citizen');
    const grant = { role: 'correspondent', scope: { type: 'circle', id: 'circle-race' } };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => asAdmin().post(`/api/v1/admin/users/${target.user.id}/roles`).send(grant)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const stored = await UserModel.findById(target.user.id).lean();
    expect(stored?.roles.filter((g) => g.role === 'correspondent')).toHaveLength(1);
    expect(stored?.rolesVersion).toBe(1);
    expect(await AuditLogModel.countDocuments({ action: 'role.grant', targetId: target.user.id })).toBe(1);
  });

  it('revokes a role in its scope only, audited; revoking what is not held is 404 ROLE_NOT_HELD', async () => {
    const target = await loginAs(
      t,
      'volunteer',
      { type: 'team', id: 'team-a' },
      { extraRoles: [{ role: 'volunteer', scope: { type: 'team', id: 'team-b' } }] },
    );
    const res = await asAdmin()
      .delete(`/api/v1/admin/users/${target.user.id}/roles`)
      .query({ role: 'volunteer', scopeType: 'team', scopeId: 'team-a' });
    expect(res.status).toBe(200);
    expect(res.body.user.roles).toEqual([{ role: 'citizen' }, { role: 'volunteer', scope: { type: 'team', id: 'team-b' } }]);
    expect(await AuditLogModel.countDocuments({ action: 'role.revoke', targetId: target.user.id })).toBe(1);

    const again = await asAdmin()
      .delete(`/api/v1/admin/users/${target.user.id}/roles`)
      .query({ role: 'volunteer', scopeType: 'team', scopeId: 'team-a' });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('ROLE_NOT_HELD');
    // An unscoped revoke does not touch the scoped grant.
    expect((await asAdmin().delete(`/api/v1/admin/users/${target.user.id}/roles`).query({ role: 'volunteer' })).status).toBe(404);
  });

  it.each([
    ['a scoped role without its scope', { role: 'team_leader' }],
    ['a scope of the wrong type', { role: 'team_leader', scope: { type: 'circle', id: 'c1' } }],
    ['a scope on an unscoped role', { role: 'editor', scope: { type: 'team', id: 't1' } }],
    ['the implicit citizen role', { role: 'citizen' }],
    ['a department scope that is not a department code', { role: 'department_staff', scope: { type: 'department', id: '县住建局' } }],
  ])('refuses %s with 400 ROLE_NOT_GRANTABLE', async (_label, body) => {
    const target = await loginAs(t, 'citizen');
    const res = await asAdmin().post(`/api/v1/admin/users/${target.user.id}/roles`).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ROLE_NOT_GRANTABLE');
  });

  it('grants department staff by department code', async () => {
    const target = await loginAs(t, 'citizen');
    const res = await asAdmin()
      .post(`/api/v1/admin/users/${target.user.id}/roles`)
      .send({ role: 'department_staff', scope: { type: 'department', id: 'zjj' } });
    expect(res.status).toBe(200);
    expect(res.body.user.roles).toContainEqual({ role: 'department_staff', scope: { type: 'department', id: 'zjj' } });
  });

  it('refuses an unknown role (400), an unknown user (404) and an admin removing their own admin role (409)', async () => {
    const target = await loginAs(t, 'citizen');
    expect((await asAdmin().post(`/api/v1/admin/users/${target.user.id}/roles`).send({ role: 'superuser' })).status).toBe(400);
    const missing = await asAdmin().post('/api/v1/admin/users/0123456789abcdef01234567/roles').send({ role: 'editor' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('USER_NOT_FOUND');
    const self = await asAdmin().delete(`/api/v1/admin/users/${admin.user.id}/roles`).query({ role: 'admin' });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SELF_ADMIN_REVOKE');
  });
});

describe('admin: staff accounts and user list', () => {
  it('creates a staff account who can then sign in; audited; the password never answered', async () => {
    const body = { username: 'Zhang.Editor', password: 'a long passphrase 1', nickname: '张编辑', roles: [{ role: 'editor' }] };
    const res = await asAdmin().post('/api/v1/admin/staff').send(body);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ username: 'zhang.editor', nickname: '张编辑', roles: [{ role: 'editor' }] });
    expect(res.text).not.toContain(body.password);
    expect(await AuditLogModel.countDocuments({ action: 'staff.create', targetId: res.body.user.id })).toBe(1);

    const login = await t.request.post('/api/v1/auth/staff-login').send({ username: 'zhang.editor', password: body.password });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(res.body.user.id);

    const dup = await asAdmin()
      .post('/api/v1/admin/staff')
      .send({ ...body, nickname: '另一个' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('USERNAME_TAKEN');
  });

  it('refuses short passwords and bad usernames (400) and non-admins (403)', async () => {
    expect((await asAdmin().post('/api/v1/admin/staff').send({ username: 'shorty', password: 'short', nickname: '短' })).status).toBe(400);
    expect(
      (await asAdmin().post('/api/v1/admin/staff').send({ username: '1bad', password: 'long enough pass', nickname: '坏' })).status,
    ).toBe(400);
    const editor = await loginAs(t, 'editor');
    const res = await editor.agent.post('/api/v1/admin/staff').send({ username: 'sneaky', password: 'long enough pass', nickname: '偷偷' });
    expect(res.status).toBe(403);
    expect(await UserModel.countDocuments({ username: 'sneaky' })).toBe(0);
  });

  it('lists users for admins, filtered by name and role, page by page', async () => {
    for (const name of ['龙潭李一', '龙潭李二', '龙潭李三']) await loginAs(t, 'correspondent', undefined, { nickname: name });
    const first = await asAdmin().get('/api/v1/admin/users').query({ q: '龙潭李', role: 'correspondent', limit: 2 });
    expect(first.status).toBe(200);
    const page1 = userListResponseSchema.parse(first.body);
    expect(page1.items.map((u) => u.nickname)).toEqual(['龙潭李三', '龙潭李二']);
    const page2 = userListResponseSchema.parse(
      (await asAdmin().get('/api/v1/admin/users').query({ q: '龙潭李', role: 'correspondent', limit: 2, cursor: page1.nextCursor })).body,
    );
    expect(page2).toEqual({ items: [expect.objectContaining({ nickname: '龙潭李一' })], nextCursor: null });
    expect((await (await loginAs(t, 'editor')).agent.get('/api/v1/admin/users')).status).toBe(403);
  });
});

describe('admin: disabling accounts', () => {
  it('cuts a disabled user off at once (token, refresh and new logins), audited; enabling lets them back in', async () => {
    const target = await loginAs(t, 'citizen');
    const res = await asAdmin().post(`/api/v1/admin/users/${target.user.id}/disable`);
    expect(res.status).toBe(200);
    expect(res.body.user.disabled).toBe(true);
    expect((await UserModel.findById(target.user.id).lean())?.disabledAt).toBeInstanceOf(Date);
    expect(await AuditLogModel.countDocuments({ action: 'user.disable', targetId: target.user.id })).toBe(1);

    expect((await target.agent.get('/api/v1/me')).body.error.code).toBe('TOKEN_EXPIRED');
    const refreshed = await t.request.post('/api/v1/auth/refresh').send({ refreshToken: target.refreshToken });
    expect(refreshed.status).toBe(401);
    expect(refreshed.body.error.code).toBe('REFRESH_TOKEN_INVALID');
    const { code } = await mintLoginCode(t, target.openid);
    const login = await t.request.post('/api/v1/auth/wechat-login').send({ code });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('ACCOUNT_DISABLED');

    await asAdmin().post(`/api/v1/admin/users/${target.user.id}/enable`).expect(200);
    const again = await t.request.post('/api/v1/auth/wechat-login').send({ code: (await mintLoginCode(t, target.openid)).code });
    expect(again.status).toBe(200);
    expect(again.body.user.disabled).toBe(false);
  });

  it('refuses non-admins (403) and an admin disabling themselves', async () => {
    const target = await loginAs(t, 'citizen');
    expect((await (await loginAs(t, 'editor')).agent.post(`/api/v1/admin/users/${target.user.id}/disable`)).status).toBe(403);
    expect((await asAdmin().post(`/api/v1/admin/users/${admin.user.id}/disable`)).status).toBe(403);
    expect((await UserModel.findById(admin.user.id).lean())?.disabledAt).toBeUndefined();
  });
});

describe('scoped access: GET /api/v1/scopes/:scopeType/:scopeId/members', () => {
  it("answers the scope's leader and admins; refuses other scopes' leaders, members and citizens", async () => {
    const team = { type: 'team' as const, id: 'team-longtan' };
    const leader = await loginAs(t, 'team_leader', team);
    const volunteer = await loginAs(t, 'volunteer', team, { nickname: '志愿者小周' });
    const otherLeader = await loginAs(t, 'team_leader', { type: 'team', id: 'team-other' });
    const citizen = await loginAs(t, 'citizen');
    const path = `/api/v1/scopes/team/${team.id}/members`;

    const res = await leader.agent.get(path);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: leader.user.id, roles: ['team_leader'] }),
      expect.objectContaining({ id: volunteer.user.id, nickname: '志愿者小周', roles: ['volunteer'] }),
    ]);
    expect(res.body.nextCursor).toBeNull();
    expect((await asAdmin().get(path)).status).toBe(200);
    for (const outsider of [otherLeader, volunteer, citizen]) {
      const refused = await outsider.agent.get(path);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.request.get(path)).status).toBe(401);
    // The leader of team-longtan is no leader of a circle with the same id.
    expect((await leader.agent.get(`/api/v1/scopes/circle/${team.id}/members`)).status).toBe(403);
  });
});

describe('GET /api/v1/admin/audit', () => {
  it('lists entries newest first for admins, filterable by action; refused to others', async () => {
    const target = await loginAs(t, 'citizen');
    await asAdmin().post(`/api/v1/admin/users/${target.user.id}/roles`).send({ role: 'correspondent' }).expect(200);
    const res = await asAdmin().get('/api/v1/admin/audit').query({ action: 'role.grant', limit: 100 });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      action: 'role.grant',
      actorId: admin.user.id,
      target: { type: 'user', id: target.user.id },
      details: { grant: { role: 'correspondent' } },
    });
    expect(res.body.items.every((e: { action: string }) => e.action === 'role.grant')).toBe(true);
    for (const role of ['editor', 'department_staff'] as const)
      expect((await (await loginAs(t, role)).agent.get('/api/v1/admin/audit')).status).toBe(403);
  });
});

describe('users service for other modules', () => {
  it('gives the openid of a WeChat user (null for staff) and public profiles in bulk, skipping unknown ids', async () => {
    const users = t.services.users;
    const citizen = await loginAs(t, 'citizen', undefined, { nickname: '桃坪小李' });
    const staff = await users.createStaff(null, { username: 'profiles.staff', password: 'long enough pass', nickname: '后台', roles: [] });
    expect(await users.openidOf(citizen.user.id)).toBe(citizen.openid);
    expect(await users.openidOf(staff.id)).toBeNull();
    const profiles = await users.publicProfiles([citizen.user.id, staff.id, citizen.user.id, '0123456789abcdef01234567', 'not-an-id']);
    expect([...profiles.values()]).toEqual(
      expect.arrayContaining([
        { id: citizen.user.id, nickname: '桃坪小李', avatarUrl: null },
        { id: staff.id, nickname: '后台', avatarUrl: null },
      ]),
    );
    expect(profiles.size).toBe(2);
  });
});
