/** Beijing (Asia/Shanghai, UTC+8, no daylight saving) dates and times as the forms' pickers show them. */
const SHANGHAI_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export interface LocalDateTime {
  date: string; // 2026-12-06
  time: string; // 09:00
}

export function toLocal(at: Date): LocalDateTime {
  const s = new Date(at.getTime() + SHANGHAI_MS).toISOString();
  return { date: s.slice(0, 10), time: s.slice(11, 16) };
}

/** Beijing date + time → ISO 8601 (UTC); null when malformed. */
export function fromLocal(v: LocalDateTime): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.date);
  const t = /^(\d{2}):(\d{2})$/.exec(v.time);
  if (!d || !t) return null;
  const ms = Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!, +t[1]!, +t[2]!) - SHANGHAI_MS;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export const addDays = (v: LocalDateTime, days: number): LocalDateTime => {
  const iso = fromLocal(v);
  return iso ? toLocal(new Date(Date.parse(iso) + days * DAY_MS)) : v;
};
