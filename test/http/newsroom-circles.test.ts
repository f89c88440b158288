/**
 * Circles over HTTP on the real stack: the public circle page with the circle's own recent published
 * work (newest first, nothing from other circles, withdrawn pieces gone), announcements by that circle's
 * leaders and editors only, admins editing circles and appointing and dismissing leaders (the scoped
 * role follows), declined applications with their reason, and the editor's grade (A/B/C) required on
 * approval and kept on the piece. Admin actions land in the audit log.
 */
import { circlePageResponseSchema, submissionResponseSchema } from '@shared/schemas/newsroom';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { createTestContext, loginAs, mintLoginCode, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-11-24T02:00:00Z') });
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor', undefined, { nickname: '编辑小陈' });
});
afterAll(() => t.close());

let seq = 0;
async function newCircle(): Promise<string> {
  const res = await admin.agent.post('/api/v1/circles').send({ name: `圈子测试${++seq}`, description: '融媒+测试' });
  expect(res.status).toBe(201);
  return res.body.circle.id as string;
}

async function act(who: LoggedIn, id: string, action: string, body: object = {}) {
  const res = await who.agent.post(`/api/v1/submissions/${id}/${action}`).send(body);
  expect({ action, status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return submissionResponseSchema.parse(res.body).submission;
}

/** Files a piece in the writer's circle and takes it through review to the feed; returns its article id. */
async function publishPiece(writer: LoggedIn, leader: LoggedIn, title: string): Promise<string> {
  const res = await writer.agent
    .post('/api/v1/submissions')
    .send({ title, body: '正文。', copyright: 'non_exclusive', originalityStatement: true });
  expect(res.status).toBe(201);
  const id = res.body.submission.id as string;
  await act(writer, id, 'submit');
  await act(leader, id, 'recommend');
  await act(editor, id, 'claim');
  await act(editor, id, 'approve', { grade: 'B' });
  const published = await act(editor, id, 'publish');
  return published.articleId!;
}

const page = async (circleId: string) => circlePageResponseSchema.parse((await t.request.get(`/api/v1/circles/${circleId}`)).body);

describe('the circle page', () => {
  it('lists the circle’s own published work newest first, and nothing of other circles', async () => {
    const circleId = await newCircle();
    const otherId = await newCircle();
    const writer = await loginAs(t, 'correspondent', { type: 'circle', id: circleId });
    const leader = await loginAs(t, 'circle_leader', { type: 'circle', id: circleId });
    const otherWriter = await loginAs(t, 'correspondent', { type: 'circle', id: otherId });
    const otherLeader = await loginAs(t, 'circle_leader', { type: 'circle', id: otherId });

    const first = await publishPiece(writer, leader, '石门村的冬小麦');
    t.clock.advance(60_000);
    const second = await publishPiece(writer, leader, '石门村的新路灯');
    const elsewhere = await publishPiece(otherWriter, otherLeader, '别的圈子的稿件');
    // A piece still in review is not on the page.
    await writer.agent.post('/api/v1/submissions').send({ title: '还在草稿', copyright: 'exclusive', originalityStatement: true });

    const { circle, recent } = await page(circleId);
    expect(circle.id).toBe(circleId);
    expect(recent.map((a) => a.id)).toEqual([second, first]);
    expect(recent.every((a) => a.circleId === circleId && a.author.kind === 'correspondent')).toBe(true);
    expect((await page(otherId)).recent.map((a) => a.id)).toEqual([elsewhere]);

    // Withdrawn by an editor: gone from the circle page too.
    expect((await editor.agent.delete(`/api/v1/articles/${second}`)).status).toBeLessThan(300);
    expect((await page(circleId)).recent.map((a) => a.id)).toEqual([first]);
  });

  it('answers 404 CIRCLE_NOT_FOUND for an unknown circle and 400 for a malformed id', async () => {
    const missing = await t.request.get('/api/v1/circles/0123456789abcdef01234567');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('CIRCLE_NOT_FOUND');
    expect((await t.request.get('/api/v1/circles/not-an-id')).body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('announcements and leaders', () => {
  it('lets the circle’s leaders and editors announce, newest first; refuses other circles’ leaders and members', async () => {
    const circleId = await newCircle();
    const leader = await loginAs(t, 'circle_leader', { type: 'circle', id: circleId });
    const strangerLeader = await loginAs(t, 'circle_leader');
    const member = await loginAs(t, 'correspondent', { type: 'circle', id: circleId });
    const announce = (who: LoggedIn, text: string) => who.agent.post(`/api/v1/circles/${circleId}/announcements`).send({ text });

    expect((await announce(leader, '周五选题会')).status).toBe(200);
    t.clock.advance(1000);
    expect((await announce(editor, '本月主题：冬季安全')).status).toBe(200);
    for (const who of [strangerLeader, member]) {
      const refused = await announce(who, '不该发出');
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.request.post(`/api/v1/circles/${circleId}/announcements`).send({ text: 'x' })).status).toBe(401);
    const { circle } = await page(circleId);
    expect(circle.announcements.map((a) => [a.text, a.by])).toEqual([
      ['本月主题：冬季安全', editor.user.id],
      ['周五选题会', leader.user.id],
    ]);
  });

  it('lets admins rename a circle and appoint and dismiss leaders; the scoped role follows; others are refused', async () => {
    const circleId = await newCircle();
    const someone = await loginAs(t, 'citizen');

    expect((await someone.agent.patch(`/api/v1/circles/${circleId}`).send({ name: '改名' })).status).toBe(403);
    const renamed = await admin.agent.patch(`/api/v1/circles/${circleId}`).send({ name: `融媒+教育${seq}`, description: '全县教师通讯员' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.circle).toMatchObject({ name: `融媒+教育${seq}`, description: '全县教师通讯员' });
    expect((await admin.agent.patch(`/api/v1/circles/${circleId}`).send({})).body.error.code).toBe('VALIDATION_FAILED');
    // Creating and editing a circle are audited with the admin who did it.
    for (const action of ['circle.create', 'circle.update'])
      expect(await AuditLogModel.countDocuments({ action, targetId: circleId, actorId: admin.user.id })).toBe(1);

    expect((await admin.agent.post(`/api/v1/circles/${circleId}/leaders`).send({ userId: someone.user.id })).status).toBe(200);
    let leader = await loginAs(t, 'citizen', undefined, { openid: someone.openid });
    expect(leader.user.roles).toContainEqual({ role: 'circle_leader', scope: { type: 'circle', id: circleId } });
    expect((await leader.agent.post(`/api/v1/circles/${circleId}/announcements`).send({ text: '新圈长报到' })).status).toBe(200);

    // A leader may not dismiss (even themselves); only admins do.
    expect((await leader.agent.delete(`/api/v1/circles/${circleId}/leaders/${someone.user.id}`)).status).toBe(403);
    const dismissed = await admin.agent.delete(`/api/v1/circles/${circleId}/leaders/${someone.user.id}`);
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.circle.leaderIds).toEqual([]);
    // Dismissing again changes nothing.
    expect((await admin.agent.delete(`/api/v1/circles/${circleId}/leaders/${someone.user.id}`)).status).toBe(200);
    leader = await loginAs(t, 'citizen', undefined, { openid: someone.openid });
    expect(leader.user.roles.some((g) => g.role === 'circle_leader')).toBe(false);
    expect((await leader.agent.post(`/api/v1/circles/${circleId}/announcements`).send({ text: '已卸任' })).status).toBe(403);
    // The role changes went through the identity service: one grant and one revoke in the audit log.
    for (const action of ['role.grant', 'role.revoke'])
      expect(await AuditLogModel.countDocuments({ action, targetId: someone.user.id, actorId: admin.user.id })).toBe(1);
  });
});

describe('a circle leader whose grant names no circle id', () => {
  it('sees empty application and review lists, not a 500 (an admin may type any string as a scope id)', async () => {
    const leader = await loginAs(t, 'circle_leader', { type: 'circle', id: 'not-an-object-id' });
    const applications = await leader.agent.get('/api/v1/correspondents/applications');
    expect(applications.status).toBe(200);
    expect(applications.body.items).toEqual([]);
    const queue = await leader.agent.get('/api/v1/editorial/queue');
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([]);
  });
});

describe('correspondent applications: declining', () => {
  it('declines with a reason the applicant reads; no role is granted, and they may apply again', async () => {
    const circleId = await newCircle();
    const code = await mintLoginCode(t);
    let applicant = await loginAs(t, 'citizen', undefined, { openid: code.openid });
    const phone = await fetch(`${t.wechatUrl}/__fake/phone-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: `137${String(Date.now()).slice(-8)}` }),
    });
    expect((await applicant.agent.post('/api/v1/me/phone').send({ code: ((await phone.json()) as { code: string }).code })).status).toBe(
      200,
    );
    const application = {
      realName: '李秀兰',
      circleId,
      district: '城关片区',
      system: '教育',
      domain: '校园新闻',
      intro: '城关小学语文教师。',
      samples: ['《孩子们的第一场雪》'],
    };
    const filed = await applicant.agent.post('/api/v1/correspondents/applications').send(application);
    expect(filed.status).toBe(201);
    const id = filed.body.application.id as string;

    const declined = await editor.agent
      .post(`/api/v1/correspondents/applications/${id}/decision`)
      .send({ decision: 'decline', reason: '请补充近期作品' });
    expect(declined.status).toBe(200);
    expect(declined.body.application).toMatchObject({ state: 'declined', reason: '请补充近期作品', decidedBy: editor.user.id });

    const mine = await applicant.agent.get('/api/v1/correspondents/applications/mine');
    expect(mine.body.items[0]).toMatchObject({ id, state: 'declined', reason: '请补充近期作品' });
    applicant = await loginAs(t, 'citizen', undefined, { openid: code.openid });
    expect(applicant.user.roles.some((g) => g.role === 'correspondent')).toBe(false);

    const again = await applicant.agent.post('/api/v1/correspondents/applications').send(application);
    expect(again.status).toBe(201);
    expect(again.body.application.state).toBe('pending');
  });
});

describe('grading on approval', () => {
  it('requires a grade of A, B or C and keeps it on the piece', async () => {
    const circleId = await newCircle();
    const writer = await loginAs(t, 'correspondent', { type: 'circle', id: circleId });
    const leader = await loginAs(t, 'circle_leader', { type: 'circle', id: circleId });
    const res = await writer.agent
      .post('/api/v1/submissions')
      .send({ title: '分级测试', body: '正文。', copyright: 'exclusive', originalityStatement: true });
    const id = res.body.submission.id as string;
    await act(writer, id, 'submit');
    await act(leader, id, 'recommend');
    await act(editor, id, 'claim');
    for (const body of [{}, { grade: 'D' }, { grade: 'a' }]) {
      const refused = await editor.agent.post(`/api/v1/submissions/${id}/approve`).send(body);
      expect({ body, status: refused.status, code: refused.body.error.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await act(editor, id, 'approve', { grade: 'C' })).grade).toBe('C');
    const seen = submissionResponseSchema.parse((await writer.agent.get(`/api/v1/submissions/${id}`)).body).submission;
    expect(seen).toMatchObject({ state: 'approved', grade: 'C' });
  });
});
