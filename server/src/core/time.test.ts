/** Shanghai days and months: they turn over at 16:00 UTC, not at UTC midnight, and map back to UTC instants. */
import {
  daysOfMonth,
  msToShanghaiMidnight,
  shanghaiDateTime,
  shanghaiDay,
  shanghaiDayStart,
  shanghaiHour,
  shanghaiMonth,
  shanghaiMonthStart,
} from './time';

describe('Asia/Shanghai time', () => {
  it.each([
    ['2026-11-24T00:30:00.000Z', '2026-11-24', '2026-11-24 08:30', 8],
    ['2026-11-24T15:59:59.999Z', '2026-11-24', '2026-11-24 23:59', 23],
    ['2026-11-24T16:00:00.000Z', '2026-11-25', '2026-11-25 00:00', 0],
    ['2026-11-30T15:59:59.999Z', '2026-11-30', '2026-11-30 23:59', 23],
    ['2026-11-30T16:00:00.000Z', '2026-12-01', '2026-12-01 00:00', 0],
    ['2026-12-31T16:00:00.000Z', '2027-01-01', '2027-01-01 00:00', 0],
    ['2028-02-28T16:00:00.000Z', '2028-02-29', '2028-02-29 00:00', 0],
  ])('%s is %s (%s) in Shanghai: the day turns over at 16:00 UTC', (utc, day, wall, hour) => {
    const at = new Date(utc);
    expect(shanghaiDay(at)).toBe(day);
    expect(shanghaiDay(at.getTime())).toBe(day);
    expect(shanghaiMonth(at)).toBe(day.slice(0, 7));
    expect(shanghaiDateTime(at)).toBe(wall);
    expect(shanghaiHour(at)).toBe(hour);
  });

  it.each([
    ['2026-11-25', '2026-11-24T16:00:00.000Z'],
    ['2027-01-01', '2026-12-31T16:00:00.000Z'],
  ])('day %s starts at %s UTC', (day, utc) => {
    expect(shanghaiDayStart(day).toISOString()).toBe(utc);
  });

  it.each([
    ['2026-12', '2026-11-30T16:00:00.000Z'],
    ['2027-01', '2026-12-31T16:00:00.000Z'],
    ['2028-03', '2028-02-29T16:00:00.000Z'],
  ])('month %s starts at %s UTC', (month, utc) => {
    expect(shanghaiMonthStart(month).toISOString()).toBe(utc);
  });

  it.each([
    ['2026-11-24T15:59:59.000Z', 1000],
    ['2026-11-24T16:00:00.000Z', 24 * 3600_000],
    ['2026-11-24T04:00:00.000Z', 12 * 3600_000],
  ])('from %s, %d ms are left until the next Shanghai midnight', (utc, ms) => {
    expect(msToShanghaiMidnight(new Date(utc))).toBe(ms);
  });
});

describe('daysOfMonth', () => {
  it('lists every day of a month for the monthly cap (which reads the day index), leap years included', () => {
    expect(daysOfMonth('2026-11')).toHaveLength(30);
    expect(daysOfMonth('2026-12')[0]).toBe('2026-12-01');
    expect(daysOfMonth('2026-12').at(-1)).toBe('2026-12-31');
    expect(daysOfMonth('2027-02')).toHaveLength(28);
    expect(daysOfMonth('2028-02').at(-1)).toBe('2028-02-29');
    const at = new Date('2026-11-30T16:00:00Z');
    expect(daysOfMonth(shanghaiMonth(at))).toContain(shanghaiDay(at));
  });
});
