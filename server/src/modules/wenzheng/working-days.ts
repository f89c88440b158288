/**
 * Working-day arithmetic in the county's time (Asia/Shanghai, UTC+8 all year: no daylight saving), with
 * the admin's calendar of holidays (weekdays off) and make-up working days (weekend days worked, 调休).
 */

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

export type DayOverride = 'holiday' | 'workday';
/** 'YYYY-MM-DD' (local) → what the calendar says about that day. */
export type Calendar = ReadonlyMap<string, DayOverride>;

/** The local (Asia/Shanghai) date of an instant, as 'YYYY-MM-DD'. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The local month 'YYYY-MM' of an instant. */
export function localMonth(at: Date): string {
  return localDate(at).slice(0, 7);
}

/** The UTC instant a local month starts: '2026-12' → 2026-11-30T16:00Z. */
export function monthStart(month: string): Date {
  return new Date(Date.parse(`${month}-01T00:00:00Z`) - OFFSET_MS);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Local wall-clock 'YYYY-MM-DD HH:mm' (subscribe messages, digests). */
export function localDateTime(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

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
  let day = Date.parse(`${localDate(from)}T00:00:00Z`);
  let left = days;
  // A year of holidays in a row would be a broken calendar; stop rather than spin.
  for (let guard = 0; left > 0 && guard < 800; guard += 1) {
    day += DAY_MS;
    if (isWorkingDay(new Date(day).toISOString().slice(0, 10), calendar)) left -= 1;
  }
  return new Date(day + DAY_MS - 1 - OFFSET_MS);
}
