/**
 * 问政 cases over HTTP on the real stack: a citizen posts (content safety at the WeChat fake), staff
 * intake from other channels, every state transition legal and illegal (409 with the current state),
 * triage (publish / keep private / merge / reject), the three routing tiers, department answers
 * (accept, answer, extension, "not ours" → editor-confirmed hand-over), rating and reopening once,
 * department isolation, private cases invisible to other citizens, an anonymous poster never identified
 * in public responses, and a merged duplicate notifying both posters.
 */
import { caseListResponseSchema, caseResponseSchema, type CaseView } from '@shared/schemas/wenzheng';
import type { TemplateKey } from '@shared/schemas/notifications';
import { acceptSubscriptions, createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;
let jtj: LoggedIn; // 交通运输局
let zjj: LoggedIn; // 住建局
let xcb: LoggedIn; // 宣传部
let head: LoggedIn; // 交通运输局 head
// Monday 2026-11-23 10:00 in Asia/Shanghai.
const START = new Date('2026-11-23T02:00:00Z');

/** The 问政 templates; staff here accepted each many times (subscribe messages go only against acceptances). */
const WZ: TemplateKey[] = ['wenzhengProgress', 'wenzhengTask', 'wenzhengEscalation', 'wenzhengDigest', 'wenzhengLeaderCopy'];
/** A citizen who accepted the progress template when posting (as the mini-program asks). */
const citizenWithConsent = async (nickname?: string) => {
  const who = await loginAs(t, 'citizen', undefined, nickname ? { nickname } : {});
  await acceptSubscriptions(t, who, ['wenzhengProgress'], 10);
  return who;
};

beforeAll(async () => {
  // Staff get many notices on one test day: no daily limit gets in the way of what this suite checks.
  t = await createTestContext({ now: START, env: { NOTIFICATION_DAILY_LIMIT: '1000' } });
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor', undefined, { nickname: '编辑小陈' });
  jtj = await loginAs(t, 'department_staff', { type: 'department', id: 'jtj' }, { nickname: '交通局小李' });
  zjj = await loginAs(t, 'department_staff', { type: 'department', id: 'zjj' }, { nickname: '住建局小周' });
  xcb = await loginAs(t, 'department_staff', { type: 'department', id: 'xcb' }, { nickname: '宣传部老王' });
  head = await loginAs(t, 'citizen', undefined, { nickname: '交通局长' });
  for (const who of [jtj, zjj, xcb, head]) await acceptSubscriptions(t, who, WZ, 40);
  for (const [code, name, extra] of [
    ['jtj', '县交通运输局', { headUserIds: [head.user.id] }],
    ['zjj', '县住建局', {}],
    ['hbj', '县生态环境局', {}],
    ['xcb', '县委宣传部', { propaganda: true }],
  ] as const) {
    const res = await admin.agent.put(`/api/v1/wenzheng/departments/${code}`).send({ name, ...extra });
    expect(res.status).toBe(200);
  }
  const res = await admin.agent.patch('/api/v1/wenzheng/settings').send({ categoryDepartments: { 交通: 'jtj', 城建: 'zjj' } });
  expect(res.status).toBe(200);
});
afterAll(() => t.close());

let seq = 0;
const ask = (over: Record<string, unknown> = {}) => ({
  category: '交通',
  title: `青溪路口红绿灯坏了${++seq}`,
  text: '青溪镇十字路口的红绿灯已经坏了三天，早晚高峰非常拥堵，请尽快修复。',
  place: { lat: 31.2001, lng: 105.0001, address: '青溪镇十字路口' },
  ...over,
});

async function post(who: LoggedIn, over: Record<string, unknown> = {}): Promise<CaseView> {
  const res = await who.agent.post('/api/v1/wenzheng/cases').send(ask(over));
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return caseResponseSchema.parse(res.body).case;
}
const act = (who: LoggedIn, id: string, action: string, body: object = {}) =>
  who.agent.post(`/api/v1/wenzheng/cases/${id}/${action}`).send(body);
async function ok(who: LoggedIn, id: string, action: string, body: object = {}): Promise<CaseView> {
  const res = await act(who, id, action, body);
  expect({ action, status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return caseResponseSchema.parse(res.body).case;
}
/** A valid body for each action, so only the state can be wrong. */
const BODIES: Record<string, object> = {
  reject: { reason: '不属于问政受理范围' },
  forward: { tier: 'direct', type: 'complaint', publish: true },
  assign: { department: 'jtj' },
  answer: { text: '已安排维修' },
  extension: { days: 2, reason: '需要采购配件' },
  'extension/decide': { approve: true },
  decline: { suggestedDepartment: 'zjj', reason: '路灯归住建' },
  handover: { confirm: true },
  rate: { satisfied: true },
  reopen: { reason: '还是没修好' },
};
// Departments and 宣传部 see only the cases given to them (others answer 404, see "access before state"
// below), so the state of a case not (yet) theirs is checked as an admin, who may do their actions.
const ACTOR_FOR: Record<string, 'editor' | 'poster' | 'admin'> = {
  reject: 'editor',
  forward: 'editor',
  'extension/decide': 'editor',
  handover: 'editor',
  assign: 'admin',
  accept: 'admin',
  answer: 'admin',
  extension: 'admin',
  decline: 'admin',
  rate: 'poster',
  reopen: 'poster',
};
async function conflict(id: string, poster: LoggedIn, action: string, state: string) {
  const who = { editor, poster, admin }[ACTOR_FOR[action]!];
  const res = await act(who, id, action, BODIES[action] ?? {});
  expect({ action, status: res.status, code: res.body.error?.code, state: res.body.error?.details?.state }).toEqual({
    action,
    status: 409,
    code: 'WENZHENG_STATE_CONFLICT',
    state,
  });
}
async function messagesTo(who: LoggedIn): Promise<{ templateId: string; data: Record<string, { value: string }> }[]> {
  const res = await fetch(`${t.wechatUrl}/__fake/subscribe-messages?touser=${who.openid}`);
  return ((await res.json()) as { messages: { templateId: string; data: Record<string, { value: string }> }[] }).messages;
}
const phrases = async (who: LoggedIn) => (await messagesTo(who)).map((m) => m.data.phrase2?.value);

describe('the full path and every transition', () => {
  it('post → forward → accept → answer → rate (unsatisfied) → reopen → answer → rate; illegal steps are 409', async () => {
    const citizen = await citizenWithConsent('王建国');
    const c = await post(citizen);
    expect(c).toMatchObject({ state: 'pending', source: 'miniprogram', mine: true, poster: { id: citizen.user.id, name: '王建国' } });
    const ALL = ['accept', 'answer', 'extension', 'extension/decide', 'decline', 'handover', 'rate', 'reopen', 'assign'];
    for (const action of ALL) await conflict(c.id, citizen, action, 'pending');

    const fwd = await ok(editor, c.id, 'forward', { tier: 'direct', type: 'complaint', publish: true });
    expect(fwd).toMatchObject({ state: 'assigned', department: { code: 'jtj', name: '县交通运输局' }, type: 'complaint', published: true });
    // Accept within 1 working day: Monday → end of Tuesday (local).
    expect(fwd.acceptDueAt).toBe('2026-11-24T15:59:59.999Z');
    for (const action of ['reject', 'forward', 'answer', 'extension', 'handover', 'rate', 'reopen', 'assign'])
      await conflict(c.id, citizen, action, 'assigned');
    expect(await phrases(jtj)).toContain('待受理');

    const acc = await ok(jtj, c.id, 'accept');
    // A complaint: 5 working days after Monday → end of the next Monday.
    expect(acc).toMatchObject({ state: 'accepted', answerDueAt: '2026-11-30T15:59:59.999Z' });
    for (const action of ['reject', 'forward', 'accept', 'handover', 'rate', 'reopen', 'assign'])
      await conflict(c.id, citizen, action, 'accepted');
    expect(await phrases(citizen)).toContain('已受理');
    const inbox = (await citizen.agent.get('/api/v1/me/messages').expect(200)).body.items;
    expect(inbox[0]).toMatchObject({ kind: 'wenzheng', title: '你的问政已受理', link: `subpackages/wenzheng/pages/case/index?id=${c.id}` });

    const ans = await ok(jtj, c.id, 'answer', { text: '已安排维修队，今天下午修复。' });
    expect(ans).toMatchObject({ state: 'answered', answer: { text: '已安排维修队，今天下午修复。', department: { code: 'jtj' } } });
    for (const action of ['reject', 'forward', 'accept', 'answer', 'extension', 'decline', 'handover', 'reopen', 'assign'])
      await conflict(c.id, citizen, action, 'answered');
    expect(await phrases(citizen)).toContain('已答复');

    // Only the poster rates.
    expect((await act(jtj, c.id, 'rate', { satisfied: true })).status).toBe(403);
    const rated = await ok(citizen, c.id, 'rate', { satisfied: false, comment: '第二天又坏了' });
    expect(rated).toMatchObject({ state: 'closed', rating: { satisfied: false, comment: '第二天又坏了' }, canReopen: true });
    for (const action of ['reject', 'forward', 'accept', 'answer', 'rate', 'assign']) await conflict(c.id, citizen, action, 'closed');

    const re = await ok(citizen, c.id, 'reopen', { reason: '还是坏的' });
    expect(re).toMatchObject({ state: 'accepted', reopenCount: 1, rating: null, answer: null });
    await ok(jtj, c.id, 'answer', { text: '已更换信号机。' });
    const closed = await ok(citizen, c.id, 'rate', { satisfied: false });
    expect(closed).toMatchObject({ state: 'closed', canReopen: false });
    const again = await act(citizen, c.id, 'reopen', { reason: '再试一次' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('WENZHENG_REOPEN_USED');

    // The citizen's timeline has every step, in order.
    const mine = caseResponseSchema.parse((await citizen.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).body).case;
    expect(mine.timeline.map((e) => e.type)).toEqual([
      'posted',
      'forwarded',
      'accepted',
      'answered',
      'rated',
      'reopened',
      'answered',
      'rated',
    ]);
    expect(mine.timeline[3]).toMatchObject({ by: '县交通运输局', note: '已安排维修队，今天下午修复。' });
  });

  it('reject with a reason the citizen sees; terminal afterwards', async () => {
    const citizen = await citizenWithConsent();
    const c = await post(citizen);
    const rej = await ok(editor, c.id, 'reject', { reason: '请拨打 12345 反映个人纠纷' });
    expect(rej.state).toBe('rejected');
    const seen = caseResponseSchema.parse((await citizen.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).body).case;
    expect(seen).toMatchObject({ rejectReason: '请拨打 12345 反映个人纠纷' });
    expect(seen.timeline.at(-1)).toMatchObject({ type: 'rejected', note: '请拨打 12345 反映个人纠纷' });
    for (const action of ['reject', 'forward', 'accept', 'rate', 'reopen']) await conflict(c.id, citizen, action, 'rejected');
    expect(await phrases(citizen)).toContain('未受理');
    // Never on the public board.
    expect((await t.request.get(`/api/v1/wenzheng/cases/${c.id}`)).status).toBe(404);
  });

  it('extension: asked with a reason, approved by an editor in working days; a second pending one is refused', async () => {
    const citizen = await loginAs(t, 'citizen');
    const c = await post(citizen);
    await ok(editor, c.id, 'forward', { tier: 'direct', type: 'consultation', publish: false });
    const acc = await ok(jtj, c.id, 'accept');
    // Consultation: 2 working days after Monday → end of Wednesday.
    expect(acc.answerDueAt).toBe('2026-11-25T15:59:59.999Z');
    expect((await act(editor, c.id, 'extension/decide', { approve: true })).body.error.code).toBe('WENZHENG_NO_EXTENSION');
    const asked = await ok(jtj, c.id, 'extension', { days: 3, reason: '需要现场勘查' });
    expect(asked.extension).toEqual({ days: 3, reason: '需要现场勘查', status: 'pending' });
    expect((await act(jtj, c.id, 'extension', { days: 1, reason: '再延' })).body.error.code).toBe('WENZHENG_EXTENSION_PENDING');
    expect((await act(jtj, c.id, 'extension/decide', { approve: true })).status).toBe(403);
    const decided = await ok(editor, c.id, 'extension/decide', { approve: true });
    // Wednesday + 3 working days → end of Monday 11-30.
    expect(decided).toMatchObject({ answerDueAt: '2026-11-30T15:59:59.999Z', extension: { status: 'approved' } });
  });

  it('"not ours" names the right department; the editor confirms the hand-over (or sends it back)', async () => {
    const citizen = await loginAs(t, 'citizen');
    const c = await post(citizen);
    await ok(editor, c.id, 'forward', { tier: 'direct', type: 'complaint', publish: true });
    expect((await act(jtj, c.id, 'decline', { suggestedDepartment: 'jtj', reason: '自己' })).body.error.code).toBe(
      'WENZHENG_SAME_DEPARTMENT',
    );
    expect((await act(jtj, c.id, 'decline', { suggestedDepartment: 'nope', reason: 'x' })).status).toBe(404);
    const declined = await ok(jtj, c.id, 'decline', { suggestedDepartment: 'zjj', reason: '路口信号灯由住建局城市照明所管理' });
    expect(declined).toMatchObject({ state: 'handover', handover: { suggestedDepartment: { code: 'zjj' } } });
    for (const action of ['accept', 'answer', 'decline', 'rate', 'forward']) await conflict(c.id, citizen, action, 'handover');
    // The citizen sees who refused and where it goes instead.
    const seen = caseResponseSchema.parse((await citizen.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).body).case;
    expect(seen.timeline.at(-1)).toMatchObject({ type: 'declined', by: '县交通运输局', note: expect.stringContaining('县住建局') });

    // Sent back: the same department, the same state as before.
    const back = await ok(editor, c.id, 'handover', { confirm: false, note: '信号灯属交通设施' });
    expect(back).toMatchObject({ state: 'assigned', department: { code: 'jtj' } });
    await ok(jtj, c.id, 'decline', { suggestedDepartment: 'zjj', reason: '确实不归我们' });
    const moved = await ok(editor, c.id, 'handover', { confirm: true });
    expect(moved).toMatchObject({ state: 'assigned', department: { code: 'zjj' }, handover: null });
    // The first department no longer sees it in its queue or behind the public view; the new one does.
    const q1 = caseListResponseSchema.parse((await jtj.agent.get('/api/v1/wenzheng/queue')).body);
    expect(q1.items.map((i) => i.id)).not.toContain(c.id);
    const q2 = caseListResponseSchema.parse((await zjj.agent.get('/api/v1/wenzheng/queue')).body);
    expect(q2.items.map((i) => i.id)).toContain(c.id);
    expect((await act(jtj, c.id, 'accept')).status).toBe(403);
    await ok(zjj, c.id, 'accept');
  });

  it('internal report: the propaganda department assigns departments and copies leaders', async () => {
    const citizen = await loginAs(t, 'citizen');
    const c = await post(citizen, { category: '环保' });
    const rep = await ok(editor, c.id, 'forward', { tier: 'propaganda', type: 'complex', publish: false });
    expect(rep).toMatchObject({ state: 'reported', tier: 'propaganda', department: null });
    for (const action of ['accept', 'answer', 'forward', 'reject']) await conflict(c.id, citizen, action, 'reported');
    expect((await act(jtj, c.id, 'assign', { department: 'hbj' })).status).toBe(403);
    const q = caseListResponseSchema.parse((await xcb.agent.get('/api/v1/wenzheng/queue')).body);
    expect(q.items.map((i) => i.id)).toContain(c.id);
    const leader = await loginAs(t, 'county_leader', undefined, { nickname: '分管副县长' });
    const assigned = await ok(xcb, c.id, 'assign', { department: 'hbj', coDepartments: ['zjj'], copyLeaders: [leader.user.id] });
    expect(assigned).toMatchObject({
      state: 'assigned',
      department: { code: 'hbj' },
      coDepartments: [{ code: 'zjj', name: '县住建局' }],
      coParts: [{ department: { code: 'zjj' }, state: 'assigned' }],
      copiedLeaders: ['分管副县长'],
      type: 'complex',
    });
    // A co-department sees the case and works its own part (wenzheng-codepartments), but cannot act as the lead.
    expect((await zjj.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).status).toBe(200);
    expect((await act(zjj, c.id, 'accept')).status).toBe(403);
  });

  it('grid tier: the grid 三长 see and may act on the case; a grid is required', async () => {
    const citizen = await loginAs(t, 'citizen');
    const leader = await loginAs(t, 'grid_leader', { type: 'grid', id: 'qingxi-3' });
    const other = await loginAs(t, 'grid_leader', { type: 'grid', id: 'qingxi-4' });
    const c = await post(citizen, { visibility: 'private' });
    expect((await act(editor, c.id, 'forward', { tier: 'grid', type: 'complaint', publish: false })).body.error.code).toBe(
      'WENZHENG_GRID_REQUIRED',
    );
    await ok(editor, c.id, 'forward', { tier: 'grid', gridId: 'qingxi-3', type: 'complaint', publish: false });
    expect((await other.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).status).toBe(404);
    const q = caseListResponseSchema.parse((await leader.agent.get('/api/v1/wenzheng/queue')).body);
    expect(q.items.map((i) => i.id)).toEqual([c.id]);
    // Another grid's 三长 cannot see the (private) case: the 404 of a case that does not exist.
    expect((await act(other, c.id, 'accept')).status).toBe(404);
    await ok(leader, c.id, 'accept');
  });

  it('a private case cannot be published; publish/unpublish later is the editor’s', async () => {
    const citizen = await loginAs(t, 'citizen');
    const priv = await post(citizen, { visibility: 'private' });
    const res = await act(editor, priv.id, 'forward', { tier: 'direct', type: 'complaint', publish: true });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('WENZHENG_PRIVATE_CASE');
    const pub = await post(citizen);
    await ok(editor, pub.id, 'forward', { tier: 'direct', type: 'complaint', publish: false });
    expect((await t.request.get(`/api/v1/wenzheng/cases/${pub.id}`)).status).toBe(404);
    await ok(editor, pub.id, 'visibility', { publish: true });
    expect((await t.request.get(`/api/v1/wenzheng/cases/${pub.id}`)).status).toBe(200);
  });
});

describe('intake from other channels', () => {
  it('staff enter a 12345 case with its source; the caller’s contact stays with staff', async () => {
    const res = await editor.agent.post('/api/v1/wenzheng/intake').send({
      ...ask({ category: '城建' }),
      source: '12345',
      sourceRef: 'GD20261123001',
      contactName: '李女士',
      contactPhone: '13800138000',
    });
    expect(res.status).toBe(201);
    const c = caseResponseSchema.parse(res.body).case;
    expect(c).toMatchObject({
      source: '12345',
      state: 'pending',
      contact: { name: '李女士', phone: '13800138000', sourceRef: 'GD20261123001' },
    });
    const triage = caseListResponseSchema.parse((await editor.agent.get('/api/v1/wenzheng/triage')).body);
    expect(triage.items.map((i) => i.id)).toContain(c.id);
    // The category's default department (城建 → 住建局).
    const fwd = await ok(editor, c.id, 'forward', { tier: 'direct', type: 'consultation', publish: true });
    expect(fwd.department?.code).toBe('zjj');
    const pub = caseResponseSchema.parse((await t.request.get(`/api/v1/wenzheng/cases/${c.id}`)).body).case;
    expect(pub.contact).toBeNull();
    expect(JSON.stringify(pub)).not.toContain('13800138000');
    expect(JSON.stringify(pub)).not.toContain('李女士');
  });

  it('only editors take intake; a citizen cannot', async () => {
    const citizen = await loginAs(t, 'citizen');
    const res = await citizen.agent.post('/api/v1/wenzheng/intake').send({ ...ask(), source: 'hotline' });
    expect(res.status).toBe(403);
  });
});

describe('content safety and validation', () => {
  it('risky text is refused, review-level text is flagged for the editor', async () => {
    // The fake's default word lists (shared by every suite, so never changed here): 诈骗 risky, 加微信 review.
    const citizen = await loginAs(t, 'citizen');
    const risky = await citizen.agent.post('/api/v1/wenzheng/cases').send(ask({ text: '有人在路口搞诈骗' }));
    expect(risky.status).toBe(422);
    expect(risky.body.error).toMatchObject({ code: 'CONTENT_RISKY', details: { part: 'text' } });
    const review = await post(citizen, { text: '有事加微信联系' });
    const staff = caseResponseSchema.parse((await editor.agent.get(`/api/v1/wenzheng/cases/${review.id}`)).body).case;
    expect(staff.flagged).toBe(true);
  });

  it('refuses bad input: unknown category, 10 photos, bad pin, unknown keys', async () => {
    const citizen = await loginAs(t, 'citizen');
    const bad = [
      ask({ category: '外星人' }),
      ask({ imageIds: Array.from({ length: 10 }, () => '0123456789abcdef01234567') }),
      ask({ place: { lat: 200, lng: 0, address: 'x' } }),
      { ...ask(), posterId: 'x' },
    ];
    for (const body of bad) expect((await citizen.agent.post('/api/v1/wenzheng/cases').send(body)).status).toBe(400);
    // Someone else's upload is not yours to attach.
    const res = await citizen.agent.post('/api/v1/wenzheng/cases').send(ask({ imageIds: ['0123456789abcdef01234567'] }));
    expect(res.status).toBe(404);
  });
});

describe('photos', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

  it('photos go through the newsroom uploads; until WeChat passes them only the poster and staff see them', async () => {
    const citizen = await loginAs(t, 'citizen');
    const up = await citizen.agent.post('/api/v1/files').attach('file', PNG, { filename: 'p.png', contentType: 'image/png' });
    expect(up.status).toBe(201);
    const fileId = up.body.file.id as string;
    const c = await post(citizen, { imageIds: [fileId] });
    expect(c.images.map((i) => i.id)).toEqual([fileId]);
    const staff = caseResponseSchema.parse((await editor.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).body).case;
    expect(staff).toMatchObject({ flagged: true, images: [{ id: fileId }] });
    await ok(editor, c.id, 'forward', { tier: 'direct', type: 'complaint', publish: true });
    const pub = caseResponseSchema.parse((await t.request.get(`/api/v1/wenzheng/cases/${c.id}`)).body).case;
    expect(pub.images).toEqual([]);
    // Another citizen cannot attach this upload to their own case.
    const other = await loginAs(t, 'citizen');
    expect((await other.agent.post('/api/v1/wenzheng/cases').send(ask({ imageIds: [fileId] }))).status).toBe(404);
  });
});

describe('who sees what', () => {
  it('a department sees only its own cases, and cannot act on another’s', async () => {
    const citizen = await loginAs(t, 'citizen');
    const a = await post(citizen, { visibility: 'private' });
    const b = await post(citizen, { category: '城建', visibility: 'private' });
    await ok(editor, a.id, 'forward', { tier: 'direct', type: 'complaint', publish: false });
    await ok(editor, b.id, 'forward', { tier: 'direct', type: 'complaint', publish: false });
    const q = caseListResponseSchema.parse((await zjj.agent.get('/api/v1/wenzheng/queue')).body);
    expect(q.items.every((i) => i.department?.code === 'zjj' || i.coDepartments.some((d) => d.code === 'zjj'))).toBe(true);
    expect(q.items.map((i) => i.id)).toContain(b.id);
    expect(q.items.map((i) => i.id)).not.toContain(a.id);
    expect((await zjj.agent.get(`/api/v1/wenzheng/cases/${a.id}`)).status).toBe(404);
    expect((await act(zjj, a.id, 'accept')).status).toBe(404);
    expect((await zjj.agent.get('/api/v1/wenzheng/queue?department=jtj')).status).toBe(403);
    expect((await citizen.agent.get('/api/v1/wenzheng/queue')).status).toBe(403);
  });

  it('a private case is invisible to other citizens (detail, board, lists), visible to its poster', async () => {
    const owner = await loginAs(t, 'citizen');
    const other = await loginAs(t, 'citizen');
    const c = await post(owner, { visibility: 'private' });
    await ok(editor, c.id, 'forward', { tier: 'direct', type: 'complaint', publish: false });
    expect((await other.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).status).toBe(404);
    expect((await t.request.get(`/api/v1/wenzheng/cases/${c.id}`)).status).toBe(404);
    const board = caseListResponseSchema.parse((await other.agent.get('/api/v1/wenzheng/cases?limit=50')).body);
    expect(board.items.map((i) => i.id)).not.toContain(c.id);
    const theirs = caseListResponseSchema.parse((await other.agent.get('/api/v1/wenzheng/cases/mine')).body);
    expect(theirs.items).toEqual([]);
    expect((await owner.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).status).toBe(200);
  });

  it('an anonymous poster never appears in public responses, but staff know who asked', async () => {
    const anon = await loginAs(t, 'citizen', undefined, { nickname: '张秀英真名' });
    const c = await post(anon, { anonymous: true });
    await ok(editor, c.id, 'forward', { tier: 'direct', type: 'complaint', publish: true });
    await ok(jtj, c.id, 'accept');
    await ok(jtj, c.id, 'answer', { text: '已处理' });
    await ok(anon, c.id, 'rate', { satisfied: true, comment: '谢谢' });
    const other = await loginAs(t, 'citizen');
    const responses = [
      (await t.request.get(`/api/v1/wenzheng/cases/${c.id}`)).body,
      (await other.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).body,
      (await t.request.get('/api/v1/wenzheng/cases?limit=50')).body,
      (await t.request.get('/api/v1/wenzheng/cases?state=closed&category=交通')).body,
    ];
    for (const body of responses) {
      const text = JSON.stringify(body);
      expect(text).not.toContain('张秀英真名');
      expect(text).not.toContain(anon.user.id);
    }
    const pub = caseResponseSchema.parse(responses[0]).case;
    expect(pub.poster).toEqual({ id: null, name: '匿名网友' });
    expect(pub.timeline.find((e) => e.type === 'rated')?.by).toBe('匿名网友');
    const staff = caseResponseSchema.parse((await jtj.agent.get(`/api/v1/wenzheng/cases/${c.id}`)).body).case;
    expect(staff.poster).toEqual({ id: anon.user.id, name: '张秀英真名' });
  });
});

describe('duplicates', () => {
  it('merging into an open case nearby: both posters follow the survivor and both are notified', async () => {
    const first = await citizenWithConsent('先问的人');
    const second = await citizenWithConsent('后问的人');
    const target = await post(first);
    await ok(editor, target.id, 'forward', { tier: 'direct', type: 'complaint', publish: true });
    const dup = await post(second, { place: { lat: 31.2005, lng: 105.0004, address: '青溪镇十字路口东侧' } });
    const near = (await editor.agent.get(`/api/v1/wenzheng/cases/${dup.id}/nearby`)).body.items as CaseView[];
    expect(near.map((n) => n.id)).toContain(target.id);

    const merged = await ok(editor, dup.id, 'merge', { targetId: target.id });
    expect(merged).toMatchObject({ state: 'merged', mergedInto: target.id });
    for (const action of ['forward', 'reject', 'accept']) await conflict(dup.id, second, action, 'merged');
    expect(await phrases(first)).toContain('已合并');
    expect(await phrases(second)).toContain('已合并');

    // The second poster follows the surviving case: it is in their list and they hear of its answer.
    const theirs = caseListResponseSchema.parse((await second.agent.get('/api/v1/wenzheng/cases/mine')).body);
    expect(theirs.items.map((i) => i.id)).toEqual(expect.arrayContaining([dup.id, target.id]));
    await ok(jtj, target.id, 'accept');
    await ok(jtj, target.id, 'answer', { text: '已修复' });
    expect(await phrases(second)).toContain('已答复');
    expect(await phrases(first)).toContain('已答复');
    // The follower sees the survivor but is not its poster: no identity of the first poster beyond the public name.
    const seen = caseResponseSchema.parse((await second.agent.get(`/api/v1/wenzheng/cases/${target.id}`)).body).case;
    expect(seen).toMatchObject({ mine: false, poster: { id: null }, followers: 2 });
    expect((await act(second, target.id, 'rate', { satisfied: true })).status).toBe(403);
  });

  it('refuses a merge into a far case, a closed/pending case, or itself', async () => {
    const citizen = await loginAs(t, 'citizen');
    const target = await post(citizen);
    await ok(editor, target.id, 'forward', { tier: 'direct', type: 'complaint', publish: true });
    const far = await post(citizen, { place: { lat: 31.3, lng: 105.1, address: '龙潭镇' } });
    const res = await act(editor, far.id, 'merge', { targetId: target.id });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'WENZHENG_MERGE_INVALID', details: { nearbyMeters: 1000 } });
    const pending = await post(citizen);
    expect((await act(editor, far.id, 'merge', { targetId: pending.id })).body.error.code).toBe('WENZHENG_MERGE_INVALID');
    expect((await act(editor, far.id, 'merge', { targetId: far.id })).body.error.code).toBe('WENZHENG_MERGE_INVALID');
  });
});

describe('concurrency', () => {
  it('two departments staff accepting at once: one wins, the other gets 409 accepted', async () => {
    const citizen = await loginAs(t, 'citizen');
    const colleague = await loginAs(t, 'department_staff', { type: 'department', id: 'jtj' });
    const c = await post(citizen);
    await ok(editor, c.id, 'forward', { tier: 'direct', type: 'complaint', publish: true });
    const results = await Promise.all([act(jtj, c.id, 'accept'), act(colleague, c.id, 'accept'), act(jtj, c.id, 'accept')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const events = (await editor.agent.get(`/api/v1/wenzheng/events?caseId=${c.id}`)).body.events as { type: string }[];
    expect(events.filter((e) => e.type === 'accepted')).toHaveLength(1);
  });
});

describe('access before state (issue #16 item 3)', () => {
  const MISSING = '0123456789abcdef01234567';
  /** What the caller gets for `action` on `id`: status and the whole error body. */
  const answer = async (who: LoggedIn, id: string, action: string, body: object) => {
    const res = await act(who, id, action, body);
    return { status: res.status, body: res.body as unknown };
  };
  /** The answer on the case equals the answer on a case that does not exist, and it is a refusal. */
  async function sameAsMissing(who: LoggedIn, id: string, action: string, body: object) {
    const onCase = await answer(who, id, action, body);
    const onMissing = await answer(who, MISSING, action, body);
    expect({ action, ...onCase }).toEqual({ action, ...onMissing });
    expect([403, 404]).toContain(onCase.status);
  }

  it('outsiders get, on a private case in any state, exactly the answer for a case that does not exist', async () => {
    const owner = await loginAs(t, 'citizen');
    const stranger = await loginAs(t, 'citizen');
    const hbj = await loginAs(t, 'department_staff', { type: 'department', id: 'hbj' });
    const copied = await loginAs(t, 'county_leader');
    const uncopied = await loginAs(t, 'county_leader');
    const grid = await loginAs(t, 'grid_leader', { type: 'grid', id: 'qingxi-9' });
    // Reported to 宣传部, assigned to 交通局 with 住建局 as co-department, one leader copied; then answered.
    const c = await post(owner, { visibility: 'private' });
    await ok(editor, c.id, 'forward', { tier: 'propaganda', type: 'complaint', publish: false });
    await ok(xcb, c.id, 'assign', { department: 'jtj', coDepartments: ['zjj'], copyLeaders: [copied.user.id] });
    await ok(jtj, c.id, 'accept');
    await ok(jtj, c.id, 'answer', { text: '已处理' });
    // A private direct case 宣传部 never had.
    const direct = await post(owner, { visibility: 'private' });
    await ok(editor, direct.id, 'forward', { tier: 'direct', type: 'complaint', publish: false });

    const ACTIONS: [string, object][] = [
      ['rate', BODIES.rate!],
      ['reopen', BODIES.reopen!],
      ['accept', {}],
      ['answer', BODIES.answer!],
      ['extension', BODIES.extension!],
      ['decline', BODIES.decline!],
    ];
    for (const who of [stranger, hbj, uncopied, grid]) {
      for (const [action, body] of ACTIONS) await sameAsMissing(who, c.id, action, body);
      await sameAsMissing(who, c.id, 'parts/hbj/accept', {});
      await sameAsMissing(who, c.id, 'parts/zjj/answer', BODIES.answer!);
    }
    // Before the fix these answered 409 WENZHENG_STATE_CONFLICT with details.state.
    expect(await answer(stranger, c.id, 'rate', BODIES.rate!)).toMatchObject({
      status: 404,
      body: { error: { code: 'WENZHENG_CASE_NOT_FOUND' } },
    });
    expect(await answer(hbj, c.id, 'extension', BODIES.extension!)).toMatchObject({ status: 404 });
    await sameAsMissing(xcb, direct.id, 'assign', BODIES.assign!);
    await sameAsMissing(hbj, direct.id, 'parts/hbj/decline', BODIES.decline!);
  });

  it('those who see a case but may not do this get a bare 403 whatever its state, never the state', async () => {
    const owner = await loginAs(t, 'citizen');
    const copied = await loginAs(t, 'county_leader');
    const c = await post(owner, { visibility: 'private' });
    await ok(editor, c.id, 'forward', { tier: 'propaganda', type: 'complaint', publish: false });
    await ok(xcb, c.id, 'assign', { department: 'jtj', coDepartments: ['zjj'], copyLeaders: [copied.user.id] });
    // assigned: answer, rate and reopen would all be 409 for the one who may do them.
    expect((await act(jtj, c.id, 'answer', BODIES.answer!)).status).toBe(409);
    const refusals = [
      await act(zjj, c.id, 'answer', BODIES.answer!), // a co-department, not the lead
      await act(xcb, c.id, 'extension', BODIES.extension!), // 宣传部 sees what it assigned
      await act(zjj, c.id, 'rate', BODIES.rate!),
      await act(copied, c.id, 'reopen', BODIES.reopen!),
      await act(copied, c.id, 'rate', BODIES.rate!),
    ];
    for (const res of refusals)
      expect({ status: res.status, body: res.body }).toEqual({
        status: 403,
        body: { error: { code: 'FORBIDDEN', message: expect.any(String) } },
      });
  });
});
