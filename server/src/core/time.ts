/**
 * The county's calendar: Asia/Shanghai is UTC+8 all year (no daylight saving), so a fixed offset is exact and
 * these stay plain arithmetic on hot paths (caps, votes, check-in) instead of Intl time-zone look-ups.
 * Instants are stored in UTC; these give the local day, month and wall-clock time people and caps go by.
 */

/** Asia/Shanghai's offset from UTC. */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
/** One calendar day (Shanghai has no daylight saving, so every day is this long). */
export const DAY_MS = 24 * 3600_000;

/** The Shanghai wall-clock of an instant written as an ISO string (its trailing Z does not mean UTC here). */
const wallClock = (at: Date | number): string => new Date((typeof at === 'number' ? at : at.getTime()) + SHANGHAI_OFFSET_MS).toISOString();

/** 'YYYY-MM-DD' of an instant (a Date or epoch milliseconds) in Asia/Shanghai: turns over at 16:00 UTC. */
export function shanghaiDay(at: Date | number): string {
  return wallClock(at).slice(0, 10);
}

/** 'YYYY-MM' of an instant in Asia/Shanghai. */
export function shanghaiMonth(at: Date | number): string {
  return wallClock(at).slice(0, 7);
}

/** 'YYYY-MM-DD HH:mm' wall-clock time in Asia/Shanghai (subscribe messages, digests). */
export function shanghaiDateTime(at: Date): string {
  return wallClock(at).slice(0, 16).replace('T', ' ');
}

/** The hour (0–23) of an instant on Shanghai's clocks. */
export function shanghaiHour(at: Date): number {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).getUTCHours();
}

/** The UTC instant a Shanghai day ('YYYY-MM-DD') starts: '2026-11-25' → 2026-11-24T16:00Z. */
export function shanghaiDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/** The UTC instant a Shanghai month ('YYYY-MM') starts: '2026-12' → 2026-11-30T16:00Z. */
export function shanghaiMonthStart(month: string): Date {
  return shanghaiDayStart(`${month}-01`);
}

/** Milliseconds from an instant to the next Shanghai midnight (a full day at midnight itself). */
export function msToShanghaiMidnight(at: Date): number {
  return DAY_MS - ((at.getTime() + SHANGHAI_OFFSET_MS) % DAY_MS);
}

/** The days (YYYY-MM-DD) of a month (YYYY-MM). */
export function daysOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}
