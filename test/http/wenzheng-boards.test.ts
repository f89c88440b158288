/**
 * 问政 boards over HTTP: per department and month — cases, reply rate, on-time rate, satisfaction, median
 * time to answer — and the public monthly ranking, on a scripted month (answers on time and late,
 * satisfied and not, a hand-over between departments, a case from the previous month). The figures equal
 * hand-computed values and an independent recomputation from the raw events the API exposes.
 */
import { boardResponseSchema, caseResponseSchema, rawEventsResponseSchema, type BoardRow, type RawEvent } from '@shared/schemas/wenzheng';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;
let jtj: LoggedIn;
let zjj: LoggedIn;
let people: LoggedIn[] = [];

async function at(iso: string): Promise<void> {
  t.clock.set(iso);
  for (const w of people) {
    const s = await t.services.auth.refresh(w.refreshToken);
    w.refreshToken = s.refreshToken;
    w.agent.set('Authorization', `Bearer ${s.accessToken}`);
  }
}
async function ok(who: LoggedIn, id: string, action: string, body: object = {}): Promise<void> {
  const res = await who.agent.post(`/api/v1/wenzheng/cases/${id}/${action}`).send(body);
  expect({ action, status: res.status, body: res.body }).toMatchObject({ status: 200 });
}
let seq = 0;
async function forwarded(citizen: LoggedIn, department: string, type = 'consultation'): Promise<string> {
  const res = await citizen.agent
    .post('/api/v1/wenzheng/cases')
    .send({ category: '其他', title: `榜单测试事项${++seq}`, text: '用于月度榜单统计的事项。' });
  expect(res.status).toBe(201);
  const id = caseResponseSchema.parse(res.body).case.id;
  await ok(editor, id, 'forward', { tier: 'direct', type, department, publish: true });
  return id;
}

beforeAll(async () => {
  t = await createTestContext({ now: '2026-10-28T02:00:00Z' });
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor');
  jtj = await loginAs(t, 'department_staff', { type: 'department', id: 'jtj' });
  zjj = await loginAs(t, 'department_staff', { type: 'department', id: 'zjj' });
  for (const [code, name] of [
    ['jtj', '县交通运输局'],
    ['zjj', '县住建局'],
    ['hbj', '县生态环境局'],
  ] as const) {
    await admin.agent.put(`/api/v1/wenzheng/departments/${code}`).send({ name }).expect(200);
  }
  await admin.agent.put('/api/v1/wenzheng/departments/xcb').send({ name: '县委宣传部', propaganda: true }).expect(200);
  people = [admin, editor, jtj, zjj];
});
afterAll(() => t.close());

/** An independent reading of the raw events: who held each case when, and what came of it. */
function recompute(events: RawEvent[], month: string, codes: string[]) {
  const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  const turns: { dept: string; start: string; answer: string | null; onTime: boolean; satisfied: boolean | null; handedAway: boolean }[] =
    [];
  const caseIds = [...new Set(events.map((e) => e.caseId))];
  for (const caseId of caseIds) {
    const mine = events.filter((e) => e.caseId === caseId).sort((a, b) => a.seq - b.seq);
    let turn: (typeof turns)[number] | null = null;
    for (const e of mine) {
      if (e.type === 'forwarded' || e.type === 'assigned' || e.type === 'handover_confirmed') {
        if (turn && e.type === 'handover_confirmed') turn.handedAway = true;
        turn = { dept: String(e.data.department), start: e.at, answer: null, onTime: false, satisfied: null, handedAway: false };
        turns.push(turn);
      }
      if (e.type === 'answered' && turn && !turn.answer) {
        turn.answer = e.at;
        turn.onTime = e.data.onTime === true;
      }
      if (e.type === 'rated' && turn) turn.satisfied = e.data.satisfied === true;
    }
  }
  return Object.fromEntries(
    codes.map((code) => {
      const mine = turns.filter((x) => x.dept === code && !x.handedAway && local(x.start).startsWith(month));
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
      return [
        code,
        {
          cases: mine.length,
          answered: answered.length,
          answeredOnTime: answered.filter((x) => x.onTime).length,
          rated: rated.length,
          satisfied: rated.filter((x) => x.satisfied).length,
          replyRate: r(answered.length, mine.length),
          onTimeRate: r(answered.filter((x) => x.onTime).length, answered.length),
          satisfaction: r(rated.filter((x) => x.satisfied).length, rated.length),
          medianHoursToAnswer: median === null ? null : Math.round(median * 10) / 10,
        },
      ];
    }),
  );
}

