/**
 * Working-day arithmetic in the county's time (Asia/Shanghai, UTC+8 all year: no daylight saving), with
 * the admin's calendar of holidays (weekdays off) and make-up working days (weekend days worked, 调休).
 */
import { DAY_MS, SHANGHAI_OFFSET_MS, shanghaiDay } from '../../core/time';

// The county's calendar under the names this module's callers and tests use (one implementation, in core).
export {
  shanghaiDateTime as localDateTime,
  shanghaiDay as localDate,
  shanghaiMonth as localMonth,
  shanghaiMonthStart as monthStart,
} from '../../core/time';

export type DayOverride = 'holiday' | 'workday';
/** 'YYYY-MM-DD' (local) → what the calendar says about that day. */
export type Calendar = ReadonlyMap<string, DayOverride>;

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The calendar day after a 'YYYY-MM-DD'. */
export const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

export function isWorkingDay(date: string, calendar: Calendar): boolean {
  const override = calendar.get(date);
  if (override) return override === 'workday';
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The deadline `days` working days after `from`: the end (23:59:59.999 local) of the `days`-th working day
 * after the local date of `from`. The day something arrives does not count (自受理之日起…个工作日), so a
 * case accepted on a Friday afternoon with 1 day to answer is due at the end of Monday.
 */
export function addWorkingDays(from: Date, days: number, calendar: Calendar): Date {
  let day = Date.parse(`${shanghaiDay(from)}T00:00:00Z`);
  let left = days;
  // A year of holidays in a row would be a broken calendar; stop rather than spin.
  for (let guard = 0; left > 0 && guard < 800; guard += 1) {
    day += DAY_MS;
    if (isWorkingDay(new Date(day).toISOString().slice(0, 10), calendar)) left -= 1;
  }
  return new Date(day + DAY_MS - 1 - SHANGHAI_OFFSET_MS);
}
