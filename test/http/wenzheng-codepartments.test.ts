/**
 * 问政 with several responsible departments and copied county leaders, over HTTP on the real stack:
 * co-departments (协办) are participants — each sees the case, accepts and answers its own part or says
 * "not ours" naming who should take it (the editor confirms or sends it back) — while the lead's answer is
 * the case's answer; a department not on the case sees nothing; each part runs its own clock (reminder,
 * overdue, escalation to that department's head) and counts on that department's board and digest, the
 * figures equal to a recomputation from the raw events. County leaders copied by the propaganda department
 * are users with the county_leader role: they get a message and read the case, and nothing else. Template
 * ids come from the configuration.
 */
import {
  boardResponseSchema,
  caseListResponseSchema,
  caseResponseSchema,
  rawEventsResponseSchema,
  type CaseView,
  type RawEvent,
} from '@shared/schemas/wenzheng';
import { runJobSlot } from '../../server/src/jobs';
import { wenzhengClockJob } from '../../server/src/jobs/wenzheng-clock.job';
import type { TemplateKey } from '@shared/schemas/notifications';
import { acceptSubscriptions, createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

/** The 问政 templates: staff here accepted each many times (subscribe messages go only against acceptances). */
const WZ: TemplateKey[] = ['wenzhengProgress', 'wenzhengTask', 'wenzhengEscalation', 'wenzhengDigest', 'wenzhengLeaderCopy'];

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;
let jtj: LoggedIn; // 交通运输局 (lead)
let zjj: LoggedIn; // 住建局 (co)
let hbj: LoggedIn; // 生态环境局 (co)
let scj: LoggedIn; // 市场监管局: never on the cases below unless handed over
let xcb: LoggedIn; // 宣传部
let zjjHead: LoggedIn;
let jtjHead: LoggedIn;
let everyone: LoggedIn[] = [];
// Monday 2026-11-02 10:00 Asia/Shanghai.
const START = new Date('2026-11-02T02:00:00Z');

async function at(iso: string): Promise<void> {
  t.clock.set(iso);
  for (const w of everyone) {
    const s = await t.services.auth.refresh(w.refreshToken);
    w.refreshToken = s.refreshToken;
    w.token = s.accessToken;
    w.agent.set('Authorization', `Bearer ${s.accessToken}`);
  }
}
const act = (who: LoggedIn, id: string, action: string, body: object = {}) =>
  who.agent.post(`/api/v1/wenzheng/cases/${id}/${action}`).send(body);
async function ok(who: LoggedIn, id: string, action: string, body: object = {}): Promise<CaseView> {
  const res = await act(who, id, action, body);
  expect({ action, status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return caseResponseSchema.parse(res.body).case;
}
async function fails(who: LoggedIn, id: string, action: string, body: object, status: number, code: string, state?: string) {
  const res = await act(who, id, action, body);
  expect({ action, status: res.status, code: res.body.error?.code, ...(state ? { state: res.body.error?.details?.state } : {}) }).toEqual({
    action,
    status,
    code,
    ...(state ? { state } : {}),
  });
}
interface Sent {
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
}
async function messagesTo(who: LoggedIn, caseId?: string): Promise<Sent[]> {
  const res = await fetch(`${t.wechatUrl}/__fake/subscribe-messages?touser=${who.openid}`);
  const { messages } = (await res.json()) as { messages: Sent[] };
  return caseId ? messages.filter((m) => m.page.endsWith(`id=${caseId}`)) : messages;
}
let seq = 0;
async function post(citizen: LoggedIn, over: Record<string, unknown> = {}): Promise<string> {
  const res = await citizen.agent.post('/api/v1/wenzheng/cases').send({
    category: '交通',
    title: `桥头排水沟堵塞${++seq}`,
    text: '滨江桥头的排水沟堵塞，下雨就积水，涉及道路和市政排水。',
    ...over,
  });
  expect(res.status).toBe(201);
  return caseResponseSchema.parse(res.body).case.id;
}
const queueIds = async (who: LoggedIn, query = '') =>
  caseListResponseSchema.parse((await who.agent.get(`/api/v1/wenzheng/queue${query}`)).body).items.map((i) => i.id);
const view = async (who: LoggedIn, id: string) => caseResponseSchema.parse((await who.agent.get(`/api/v1/wenzheng/cases/${id}`)).body).case;

beforeAll(async () => {
  // Staff get many notices on one test day: no daily limit gets in the way of what this suite checks.
  t = await createTestContext({ now: START, env: { NOTIFICATION_DAILY_LIMIT: '1000' } });
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor');
  jtj = await loginAs(t, 'department_staff', { type: 'department', id: 'jtj' });
  zjj = await loginAs(t, 'department_staff', { type: 'department', id: 'zjj' });
  hbj = await loginAs(t, 'department_staff', { type: 'department', id: 'hbj' });
  scj = await loginAs(t, 'department_staff', { type: 'department', id: 'scjgj' });
  xcb = await loginAs(t, 'department_staff', { type: 'department', id: 'xcb' });
  zjjHead = await loginAs(t, 'citizen', undefined, { nickname: '住建局局长' });
  jtjHead = await loginAs(t, 'citizen', undefined, { nickname: '交通局局长' });
  for (const who of [jtj, zjj, hbj, scj, xcb, zjjHead, jtjHead]) await acceptSubscriptions(t, who, WZ, 60);
  for (const [code, name, extra] of [
    ['jtj', '县交通运输局', { headUserIds: [jtjHead.user.id] }],
    ['zjj', '县住建局', { headUserIds: [zjjHead.user.id] }],
    ['hbj', '县生态环境局', {}],
    ['scjgj', '县市场监管局', {}],
    ['xcb', '县委宣传部', { propaganda: true }],
  ] as const) {
    await admin.agent
      .put(`/api/v1/wenzheng/departments/${code}`)
      .send({ name, ...extra })
      .expect(200);
  }
  await admin.agent
    .patch('/api/v1/wenzheng/settings')
    .send({ categoryDepartments: { 交通: 'jtj' } })
    .expect(200);
  everyone = [admin, editor, jtj, zjj, hbj, scj, xcb];
});
afterAll(() => t.close());

describe('co-departments are participants', () => {
  it('each co-department accepts and answers its own part; the case is answered when the lead answers', async () => {
    await at(START.toISOString());
    const citizen = await loginAs(t, 'citizen');
    everyone.push(citizen);
    const id = await post(citizen);
    const fwd = await ok(editor, id, 'forward', { tier: 'direct', type: 'complaint', publish: true, coDepartments: ['zjj', 'hbj', 'jtj'] });
    // The lead is never its own co-department; each part has the accept clock of the lead.
    expect(fwd).toMatchObject({
      state: 'assigned',
      department: { code: 'jtj' },
      coDepartments: [{ code: 'zjj' }, { code: 'hbj' }],
      coParts: [
        { department: { code: 'zjj', name: '县住建局' }, state: 'assigned', acceptDueAt: '2026-11-03T15:59:59.999Z', answer: null },
        { department: { code: 'hbj' }, state: 'assigned', acceptDueAt: '2026-11-03T15:59:59.999Z' },
      ],
    });
    // Every participant hears of it and has it in its queue.
    expect((await messagesTo(zjj, id)).map((m) => m.data.phrase2?.value)).toContain('待协办');
    for (const who of [jtj, zjj, hbj]) expect(await queueIds(who)).toContain(id);

    // Illegal part steps: answering before accepting, another department's part, the lead's actions.
    await fails(zjj, id, 'parts/zjj/answer', { text: '先答复' }, 409, 'WENZHENG_STATE_CONFLICT', 'assigned');
    await fails(zjj, id, 'parts/hbj/accept', {}, 403, 'FORBIDDEN');
    await fails(jtj, id, 'parts/zjj/accept', {}, 403, 'FORBIDDEN');
    await fails(zjj, id, 'accept', {}, 403, 'FORBIDDEN');
    await fails(editor, id, 'parts/scjgj/handover', { confirm: true }, 404, 'WENZHENG_NOT_CO_DEPARTMENT');

    const acc = await ok(zjj, id, 'parts/zjj/accept');
    // A complaint: 5 working days from Monday → the next Monday.
    expect(acc.coParts.find((p) => p.department.code === 'zjj')).toMatchObject({
      state: 'accepted',
      answerDueAt: '2026-11-09T15:59:59.999Z',
    });
    expect(acc.state).toBe('assigned'); // the lead has not accepted yet
    await fails(zjj, id, 'parts/zjj/accept', {}, 409, 'WENZHENG_STATE_CONFLICT', 'accepted');
    const coAnswer = await ok(zjj, id, 'parts/zjj/answer', { text: '市政排水管网由住建局本周疏通。' });
    expect(coAnswer.coParts.find((p) => p.department.code === 'zjj')).toMatchObject({
      state: 'answered',
      answer: { text: '市政排水管网由住建局本周疏通。' },
    });
    expect(coAnswer.state).toBe('assigned');
    await fails(zjj, id, 'parts/zjj/answer', { text: '再答一次' }, 409, 'WENZHENG_STATE_CONFLICT', 'answered');
    // The lead hears the co-department answered.
    expect((await messagesTo(jtj, id)).map((m) => m.data.phrase2?.value)).toContain('协办已答复');

    await ok(jtj, id, 'accept');
    const answered = await ok(jtj, id, 'answer', { text: '交通局已清理桥面排水口，住建局疏通管网。' });
    expect(answered.state).toBe('answered');
    // hbj's part is still open after the lead answered: it may still answer until the case closes.
    await ok(hbj, id, 'parts/hbj/accept');
    await ok(hbj, id, 'parts/hbj/answer', { text: '已检查，无排污问题。' });

    // The public timeline shows each department's part, labelled by department, never a person.
    const pub = caseResponseSchema.parse((await t.request.get(`/api/v1/wenzheng/cases/${id}`)).body).case;
    expect(pub.timeline.filter((e) => e.type === 'co_answered').map((e) => [e.by, e.note])).toEqual([
      ['县住建局', '市政排水管网由住建局本周疏通。'],
      ['县生态环境局', '已检查，无排污问题。'],
    ]);
    expect(pub.answer).toMatchObject({ department: { code: 'jtj' } });
    await ok(citizen, id, 'rate', { satisfied: true });
    // Closed: no more part steps.
    await fails(hbj, id, 'parts/hbj/decline', { suggestedDepartment: 'zjj', reason: 'x' }, 409, 'WENZHENG_STATE_CONFLICT', 'closed');
  });

  it('"not ours" from a co-department: the editor sends it back, then confirms; the new department gets a fresh part', async () => {
    await at('2026-11-03T02:00:00Z'); // Tuesday
    const citizen = await loginAs(t, 'citizen');
    const id = await post(citizen, { visibility: 'private' });
    await ok(editor, id, 'forward', { tier: 'direct', type: 'consultation', publish: false, coDepartments: ['zjj'] });
    await fails(zjj, id, 'parts/zjj/decline', { suggestedDepartment: 'zjj', reason: '自己' }, 422, 'WENZHENG_SAME_DEPARTMENT');
    const declined = await ok(zjj, id, 'parts/zjj/decline', { suggestedDepartment: 'scjgj', reason: '沟内堆放的是商户垃圾' });
    expect(declined.coParts).toEqual([
      expect.objectContaining({
        state: 'handover',
        handover: { suggestedDepartment: { code: 'scjgj', name: '县市场监管局' }, reason: '沟内堆放的是商户垃圾' },
      }),
    ]);
    // The citizen sees who refused and where it should go.
    const mine = await view(citizen, id);
    expect(mine.timeline.at(-1)).toMatchObject({ type: 'co_declined', by: '县住建局', note: expect.stringContaining('县市场监管局') });
    expect(mine.coParts[0]!.handover).toBeNull(); // the staff-side detail stays with staff
    await fails(zjj, id, 'parts/zjj/accept', {}, 409, 'WENZHENG_STATE_CONFLICT', 'handover');
    await fails(zjj, id, 'parts/zjj/handover', { confirm: true }, 403, 'FORBIDDEN');

    const back = await ok(editor, id, 'parts/zjj/handover', { confirm: false, note: '排水沟归住建' });
    expect(back.coParts).toEqual([
      expect.objectContaining({ department: { code: 'zjj', name: '县住建局' }, state: 'assigned', handover: null }),
    ]);
    await ok(zjj, id, 'parts/zjj/accept');
    await ok(zjj, id, 'parts/zjj/decline', { suggestedDepartment: 'scjgj', reason: '确实是商户垃圾' });
    await fails(editor, id, 'parts/zjj/handover', { confirm: true, department: 'zjj' }, 422, 'WENZHENG_SAME_DEPARTMENT');
    const moved = await ok(editor, id, 'parts/zjj/handover', { confirm: true });
    expect(moved.coDepartments).toEqual([{ code: 'scjgj', name: '县市场监管局' }]);
    expect(moved.coParts).toEqual([
      expect.objectContaining({
        department: { code: 'scjgj', name: '县市场监管局' },
        state: 'assigned',
        acceptDueAt: '2026-11-04T15:59:59.999Z',
      }),
    ]);
    // 住建局 is off the case (private): nothing in its queue, 404 behind the view and its old part.
    expect(await queueIds(zjj)).not.toContain(id);
    expect((await zjj.agent.get(`/api/v1/wenzheng/cases/${id}`)).status).toBe(404);
    await fails(zjj, id, 'parts/zjj/accept', {}, 404, 'WENZHENG_CASE_NOT_FOUND');
    expect(await queueIds(scj)).toContain(id);
    await ok(scj, id, 'parts/scjgj/accept');

    // Naming the lead: confirming just ends the part (the lead already has the case).
    await ok(scj, id, 'parts/scjgj/decline', { suggestedDepartment: 'jtj', reason: '交通局牵头即可' });
    const ended = await ok(editor, id, 'parts/scjgj/handover', { confirm: true });
    expect(ended).toMatchObject({ coParts: [], coDepartments: [], department: { code: 'jtj' } });
  });

  it('a department not on the case sees nothing: no detail, no queue entry, no part actions', async () => {
    await at('2026-11-03T03:00:00Z');
    const citizen = await loginAs(t, 'citizen');
    const id = await post(citizen, { visibility: 'private' });
    await ok(editor, id, 'forward', { tier: 'direct', type: 'complaint', publish: false, coDepartments: ['zjj'] });
    expect((await zjj.agent.get(`/api/v1/wenzheng/cases/${id}`)).status).toBe(200);
    expect((await hbj.agent.get(`/api/v1/wenzheng/cases/${id}`)).status).toBe(404);
    expect(await queueIds(hbj)).not.toContain(id);
    expect(await queueIds(hbj, '?overdue=false')).not.toContain(id);
    // Its own part on a case it is not on: the same 404 as a case that does not exist.
    await fails(hbj, id, 'parts/hbj/accept', {}, 404, 'WENZHENG_CASE_NOT_FOUND');
    await fails(hbj, id, 'parts/hbj/answer', { text: 'x' }, 404, 'WENZHENG_CASE_NOT_FOUND');
    const other = await loginAs(t, 'citizen');
    expect((await other.agent.get(`/api/v1/wenzheng/cases/${id}`)).status).toBe(404);
    // The lead hands over to the co-department: it becomes the lead, its part ends.
    await ok(jtj, id, 'decline', { suggestedDepartment: 'zjj', reason: '以住建局为主' });
    const moved = await ok(editor, id, 'handover', { confirm: true });
    expect(moved).toMatchObject({ department: { code: 'zjj' }, coDepartments: [], coParts: [] });
    expect((await jtj.agent.get(`/api/v1/wenzheng/cases/${id}`)).status).toBe(404);
  });
});

describe('concurrency', () => {
  it('the lead and two co-departments accepting at the same moment: every step lands, none overwrites another', async () => {
    await at('2026-11-04T02:00:00Z');
    const citizen = await loginAs(t, 'citizen');
    const id = await post(citizen);
    await ok(editor, id, 'forward', { tier: 'direct', type: 'complaint', publish: false, coDepartments: ['zjj', 'hbj'] });
    const results = await Promise.all([act(jtj, id, 'accept'), act(zjj, id, 'parts/zjj/accept'), act(hbj, id, 'parts/hbj/accept')]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const c = await view(editor, id);
    expect(c.state).toBe('accepted');
    expect(c.coParts.map((p) => [p.department.code, p.state])).toEqual([
      ['zjj', 'accepted'],
      ['hbj', 'accepted'],
    ]);
    expect(c.timeline.map((e) => e.type).sort()).toEqual(['accepted', 'co_accepted', 'co_accepted', 'forwarded', 'posted']);
  });
});

describe('each part runs its own clock', () => {
  it('a late co-department part is overdue and escalated to its own head once; the lead stays on time; the digest counts it', async () => {
    await at('2026-11-16T02:00:00Z'); // Monday
    const citizen = await loginAs(t, 'citizen');
    const id = await post(citizen);
    await ok(editor, id, 'forward', { tier: 'direct', type: 'consultation', publish: true, coDepartments: ['zjj'] });
    await ok(jtj, id, 'accept');
    await ok(zjj, id, 'parts/zjj/accept'); // consultation: due Wednesday 18 Nov end
    // Wednesday 08:00: both deadlines within 24 h → one reminder each, to each department.
    const t2 = await createTestContext({ now: '2026-11-18T00:00:00Z' });
    try {
      await at('2026-11-18T00:00:00Z');
      await Promise.all([
        runJobSlot(t, wenzhengClockJob, new Date('2026-11-18T00:00:00Z')),
        runJobSlot(t2, wenzhengClockJob, new Date('2026-11-18T00:05:00Z')),
      ]);
      const reminded = (await view(editor, id)).timeline.filter((e) => e.type === 'reminded');
      expect(reminded).toHaveLength(2);
      expect((await messagesTo(zjj, id)).filter((m) => m.data.phrase2?.value === '即将到期')).toHaveLength(1);
      expect((await messagesTo(jtj, id)).filter((m) => m.data.phrase2?.value === '即将到期')).toHaveLength(1);

      // The lead answers in time; the co-department does not.
      await ok(jtj, id, 'answer', { text: '已清理排水口' });
      await at('2026-11-19T01:00:00Z'); // Thursday 09:00
      t2.clock.set('2026-11-19T01:00:00Z');
      await Promise.all([
        runJobSlot(t, wenzhengClockJob, new Date('2026-11-19T01:00:00Z')),
        runJobSlot(t2, wenzhengClockJob, new Date('2026-11-19T01:00:00Z')),
        runJobSlot(t2, wenzhengClockJob, new Date('2026-11-19T01:05:00Z')),
      ]);
    } finally {
      await t2.close();
    }
    const c = await view(editor, id);
    expect(c).toMatchObject({ state: 'answered', overdue: false, escalated: false });
    expect(c.coParts[0]).toMatchObject({ department: { code: 'zjj' }, overdue: true });
    expect(c.timeline.filter((e) => e.type === 'overdue')).toHaveLength(1);
    expect(c.timeline.filter((e) => e.type === 'escalated')).toHaveLength(1);
    const toHead = (await messagesTo(zjjHead, id)).filter((m) => m.templateId === 'WZ_ESCALATION');
    expect(toHead).toHaveLength(1);
    expect(toHead[0]!.data).toMatchObject({ thing2: { value: '县住建局' } });
    expect(await messagesTo(jtjHead, id)).toEqual([]);
    expect((await messagesTo(xcb, id)).filter((m) => m.templateId === 'WZ_ESCALATION')).toHaveLength(1);
    expect((await messagesTo(zjj, id)).filter((m) => m.data.phrase2?.value === '已超期')).toHaveLength(1);
    // Queues: overdue for the co-department and the propaganda department, not for the lead.
    expect(await queueIds(zjj, '?overdue=true')).toContain(id);
    expect(await queueIds(jtj, '?overdue=true')).not.toContain(id);
    expect(await queueIds(xcb, '?overdue=true')).toContain(id);

    // The digest of the next morning counts the open part for 住建局 (and not the answered lead case for 交通局).
    await at('2026-11-20T00:30:00Z'); // Friday 08:30
    await runJobSlot(t, wenzhengClockJob, new Date('2026-11-20T00:30:00Z'));
    const digest = (await messagesTo(zjj)).filter((m) => m.templateId === 'WZ_DAILY_DIGEST' && m.data.date4?.value === '2026-11-20');
    // 住建局 has three open, all overdue: the lead case handed to it on 3 Nov (accept due 4 Nov), the part it
    // accepted on 4 Nov (complaint, due 11 Nov) and this part (due 18 Nov).
    expect(digest).toHaveLength(1);
    expect({ open: digest[0]!.data.number2!.value, overdue: digest[0]!.data.number3!.value }).toEqual({ open: '3', overdue: '3' });
    // Answering late clears nothing in the log: the part is answered, late.
    await ok(zjj, id, 'parts/zjj/answer', { text: '管网已疏通（逾期）' });
  });
});

/** An independent reading of the raw events: lead turns and co-department parts, per department and month. */
function recompute(events: RawEvent[], month: string, codes: string[]) {
  const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  interface Turn {
    dept: string;
    start: string;
    answer: string | null;
    onTime: boolean;
    satisfied: boolean | null;
    gone: boolean;
  }
  const turns: Turn[] = [];
  for (const caseId of new Set(events.map((e) => e.caseId))) {
    let lead: Turn | null = null;
    let parts = new Map<string, Turn>();
    const start = (dept: string, at: string): Turn => {
      const turn = { dept, start: at, answer: null, onTime: false, satisfied: null, gone: false };
      turns.push(turn);
      return turn;
    };
    for (const e of events.filter((x) => x.caseId === caseId).sort((a, b) => a.seq - b.seq)) {
      const dept = typeof e.data.department === 'string' ? e.data.department : null;
      if ((e.type === 'forwarded' || e.type === 'assigned' || e.type === 'handover_confirmed') && dept) {
        if (lead && e.type === 'handover_confirmed') lead.gone = true;
        lead = start(dept, e.at);
        if (e.type === 'handover_confirmed') {
          const p = parts.get(dept);
          if (p) p.gone = true;
          parts.delete(dept);
        } else {
          parts = new Map();
          for (const c of new Set((e.data.coDepartments as string[] | undefined) ?? [])) if (c !== dept) parts.set(c, start(c, e.at));
        }
      } else if (e.type === 'answered' && lead && !lead.answer) {
        lead.answer = e.at;
        lead.onTime = e.data.onTime === true;
      } else if (e.type === 'rated' && lead) {
        lead.satisfied = e.data.satisfied === true;
      } else if (e.type === 'co_answered' && dept) {
        const p = parts.get(dept);
        if (p && !p.answer) {
          p.answer = e.at;
          p.onTime = e.data.onTime === true;
        }
      } else if (e.type === 'co_handover_confirmed') {
        const from = parts.get(String(e.data.from));
        if (from) from.gone = true;
        parts.delete(String(e.data.from));
        if (dept) parts.set(dept, start(dept, e.at));
      }
    }
  }
  return Object.fromEntries(
    codes.map((code) => {
      const mine = turns.filter((x) => x.dept === code && !x.gone && local(x.start).startsWith(month));
      const answered = mine.filter((x) => x.answer);
      const rated = mine.filter((x) => x.satisfied !== null);
      const hours = answered.map((x) => (Date.parse(x.answer!) - Date.parse(x.start)) / 3600_000).sort((a, b) => a - b);
      const median =
        hours.length === 0
          ? null
          : hours.length % 2
            ? hours[(hours.length - 1) / 2]!
            : (hours[hours.length / 2 - 1]! + hours[hours.length / 2]!) / 2;
      const r = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
      const onTime = answered.filter((x) => x.onTime).length;
      const satisfied = rated.filter((x) => x.satisfied).length;
      return [
        code,
        {
          cases: mine.length,
          answered: answered.length,
          answeredOnTime: onTime,
          rated: rated.length,
          satisfied,
          replyRate: r(answered.length, mine.length),
          onTimeRate: r(onTime, answered.length),
          satisfaction: r(satisfied, rated.length),
          medianHoursToAnswer: median === null ? null : Math.round(median * 10) / 10,
        },
      ];
    }),
  );
}

describe('boards count each department’s part', () => {
  it('co-department parts are cases of their departments; figures equal a recomputation from raw events', async () => {
    const res = boardResponseSchema.parse((await t.request.get('/api/v1/wenzheng/boards?month=2026-11')).body);
    const row = (code: string) => res.rows.find((r) => r.department.code === code)!;
    // 住建局's parts this month: the answered one (case 1, on time), the one it handed away (not its), the
    // concurrent one (accepted, unanswered) and the late one (answered after its deadline). The case it
    // became lead of counts as a lead case.
    expect(row('zjj')).toMatchObject({ cases: 4, answered: 2, answeredOnTime: 1 });
    // 生态环境局: a part answered after the lead answered, on time (the citizen's rating is the lead's), and
    // the concurrent one.
    expect(row('hbj')).toMatchObject({ cases: 2, answered: 1, answeredOnTime: 1, rated: 0, satisfaction: null });
    expect(row('jtj')).toMatchObject({ rated: 1, satisfied: 1 });
    const raw = rawEventsResponseSchema.parse((await editor.agent.get('/api/v1/wenzheng/events?month=2026-11')).body).events;
    const expected = recompute(raw, '2026-11', ['jtj', 'zjj', 'hbj', 'scjgj']);
    for (const r of res.rows) {
      const { department, rank: _rank, ...figures } = r;
      expect({ code: department.code, ...figures }).toEqual({ code: department.code, ...expected[department.code] });
    }
  });
});

describe('copied county leaders', () => {
  it('are users with the county_leader role: notified, read-only on the copied case, blind to others', async () => {
    await at('2026-11-23T02:00:00Z');
    const leader = await loginAs(t, 'county_leader', undefined, { nickname: '李副县长' });
    const otherLeader = await loginAs(t, 'county_leader', undefined, { nickname: '王副县长' });
    const notLeader = await loginAs(t, 'citizen', undefined, { nickname: '冒充领导' });
    for (const who of [leader, otherLeader]) await acceptSubscriptions(t, who, WZ, 3);
    everyone.push(leader, otherLeader);
    const citizen = await loginAs(t, 'citizen');
    const id = await post(citizen, { category: '环保', visibility: 'private' });
    await ok(editor, id, 'forward', { tier: 'propaganda', type: 'complex', publish: false });

    // The propaganda department picks from the leaders; citizens cannot list them.
    const list = await xcb.agent.get('/api/v1/wenzheng/leaders');
    expect(list.status).toBe(200);
    expect(list.body.leaders).toEqual(expect.arrayContaining([{ id: leader.user.id, name: '李副县长' }]));
    expect((await citizen.agent.get('/api/v1/wenzheng/leaders')).status).toBe(403);
    expect((await jtj.agent.get('/api/v1/wenzheng/leaders')).status).toBe(403);

    await fails(xcb, id, 'assign', { department: 'hbj', copyLeaders: [notLeader.user.id] }, 422, 'WENZHENG_LEADER_NOT_FOUND');
    await fails(xcb, id, 'assign', { department: 'hbj', copyLeaders: ['0123456789abcdef01234567'] }, 422, 'WENZHENG_LEADER_NOT_FOUND');
    expect((await act(xcb, id, 'assign', { department: 'hbj', copyLeaders: ['李副县长'] })).status).toBe(400);
    const assigned = await ok(xcb, id, 'assign', { department: 'hbj', coDepartments: ['zjj'], copyLeaders: [leader.user.id] });
    expect(assigned.copiedLeaders).toEqual(['李副县长']);

    // Notified once, with the lead department.
    const sent = (await messagesTo(leader, id)).filter((m) => m.templateId === 'WZ_LEADER_COPY');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ thing2: { value: '县生态环境局' }, phrase3: { value: '抄送' } });

    // Read-only: sees the private case and the list of cases copied to them, and can do nothing.
    const seen = await view(leader, id);
    expect(seen).toMatchObject({ id, copiedLeaders: ['李副县长'], poster: { id: citizen.user.id } });
    const copied = caseListResponseSchema.parse((await leader.agent.get('/api/v1/wenzheng/copied')).body);
    expect(copied.items.map((i) => i.id)).toEqual([id]);
    await fails(leader, id, 'accept', {}, 403, 'FORBIDDEN');
    await fails(leader, id, 'decline', { suggestedDepartment: 'zjj', reason: 'x' }, 403, 'FORBIDDEN');
    await fails(leader, id, 'parts/zjj/accept', {}, 403, 'FORBIDDEN');
    await fails(leader, id, 'forward', { tier: 'direct', type: 'complaint', publish: false }, 403, 'FORBIDDEN');
    expect((await leader.agent.get('/api/v1/wenzheng/queue')).status).toBe(403);

    // Another leader, not copied, sees nothing; a citizen has no copied list.
    expect((await otherLeader.agent.get(`/api/v1/wenzheng/cases/${id}`)).status).toBe(404);
    expect(caseListResponseSchema.parse((await otherLeader.agent.get('/api/v1/wenzheng/copied')).body).items).toEqual([]);
    expect(await messagesTo(otherLeader)).toEqual([]);
    expect((await citizen.agent.get('/api/v1/wenzheng/copied')).status).toBe(403);
  });
});

describe('configuration', () => {
  it('subscribe-message template ids come from WENZHENG_TEMPLATE_*', async () => {
    const custom = await createTestContext({ now: '2026-11-23T02:00:00Z', env: { WENZHENG_TEMPLATE_TASK: 'tpl-task-from-env' } });
    try {
      await at('2026-11-23T02:00:00Z');
      // zjj accepted the template as this deployment names it (at WeChat, and reported to this server).
      const taskId = custom.services.notifications.templateIds().wenzhengTask!;
      expect(taskId).toBe('tpl-task-from-env');
      await fetch(`${t.wechatUrl}/__fake/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid: zjj.openid, results: { [taskId]: 'accept' } }),
      });
      await custom.services.notifications.consent.report(zjj.user.id, { results: { [taskId]: 'accept' } });
      const citizen = await loginAs(t, 'citizen');
      const id = await post(citizen);
      const res = await custom.request
        .post(`/api/v1/wenzheng/cases/${id}/forward`)
        .set('Authorization', `Bearer ${editor.token}`)
        .send({ tier: 'direct', type: 'complaint', publish: false, coDepartments: ['zjj'] });
      expect(res.status).toBe(200);
      const templates = (await messagesTo(zjj, id)).map((m) => m.templateId);
      expect(templates).toEqual(['tpl-task-from-env']);
    } finally {
      await custom.close();
    }
  });
});

describe('internal reports: co-departments the editor names are suggestions until 宣传部 assigns', () => {
  it('a suggested department sees nothing of the report; assigning without naming co-departments takes the suggestion', async () => {
    await at('2026-11-24T02:00:00Z'); // Tuesday
    const citizen = await loginAs(t, 'citizen', undefined, { nickname: '实名网友' });
    const id = await post(citizen, { visibility: 'private', anonymous: true });
    const fwd = await ok(editor, id, 'forward', {
      tier: 'propaganda',
      type: 'complex',
      publish: false,
      coDepartments: ['zjj', 'hbj', 'zjj'],
    });
    const suggested = [
      { code: 'zjj', name: '县住建局' },
      { code: 'hbj', name: '县生态环境局' },
    ];
    expect(fwd).toMatchObject({ state: 'reported', coDepartments: [], coParts: [], suggestedCoDepartments: suggested });

    // Not participants yet: no detail (no contact, no real name), no queue entry, no part actions.
    for (const who of [zjj, hbj]) {
      expect((await who.agent.get(`/api/v1/wenzheng/cases/${id}`)).status).toBe(404);
      expect(await queueIds(who)).not.toContain(id);
      expect(await queueIds(who, '?state=reported')).not.toContain(id);
    }
    await fails(zjj, id, 'parts/zjj/accept', {}, 404, 'WENZHENG_CASE_NOT_FOUND');
    expect(await messagesTo(zjj, id)).toEqual([]);
    // The editor and the propaganda department see the suggestion; the poster does not.
    expect((await view(editor, id)).suggestedCoDepartments).toEqual(suggested);
    expect(await queueIds(xcb)).toContain(id);
    expect((await view(xcb, id)).suggestedCoDepartments).toEqual(suggested);
    expect((await view(citizen, id)).suggestedCoDepartments).toEqual([]);

    // 宣传部 assigns to 生态环境局 without naming co-departments: the suggestion (less the lead) joins.
    const assigned = await ok(xcb, id, 'assign', { department: 'hbj' });
    expect(assigned).toMatchObject({
      state: 'assigned',
      department: { code: 'hbj' },
      coDepartments: [{ code: 'zjj', name: '县住建局' }],
      coParts: [{ department: { code: 'zjj' }, state: 'assigned', acceptDueAt: '2026-11-25T15:59:59.999Z' }],
      suggestedCoDepartments: [],
    });
    expect((await view(editor, id)).suggestedCoDepartments).toEqual([]);
    const seen = await view(zjj, id);
    expect(seen).toMatchObject({ poster: { id: citizen.user.id, name: '实名网友' }, suggestedCoDepartments: [] });
    expect(await queueIds(zjj)).toContain(id);
    expect((await messagesTo(zjj, id)).map((m) => m.data.phrase2?.value)).toEqual(['待协办']);
    await ok(zjj, id, 'parts/zjj/accept');
    // The log records the co-departments that took part (boards start their parts from it).
    const raw = rawEventsResponseSchema.parse((await editor.agent.get('/api/v1/wenzheng/events?month=2026-11')).body).events;
    expect(raw.filter((e) => e.caseId === id && e.type === 'assigned').map((e) => e.data.coDepartments)).toEqual([['zjj']]);
  });

  it('assigning with coDepartments [] means none: the suggested department stays off the case', async () => {
    await at('2026-11-24T03:00:00Z');
    const citizen = await loginAs(t, 'citizen');
    const id = await post(citizen);
    await ok(editor, id, 'forward', { tier: 'propaganda', type: 'complex', publish: true, coDepartments: ['zjj'] });
    // On the public board the suggestion is not shown.
    const pub = caseResponseSchema.parse((await t.request.get(`/api/v1/wenzheng/cases/${id}`)).body).case;
    expect(pub).toMatchObject({ state: 'reported', coDepartments: [], suggestedCoDepartments: [] });

    const assigned = await ok(xcb, id, 'assign', { department: 'hbj', coDepartments: [] });
    expect(assigned).toMatchObject({ department: { code: 'hbj' }, coDepartments: [], coParts: [], suggestedCoDepartments: [] });
    expect(await queueIds(zjj)).not.toContain(id);
    await fails(zjj, id, 'parts/zjj/accept', {}, 404, 'WENZHENG_NOT_CO_DEPARTMENT');
    expect((await view(zjj, id)).contact).toBeNull(); // public case: the public view only
    expect(await messagesTo(zjj, id)).toEqual([]);

    // Naming others replaces the suggestion.
    const other = await post(citizen);
    await ok(editor, other, 'forward', { tier: 'propaganda', type: 'complex', publish: false, coDepartments: ['zjj'] });
    const named = await ok(xcb, other, 'assign', { department: 'hbj', coDepartments: ['scjgj'] });
    expect(named.coDepartments).toEqual([{ code: 'scjgj', name: '县市场监管局' }]);
    expect(await queueIds(zjj)).not.toContain(other);
    expect(await queueIds(scj)).toContain(other);
  });
});
