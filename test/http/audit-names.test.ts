/**
 * GET /api/v1/admin/audit names who acted and on what: the actor's nickname and console username, and a
 * readable target (a user's nickname, a circle's, merchant's or goods' name, an article's title), read in one
 * batched look-up per kind per page; the ids stay. The system, unknown kinds and vanished targets answer null.
 * Role grants name the scope they are limited to (`names`: a circle's, team's or department's name), and a channel admin named in details by nickname.
 */
import { Types } from 'mongoose';
import { auditListResponseSchema, type AuditEntry } from '@shared/schemas/users';
import supertest from 'supertest';
import { createTestContext, loginAs, type TestContext } from '../harness';
import { approvedMerchant } from './coupons-fixtures';

let t: TestContext;
/** An admin signed in with a console username (staff login), so the audit log has both names to show. */
let admin: ReturnType<typeof supertest.agent>;
let adminId: string;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-11-24T02:00:00Z' });
  adminId = (
    await t.services.users.createStaff(null, {
      username: 'audit.chief',
      password: 'long enough password',
      nickname: '审计组长',
      roles: [{ role: 'admin' }],
    })
  ).id;
  const login = await t.request.post('/api/v1/auth/staff-login').send({ username: 'audit.chief', password: 'long enough password' });
  expect(login.status).toBe(200);
  admin = supertest.agent(t.app.callback()).set('Authorization', `Bearer ${login.body.accessToken}`);
});
afterAll(() => t.close());

async function page(query: Record<string, unknown> = {}): Promise<AuditEntry[]> {
  const res = await admin.get('/api/v1/admin/audit').query({ limit: 100, ...query });
  expect(res.status).toBe(200);
  return auditListResponseSchema.parse(res.body).items;
}

