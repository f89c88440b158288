/** Working days in Asia/Shanghai: weekdays, holidays and make-up days from the calendar; deadlines counted in them. */
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
