import { z } from 'zod';

/** "2026-02-29" or "7985-37-05" match the pattern but name no day: parsed to an Invalid Date, they reached queries as a 500. */
function isRealDay(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

/** A calendar day of this century, YYYY-MM-DD, that exists (no 2026-02-30, no month 13). */
export const calendarDaySchema = z
  .string()
  .regex(/^20\d{2}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD（2000—2099 年）')
  .refine(isRealDay, '没有这一天，请检查日期');

/** A month of this century, YYYY-MM: "2026-13" or "0818-12" (whose next month "819-01" parses to nothing) name no month. */
export const yearMonthSchema = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM（2000—2099 年）');
