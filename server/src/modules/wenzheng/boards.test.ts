/** The public board's figures from case events: who a turn counts for, co-department parts, rates, medians and ranking. */
import { computeBoard, spellsOf, type BoardEvent } from './boards';

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
