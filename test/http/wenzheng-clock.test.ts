/**
 * 问政 deadlines and the clock job on the real stack with a TestClock: deadlines counted in working days
 * across an admin-set holiday (国庆) and a make-up working day (调休上班), configurable per case type;
 * the wenzheng-clock job reminding before a deadline, marking overdue and escalating to the department's
 * head and the propaganda department exactly once even with two schedulers (same slot and racing slots),
 * catching up after downtime, and sending the daily digest once a day.
 */
import { caseResponseSchema, type CaseView } from '@shared/schemas/wenzheng';
import { runJobSlot } from '../../server/src/jobs';
import { wenzhengClockJob } from '../../server/src/jobs/wenzheng-clock.job';
import type { TemplateKey } from '@shared/schemas/notifications';
import { acceptSubscriptions, createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

/** The 问政 templates: staff here accepted each many times (subscribe messages go only against acceptances). */
const WZ: TemplateKey[] = ['wenzhengProgress', 'wenzhengTask', 'wenzhengEscalation', 'wenzhengDigest', 'wenzhengLeaderCopy'];

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;
let staff: LoggedIn;
let head: LoggedIn;
let propaganda: LoggedIn;
// Wednesday 2026-09-30 10:00 Asia/Shanghai, the eve of the National Day holiday.
const START = new Date('2026-09-30T02:00:00Z');

/** Access tokens live 15 minutes of business time: after moving the clock, refresh like the app does. */
async function renew(...who: LoggedIn[]): Promise<void> {
  for (const w of who) {
    const s = await t.services.auth.refresh(w.refreshToken);
    w.refreshToken = s.refreshToken;
    w.token = s.accessToken;
    w.agent.set('Authorization', `Bearer ${s.accessToken}`);
  }
}
interface Sent {
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
}
/** Subscribe messages the WeChat fake took for this person (about one case when `caseId` is given). */
async function messagesTo(who: LoggedIn, caseId?: string): Promise<Sent[]> {
  const res = await fetch(`${t.wechatUrl}/__fake/subscribe-messages?touser=${who.openid}`);
  const { messages } = (await res.json()) as { messages: Sent[] };
  return caseId ? messages.filter((m) => m.page.endsWith(`id=${caseId}`)) : messages;
}
async function ok(who: LoggedIn, id: string, action: string, body: object = {}): Promise<CaseView> {
  const res = await who.agent.post(`/api/v1/wenzheng/cases/${id}/${action}`).send(body);
  expect({ action, status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return caseResponseSchema.parse(res.body).case;
}
let seq = 0;
async function newCase(type: 'consultation' | 'complaint' | 'complex'): Promise<{ view: CaseView; citizen: LoggedIn }> {
  const citizen = await loginAs(t, 'citizen');
  const res = await citizen.agent
    .post('/api/v1/wenzheng/cases')
    .send({ category: '交通', title: `国道边护栏缺失${++seq}`, text: '国道 212 线白石镇段护栏缺失，存在安全隐患。' });
  expect(res.status).toBe(201);
  const id = caseResponseSchema.parse(res.body).case.id as string;
  const view = await ok(editor, id, 'forward', { tier: 'direct', type, publish: true });
  return { view, citizen };
}
async function get(id: string): Promise<CaseView> {
  await renew(editor);
  return caseResponseSchema.parse((await editor.agent.get(`/api/v1/wenzheng/cases/${id}`)).body).case;
}

beforeAll(async () => {
  // Staff get many notices on one test day: no daily limit gets in the way of what this suite checks.
  t = await createTestContext({ now: START, env: { NOTIFICATION_DAILY_LIMIT: '1000' } });
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor');
  staff = await loginAs(t, 'department_staff', { type: 'department', id: 'jtj' });
  propaganda = await loginAs(t, 'department_staff', { type: 'department', id: 'xcb' });
  head = await loginAs(t, 'citizen', undefined, { nickname: '交通局局长' });
  for (const who of [staff, propaganda, head]) await acceptSubscriptions(t, who, WZ, 60);
  await admin.agent
    .put('/api/v1/wenzheng/departments/jtj')
    .send({ name: '县交通运输局', headUserIds: [head.user.id] })
    .expect(200);
  await admin.agent.put('/api/v1/wenzheng/departments/xcb').send({ name: '县委宣传部', propaganda: true }).expect(200);
  await admin.agent
    .patch('/api/v1/wenzheng/settings')
    .send({ categoryDepartments: { 交通: 'jtj' } })
    .expect(200);
  // 国庆: 1–7 October off, Saturday 10 October worked.
  for (let d = 1; d <= 7; d += 1) {
    await admin.agent.put(`/api/v1/wenzheng/holidays/2026-10-0${d}`).send({ kind: 'holiday', name: '国庆节' }).expect(200);
  }
  await admin.agent.put('/api/v1/wenzheng/holidays/2026-10-10').send({ kind: 'workday', name: '国庆调休上班' }).expect(200);
});
afterAll(() => t.close());

describe('working-day deadlines', () => {
  it('admins manage the calendar; others cannot', async () => {
    const res = await t.request.get('/api/v1/wenzheng/holidays?year=2026');
    expect(res.status).toBe(200);
    expect(res.body.holidays).toHaveLength(8);
    expect(res.body.holidays.at(-1)).toEqual({ date: '2026-10-10', kind: 'workday', name: '国庆调休上班' });
    expect((await editor.agent.put('/api/v1/wenzheng/holidays/2026-12-31').send({ kind: 'holiday', name: 'x' })).status).toBe(403);
    expect((await admin.agent.put('/api/v1/wenzheng/holidays/2026-02-30').send({ kind: 'holiday', name: 'x' })).status).toBe(400);
  });

  it('accept within 1 working day and answer a complaint within 5, skipping 国庆 and counting the make-up Saturday', async () => {
    t.clock.set(START);
    await renew(editor, staff);
    const { view } = await newCase('complaint');
    // Forwarded Wed 30 Sep: the next working day is Thu 8 Oct.
    expect(view.acceptDueAt).toBe('2026-10-08T15:59:59.999Z');
    const acc = await ok(staff, view.id, 'accept');
    // 8 Oct (1), 9 Oct (2), Sat 10 Oct make-up (3), Mon 12 (4), Tue 13 (5).
    expect(acc.answerDueAt).toBe('2026-10-13T15:59:59.999Z');
  });

  it('a consultation forwarded on Friday 9 Oct is due Monday: the make-up Saturday counts', async () => {
    t.clock.set('2026-10-09T03:00:00Z');
    await renew(editor, staff);
    const { view } = await newCase('consultation');
    expect(view.acceptDueAt).toBe('2026-10-10T15:59:59.999Z');
    const acc = await ok(staff, view.id, 'accept');
    expect(acc.answerDueAt).toBe('2026-10-12T15:59:59.999Z');
  });

  it('deadlines per case type are configurable', async () => {
    t.clock.set('2026-10-12T02:00:00Z'); // Monday
    await renew(admin, editor, staff);
    const res = await admin.agent
      .patch('/api/v1/wenzheng/settings')
      .send({ deadlines: { accept: 2, consultation: 3, complaint: 5, complex: 15 } });
    expect(res.body.settings.deadlines).toEqual({ accept: 2, consultation: 3, complaint: 5, complex: 15 });
    expect((await editor.agent.patch('/api/v1/wenzheng/settings').send({ remindBeforeHours: 2 })).status).toBe(403);
    const { view } = await newCase('consultation');
    expect(view.acceptDueAt).toBe('2026-10-14T15:59:59.999Z');
    const acc = await ok(staff, view.id, 'accept');
    expect(acc.answerDueAt).toBe('2026-10-15T15:59:59.999Z');
    await admin.agent
      .patch('/api/v1/wenzheng/settings')
      .send({ deadlines: { accept: 1, consultation: 2, complaint: 5, complex: 15 } })
      .expect(200);
  });
});

describe('the clock job', () => {
  it('reminds before the deadline once, then marks overdue and escalates once with two schedulers', async () => {
    t.clock.set('2026-11-02T02:00:00Z'); // Monday 10:00
    await renew(editor, staff);
    const { view, citizen } = await newCase('consultation');
    const acc = await ok(staff, view.id, 'accept');
    expect(acc.answerDueAt).toBe('2026-11-04T15:59:59.999Z'); // Wednesday
    // Wednesday 08:00: within 24 h of the deadline → one reminder, however often the job runs.
    const t2 = await createTestContext({ now: '2026-11-04T00:00:00Z' });
    try {
      t.clock.set('2026-11-04T00:00:00Z');
      const remindSlot = new Date('2026-11-04T00:00:00Z');
      const remindSlot2 = new Date('2026-11-04T00:05:00Z');
      await Promise.all([
        runJobSlot(t, wenzhengClockJob, remindSlot),
        runJobSlot(t2, wenzhengClockJob, remindSlot),
        runJobSlot(t2, wenzhengClockJob, remindSlot2),
      ]);
      let c = await get(view.id);
      expect(c.timeline.filter((e) => e.type === 'reminded')).toHaveLength(1);
      const reminders = (await messagesTo(staff, view.id)).filter((m) => m.data.phrase2?.value === '即将到期');
      expect(reminders).toHaveLength(1);

      // Thursday 09:00: overdue. Same slot on two processes (one runs), plus a racing later slot.
      t.clock.set('2026-11-05T01:00:00Z');
      t2.clock.set('2026-11-05T01:00:00Z');
      const slot = new Date('2026-11-05T01:00:00Z');
      const outcomes = await Promise.all([
        runJobSlot(t, wenzhengClockJob, slot),
        runJobSlot(t2, wenzhengClockJob, slot),
        runJobSlot(t2, wenzhengClockJob, new Date('2026-11-05T01:05:00Z')),
        runJobSlot(t, wenzhengClockJob, new Date('2026-11-05T01:10:00Z')),
      ]);
      expect(outcomes.filter((o) => o.ran)).toHaveLength(3);
      c = await get(view.id);
      expect(c).toMatchObject({ overdue: true, escalated: true, state: 'accepted' });
      expect(c.timeline.filter((e) => e.type === 'overdue')).toHaveLength(1);
      expect(c.timeline.filter((e) => e.type === 'escalated')).toHaveLength(1);
      const toHead = (await messagesTo(head, view.id)).filter((m) => m.templateId === 'WZ_ESCALATION');
      expect(toHead).toHaveLength(1);
      expect(toHead[0]!.data).toMatchObject({ thing2: { value: '县交通运输局' }, phrase3: { value: '已超期' } });
      expect((await messagesTo(propaganda, view.id)).filter((m) => m.templateId === 'WZ_ESCALATION')).toHaveLength(1);
      expect((await messagesTo(staff, view.id)).filter((m) => m.data.phrase2?.value === '已超期')).toHaveLength(1);

      // Public: the overdue mark shows; the escalation's recipients don't.
      const pub = caseResponseSchema.parse((await t.request.get(`/api/v1/wenzheng/cases/${view.id}`)).body).case;
      expect(pub.overdue).toBe(true);
      expect(pub.timeline.find((e) => e.type === 'overdue')).toBeDefined();
      expect(JSON.stringify(pub)).not.toContain(head.user.id);
      // The propaganda department now sees the escalated case in its queue.
      const colleague = await loginAs(t, 'department_staff', { type: 'department', id: 'xcb' });
      const q = (await colleague.agent.get('/api/v1/wenzheng/queue?overdue=true')).body.items as CaseView[];
      expect(q.map((i) => i.id)).toContain(view.id);
      // The poster was never sent staff messages.
      expect((await messagesTo(citizen)).some((m) => m.templateId === 'WZ_ESCALATION')).toBe(false);
    } finally {
      await t2.close();
    }
  });

  it('catches up after downtime: the first run after days of silence marks every missed deadline', async () => {
    t.clock.set('2026-11-09T02:00:00Z'); // Monday
    await renew(editor, staff);
    const a = await newCase('consultation');
    const b = await newCase('complaint');
    await ok(staff, b.view.id, 'accept');
    // No slot ran for two weeks.
    const slot = new Date('2026-11-23T02:00:00Z');
    t.clock.set(slot);
    await runJobSlot(t, wenzhengClockJob, slot);
    const [ca, cb] = [await get(a.view.id), await get(b.view.id)];
    expect(ca).toMatchObject({ state: 'assigned', overdue: true });
    expect(cb).toMatchObject({ state: 'accepted', overdue: true });
    // Accepting late starts the answer clock afresh (the late acceptance stays in the log).
    await renew(staff);
    const accepted = await ok(staff, a.view.id, 'accept');
    expect(accepted).toMatchObject({ overdue: false, escalated: false });
  });

  it('sends the daily digest once per day from 08:00 local, and back-fills the days missed, once with two schedulers', async () => {
    const digestsTo = async (who: LoggedIn) => (await messagesTo(who)).filter((m) => m.templateId === 'WZ_DAILY_DIGEST');
    // The last pass ran on Monday 23 Nov 10:00 local; nothing ran on the 24th.
    const early = new Date('2026-11-24T23:00:00Z'); // 07:00 local on the 25th
    const before = (await digestsTo(staff)).length;
    t.clock.set(early);
    await runJobSlot(t, wenzhengClockJob, early);
    // The 24th is back-filled (marked 补发); the 25th's is not due before 08:00.
    let digests = await digestsTo(staff);
    expect(digests.slice(before).map((m) => [m.data.date4?.value, m.data.thing1?.value])).toEqual([['2026-11-24', '问政每日提醒（补发）']]);
    const eight = new Date('2026-11-25T00:00:00Z');
    t.clock.set(eight);
    await runJobSlot(t, wenzhengClockJob, eight);
    await runJobSlot(t, wenzhengClockJob, new Date('2026-11-25T00:05:00Z'));
    digests = await digestsTo(staff);
    expect(digests.slice(before).map((m) => m.data.date4?.value)).toEqual(['2026-11-24', '2026-11-25']);
    expect(digests.at(-1)!.data).toMatchObject({
      thing1: { value: '问政每日提醒' },
      number2: { value: expect.stringMatching(/^[1-9]\d*$/) },
    });

    // Down from the 25th until Saturday 28th 09:00: two processes come back at once, on different slots.
    const t2 = await createTestContext({ now: '2026-11-28T01:00:00Z' });
    try {
      t.clock.set('2026-11-28T01:00:00Z');
      const results = await Promise.all([
        runJobSlot(t, wenzhengClockJob, new Date('2026-11-28T01:00:00Z')),
        runJobSlot(t2, wenzhengClockJob, new Date('2026-11-28T01:00:00Z')),
        runJobSlot(t2, wenzhengClockJob, new Date('2026-11-28T01:05:00Z')),
        runJobSlot(t, wenzhengClockJob, new Date('2026-11-28T01:10:00Z')),
      ]);
      expect(results.some((r) => r.ran)).toBe(true);
      digests = await digestsTo(staff);
      // Each missed day exactly once, in order.
      expect(digests.slice(before).map((m) => m.data.date4?.value)).toEqual([
        '2026-11-24',
        '2026-11-25',
        '2026-11-26',
        '2026-11-27',
        '2026-11-28',
      ]);
      expect(digests.slice(-3).map((m) => m.data.thing1?.value)).toEqual(['问政每日提醒（补发）', '问政每日提醒（补发）', '问政每日提醒']);
    } finally {
      await t2.close();
    }
  });
});
