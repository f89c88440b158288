/** Calendar days and months that exist: the pattern alone let "7985-37-05" through to a query (500). */
import { calendarDaySchema, yearMonthSchema } from './dates';

describe('calendarDaySchema', () => {
  it.each(['2026-12-07', '2028-02-29', '2000-01-01', '2099-12-31'])('accepts %s', (day) => {
    expect(calendarDaySchema.safeParse(day).success).toBe(true);
  });
  it.each(['7985-37-05', '2026-13-01', '2026-02-29', '2026-04-31', '2026-00-10', '1999-12-31', '2026-1-1', '2026-12-07T00:00'])(
    'refuses %s',
    (day) => {
      expect(calendarDaySchema.safeParse(day).success).toBe(false);
    },
  );
});

describe('yearMonthSchema', () => {
  it('accepts a month of this century and refuses month 13 or a far year', () => {
    expect(yearMonthSchema.safeParse('2026-12').success).toBe(true);
    expect(yearMonthSchema.safeParse('2026-13').success).toBe(false);
    expect(yearMonthSchema.safeParse('0818-12').success).toBe(false);
  });
});
