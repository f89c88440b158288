/** Shanghai days and months: they turn over at 16:00 UTC, not at UTC midnight, and back again to UTC instants. */
import {
  msToShanghaiMidnight,
  shanghaiDateTime,
  shanghaiDay,
  shanghaiDayStart,
  shanghaiHour,
  shanghaiMonth,
  shanghaiMonthStart,
} from './time';

describe('Asia/Shanghai time', () => {
  it('turns the day over at 16:00 UTC', () => {
    expect(shanghaiDay(new Date('2026-11-24T15:59:59.999Z'))).toBe('2026-11-24');
    expect(shanghaiDay(new Date('2026-11-24T16:00:00.000Z'))).toBe('2026-11-25');
    expect(shanghaiDay(new Date('2026-11-24T00:30:00.000Z'))).toBe('2026-11-24');
    expect(shanghaiDay(Date.parse('2026-11-24T16:00:00.000Z'))).toBe('2026-11-25');
  });

  it('turns the month (and the year) over at 16:00 UTC on the last day', () => {
    expect(shanghaiMonth(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11');
    expect(shanghaiMonth(new Date('2026-11-30T16:00:00.000Z'))).toBe('2026-12');
    expect(shanghaiDay(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
    expect(shanghaiMonth(new Date('2028-02-28T16:00:00.000Z'))).toBe('2028-02');
  });

  it('gives the wall-clock time and hour people see', () => {
    expect(shanghaiDateTime(new Date('2026-01-05T02:00:00.000Z'))).toBe('2026-01-05 10:00');
    expect(shanghaiDateTime(new Date('2026-11-24T16:30:00.000Z'))).toBe('2026-11-25 00:30');
    expect(shanghaiHour(new Date('2026-11-24T23:59:59.999Z'))).toBe(7);
    expect(shanghaiHour(new Date('2026-11-25T00:00:00.000Z'))).toBe(8);
  });

  it('maps a local day or month back to the UTC instant it starts', () => {
    expect(shanghaiDayStart('2026-11-25').toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(shanghaiMonthStart('2026-12').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(shanghaiMonthStart('2027-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(shanghaiDay(shanghaiMonthStart('2027-03'))).toBe('2027-03-01');
  });

  it('counts the time left until the next local midnight', () => {
    expect(msToShanghaiMidnight(new Date('2026-11-24T15:59:59.000Z'))).toBe(1000);
    expect(msToShanghaiMidnight(new Date('2026-11-24T16:00:00.000Z'))).toBe(24 * 3600_000);
    expect(msToShanghaiMidnight(new Date('2026-11-24T04:00:00.000Z'))).toBe(12 * 3600_000);
  });
});