describe('GET /api/v1/admin/audit: names', () => {
  it('names the acting admin and the user a role was granted to; the ids stay', async () => {
    const citizen = await loginAs(t, 'citizen', undefined, { nickname: '桃坪小王' });
    await admin.post(`/api/v1/admin/users/${citizen.user.id}/roles`).send({ role: 'correspondent' }).expect(200);
    const [entry] = await page({ action: 'role.grant', targetId: citizen.user.id });
    expect(entry).toMatchObject({
      actorId: adminId,
      actor: { nickname: '审计组长', username: 'audit.chief' },
      target: { type: 'user', id: citizen.user.id, label: '桃坪小王' },
    });
  });

  it('names circles, merchants, articles and goods; unknown kinds, vanished targets and the system read null', async () => {
    const editor = await loginAs(t, 'editor');
    const circle = await admin.post('/api/v1/circles').send({ name: '青溪通讯员圈', description: '青溪镇' }).expect(201);
    const shop = await approvedMerchant(t, editor, { name: '旴江照相馆' });
    const article = await t.services.newsroom.createEditorArticle(
      { id: editor.user.id, name: '编辑' },
      { title: '青溪便民桥通车', column: 'livelihood', body: [{ type: 'paragraph', text: '便民桥今天通车。' }] },
    );
    const goods = await admin
      .post('/api/v1/admin/mall/goods')
      .send({ name: '保温杯', price: 30, stock: 5, deliveryMode: 'pickup', outletId: 'outlet-audit' })
      .expect(201);
    const record = (type: string, id: string, actorId: string | null = adminId) =>
      t.services.audit.record({ actorId, action: 'test.named', target: { type, id } });
    const gone = new Types.ObjectId().toHexString();
    await record('merchant', shop.merchantId);
    await record('article', article.id);
    await record('merchant', gone);
    await record('points_settings', 'global', null);

    const entries = await page();
    const labelOf = (type: string, id: string) => entries.find((e) => e.target?.type === type && e.target.id === id)?.target?.label;
    expect(labelOf('circle', circle.body.circle.id)).toBe('青溪通讯员圈');
    expect(labelOf('goods', goods.body.goods.id)).toMatch(/^保温杯/);
    expect(labelOf('merchant', shop.merchantId)).toBe('旴江照相馆');
    expect(labelOf('article', article.id)).toBe('青溪便民桥通车');
    expect(labelOf('merchant', gone)).toBeNull();
    const system = entries.find((e) => e.target?.type === 'points_settings')!;
    expect(system).toMatchObject({ actorId: null, actor: null, target: { type: 'points_settings', id: 'global', label: null } });
  });

  it('reads each kind of name once per page, however many entries name it', async () => {
    const usersSpy = jest.spyOn(t.services.users, 'accountNames');
    const merchantsSpy = jest.spyOn(t.services.merchants, 'merchantNames');
    const shop = await approvedMerchant(t, await loginAs(t, 'editor'), { name: '隔壁小卖部' });
    for (let i = 0; i < 3; i++)
      await t.services.audit.record({ actorId: adminId, action: 'test.batch', target: { type: 'merchant', id: shop.merchantId } });
    const entries = await page({ action: 'test.batch' });
    expect(entries).toHaveLength(3);
    expect(entries.every((e) => e.actor?.nickname === '审计组长' && e.target?.label === '隔壁小卖部')).toBe(true);
    expect(usersSpy).toHaveBeenCalledTimes(1);
    expect(merchantsSpy).toHaveBeenCalledTimes(1);
    expect(merchantsSpy.mock.calls[0]![0]).toEqual([shop.merchantId]);
    usersSpy.mockRestore();
    merchantsSpy.mockRestore();
  });

  it('names the scopes of role grants, of the roles a staff account was created with, and channel targets', async () => {
    const citizen = await loginAs(t, 'citizen', undefined, { nickname: '城关小李' });
    const circle = await admin.post('/api/v1/circles').send({ name: '城关通讯员圈', description: '城关镇' }).expect(201);
    const circleId = circle.body.circle.id as string;
    await admin
      .post(`/api/v1/admin/users/${citizen.user.id}/roles`)
      .send({ role: 'circle_leader', scope: { type: 'circle', id: circleId } });
    await t.services.wenzheng.saveDepartment(null, 'scjgj', { name: '市场监管局', headUserIds: [], propaganda: false });
    const staff = await admin
      .post('/api/v1/admin/staff')
      .send({
        username: 'scope.named',
        password: 'long enough password',
        nickname: '监管小周',
        roles: [{ role: 'department_staff', scope: { type: 'department', id: 'scjgj' } }],
      })
      .expect(201);
    const channel = await admin.post('/api/v1/channels').send({ name: '县审计局分端', kind: 'government' }).expect(201);

    const [grant] = await page({ action: 'role.grant', targetId: citizen.user.id });
    expect(grant!.names).toEqual({ [`circle:${circleId}`]: '城关通讯员圈' });
    const [created] = await page({ action: 'staff.create', targetId: staff.body.user.id });
    expect(created!.names).toEqual({ 'department:scjgj': '市场监管局' });
    const [made] = await page({ action: 'channel.create', targetId: channel.body.channel.id });
    expect(made!.target).toMatchObject({ type: 'channel', label: '县审计局分端' });
    await admin.post(`/api/v1/channels/${channel.body.channel.id}/admins`).send({ userId: citizen.user.id }).expect(200);
    const [added] = await page({ action: 'channel.admin_add', targetId: channel.body.channel.id });
    expect(added!.names).toEqual({ [`user:${citizen.user.id}`]: '城关小李' });
    // A grant of a scope nothing names (a grid) keeps its id: no name is made up.
    await admin.post(`/api/v1/admin/users/${citizen.user.id}/roles`).send({ role: 'grid_leader', scope: { type: 'grid', id: 'g-01' } });
    const grid = (await page({ action: 'role.grant', targetId: citizen.user.id })).find((e) => JSON.stringify(e.details).includes('g-01'));
    expect(grid!.names).toEqual({});
  });
});
