import { computeBoard, spellsOf, type BoardEvent } from './boards';
import { addWorkingDays, isWorkingDay, localDate, localMonth, monthStart } from './working-days';

describe('working days (Asia/Shanghai)', () => {
  const calendar = new Map([
    ['2026-10-01', 'holiday'],
    ['2026-10-02', 'holiday'],
    ['2026-10-05', 'holiday'],
    ['2026-10-06', 'holiday'],
    ['2026-10-07', 'holiday'],
    ['2026-10-10', 'workday'],
  ] as const);

  it('reads weekdays, holidays and make-up working days', () => {
    expect(isWorkingDay('2026-09-30', calendar)).toBe(true); // Wednesday
    expect(isWorkingDay('2026-10-01', calendar)).toBe(false); // holiday
    expect(isWorkingDay('2026-10-03', calendar)).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-10', calendar)).toBe(true); // make-up Saturday
  });

  it('takes the local date: 23:30 local on Friday is still Friday', () => {
    const fridayLate = new Date('2026-11-27T15:30:00Z');
    expect(localDate(fridayLate)).toBe('2026-11-27');
    expect(addWorkingDays(fridayLate, 1, new Map()).toISOString()).toBe('2026-11-30T15:59:59.999Z');
    // 00:30 local on Saturday is Saturday: Monday is the first working day after it too.
    expect(addWorkingDays(new Date('2026-11-27T16:30:00Z'), 1, new Map()).toISOString()).toBe('2026-11-30T15:59:59.999Z');
  });

  it('skips holidays and counts make-up days', () => {
    const eve = new Date('2026-09-30T02:00:00Z');
    expect(addWorkingDays(eve, 1, calendar).toISOString()).toBe('2026-10-08T15:59:59.999Z');
    expect(addWorkingDays(eve, 3, calendar).toISOString()).toBe('2026-10-10T15:59:59.999Z');
    expect(addWorkingDays(eve, 5, calendar).toISOString()).toBe('2026-10-13T15:59:59.999Z');
    expect(addWorkingDays(eve, 5, new Map()).toISOString()).toBe('2026-10-07T15:59:59.999Z');
  });

  it('months in local time', () => {
    expect(localMonth(new Date('2026-10-31T16:30:00Z'))).toBe('2026-11');
    expect(monthStart('2026-11').toISOString()).toBe('2026-10-31T16:00:00.000Z');
  });
});

describe('boards from events', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 10, 2, h));
  const ev = (caseId: string, seq: number, type: string, h: number, data: Record<string, unknown> = {}): BoardEvent => ({
    caseId,
    seq,
    type,
    at: at(h),
    data,
  });

  it('a hand-over gives the case to the new department; the turn handed away counts for nobody', () => {
    const spells = spellsOf([
      ev('a', 0, 'posted', 0),
      ev('a', 1, 'forwarded', 1, { department: 'jtj' }),
      ev('a', 2, 'declined', 2, { department: 'jtj' }),
      ev('a', 3, 'handover_confirmed', 3, { department: 'zjj' }),
      ev('a', 4, 'answered', 5, { department: 'zjj', onTime: true }),
    ]);
    expect(spells).toEqual([{ department: 'zjj', role: 'lead', startAt: at(3), firstAnswerAt: at(5), onTime: true, satisfied: null }]);
  });

  it('co-department parts: their own answers, no rating; a part handed on or taken over as lead counts for nobody', () => {
    const spells = spellsOf([
      ev('b', 0, 'forwarded', 1, { department: 'jtj', coDepartments: ['zjj', 'hbj', 'jtj', 'scj'] }),
      ev('b', 1, 'co_answered', 2, { department: 'zjj', onTime: true }),
      ev('b', 2, 'co_answered', 3, { department: 'zjj', onTime: false }),
      ev('b', 3, 'co_handover_confirmed', 4, { from: 'hbj', department: 'wjj' }),
      ev('b', 4, 'answered', 6, { department: 'jtj', onTime: false }),
      ev('b', 5, 'rated', 7, { department: 'jtj', satisfied: true }),
      ev('b', 6, 'co_handover_confirmed', 8, { from: 'wjj', department: null }),
      ev('c', 0, 'forwarded', 1, { department: 'jtj', coDepartments: ['zjj'] }),
      ev('c', 1, 'declined', 2, { department: 'jtj' }),
      ev('c', 2, 'handover_confirmed', 3, { department: 'zjj' }),
    ]);
    const view = spells.map((s) => [
      s.department,
      s.role,
      s.startAt.getUTCHours(),
      s.firstAnswerAt?.getUTCHours() ?? null,
      s.onTime,
      s.satisfied,
    ]);
    expect(view).toEqual(
      expect.arrayContaining([
        ['jtj', 'lead', 1, 6, false, true],
        ['zjj', 'co', 1, 2, true, null],
        ['scj', 'co', 1, null, false, null],
        ['zjj', 'lead', 3, null, false, null],
      ]),
    );
    expect(view).toHaveLength(4);
  });

  it('rates, medians and ranking', () => {
    const rows = computeBoard(
      [
        ev('a', 0, 'forwarded', 0, { department: 'jtj' }),
        ev('a', 1, 'answered', 2, { onTime: true }),
        ev('a', 2, 'rated', 3, { satisfied: false }),
        ev('b', 0, 'forwarded', 0, { department: 'jtj' }),
        ev('b', 1, 'answered', 4, { onTime: false }),
        ev('b', 2, 'answered', 9, { onTime: true }),
        ev('c', 0, 'forwarded', 0, { department: 'jtj' }),
        ev('d', 0, 'forwarded', 0, { department: 'zjj' }),
        ev('d', 1, 'answered', 1, { onTime: true }),
        ev('d', 2, 'rated', 2, { satisfied: true }),
      ],
      '2026-11',
      [
        { code: 'jtj', name: '交通' },
        { code: 'zjj', name: '住建' },
        { code: 'hbj', name: '环保' },
      ],
    );
    expect(rows.map((r) => [r.department.code, r.rank])).toEqual([
      ['zjj', 1],
      ['jtj', 2],
      ['hbj', 3],
    ]);
    expect(rows[1]).toMatchObject({
      cases: 3,
      answered: 2,
      answeredOnTime: 1,
      replyRate: 0.6667,
      onTimeRate: 0.5,
      satisfaction: 0,
      medianHoursToAnswer: 3,
    });
  });
});