describe('monthly boards', () => {
  it('figures match the scripted month and a recomputation from raw events; the ranking is public', async () => {
    const citizen = await loginAs(t, 'citizen');
    people.push(citizen);

    // October: a jtj case answered in November still belongs to October's board.
    const october = await forwarded(citizen, 'jtj');
    await ok(jtj, october, 'accept');

    // Monday 2 November 10:00.
    await at('2026-11-02T02:00:00Z');
    const quick = await forwarded(citizen, 'jtj');
    const late = await forwarded(citizen, 'jtj');
    const handed = await forwarded(citizen, 'jtj');
    await forwarded(citizen, 'zjj'); // never answered
    await ok(jtj, quick, 'accept');
    await ok(jtj, late, 'accept'); // consultation: due Wed 4 Nov end
    await ok(jtj, october, 'answer', { text: '十月的事项已办理' });
    await ok(jtj, handed, 'decline', { suggestedDepartment: 'zjj', reason: '不属于本部门' });

    await at('2026-11-02T04:00:00Z'); // +2 h
    await ok(editor, handed, 'handover', { confirm: true });
    await at('2026-11-02T06:00:00Z'); // +4 h from the forward
    await ok(jtj, quick, 'answer', { text: '已办理' });
    await ok(citizen, quick, 'rate', { satisfied: true });
    await at('2026-11-02T07:00:00Z');
    await ok(zjj, handed, 'accept');
    await ok(zjj, handed, 'answer', { text: '住建局已办理' }); // 3 h after the hand-over

    await at('2026-11-05T02:00:00Z'); // Thursday: past the deadline
    await ok(jtj, late, 'answer', { text: '迟到的答复' }); // 72 h
    await ok(citizen, late, 'rate', { satisfied: false, comment: '太慢了' });

    const res = await t.request.get('/api/v1/wenzheng/boards?month=2026-11');
    expect(res.status).toBe(200);
    const board = boardResponseSchema.parse(res.body);
    const row = (code: string) => board.rows.find((r) => r.department.code === code)!;
    // jtj: quick (4 h, on time, satisfied) and late (72 h, late, unsatisfied); the case it handed on is not its.
    expect(row('jtj')).toEqual({
      department: { code: 'jtj', name: '县交通运输局' },
      cases: 2,
      answered: 2,
      answeredOnTime: 1,
      rated: 2,
      satisfied: 1,
      replyRate: 1,
      onTimeRate: 0.5,
      satisfaction: 0.5,
      medianHoursToAnswer: 38,
      rank: 1,
    } satisfies BoardRow);
    // zjj: the handed-over case (3 h from the hand-over, on time) and one still open.
    expect(row('zjj')).toMatchObject({
      cases: 2,
      answered: 1,
      answeredOnTime: 1,
      rated: 0,
      replyRate: 0.5,
      onTimeRate: 1,
      satisfaction: null,
      medianHoursToAnswer: 3,
      rank: 2,
    });
    expect(row('hbj')).toMatchObject({
      cases: 0,
      replyRate: null,
      onTimeRate: null,
      satisfaction: null,
      medianHoursToAnswer: null,
      rank: 3,
    });
    // The propaganda department is not ranked.
    expect(board.rows.map((r) => r.department.code)).toEqual(['jtj', 'zjj', 'hbj']);

    // Every figure, for this month and the previous one, equals a recomputation from the raw events.
    for (const month of ['2026-11', '2026-10']) {
      const b = boardResponseSchema.parse((await t.request.get(`/api/v1/wenzheng/boards?month=${month}`)).body);
      const raw = rawEventsResponseSchema.parse((await editor.agent.get(`/api/v1/wenzheng/events?month=${month}`)).body).events;
      const expected = recompute(raw, month, ['jtj', 'zjj', 'hbj']);
      for (const r of b.rows) {
        const { department, rank: _rank, ...figures } = r;
        expect({ code: department.code, ...figures }).toEqual({ code: department.code, ...expected[department.code] });
      }
    }
    // October: the case forwarded on 28 October, answered late on 2 November.
    const oct = boardResponseSchema.parse((await t.request.get('/api/v1/wenzheng/boards?month=2026-10')).body);
    expect(oct.rows.find((r) => r.department.code === 'jtj')).toMatchObject({ cases: 1, answered: 1, answeredOnTime: 0 });

    // One department month by month (the clock is in November).
    const history = (await t.request.get('/api/v1/wenzheng/boards/jtj?months=2')).body as { months: { month: string; row: BoardRow }[] };
    expect(history.months.map((m) => [m.month, m.row.cases, m.row.answered])).toEqual([
      ['2026-11', 2, 2],
      ['2026-10', 1, 1],
    ]);
    expect((await t.request.get('/api/v1/wenzheng/boards/nope')).status).toBe(404);

    // Raw events are for staff only.
    expect((await citizen.agent.get('/api/v1/wenzheng/events?month=2026-11')).status).toBe(403);
    expect((await t.request.get('/api/v1/wenzheng/boards?month=2026-13x')).status).toBe(400);
  });

  test('a month that is no calendar month answers 400, not 500 (it reached the database as an Invalid Date)', async () => {
    for (const month of ['2026-13', '2026-00', '0818-12']) {
      const board = await t.request.get(`/api/v1/wenzheng/boards?month=${month}`);
      expect(board.status).toBe(400);
      expect(board.body.error.code).toBe('VALIDATION_FAILED');
      expect((await editor.agent.get(`/api/v1/wenzheng/events?month=${month}`)).status).toBe(400);
    }
  });
});
