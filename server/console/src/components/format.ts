const FULL = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An instant as people in the county read it (Asia/Shanghai): 2026-12-07 20:40. */
export function shanghaiTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parts = Object.fromEntries(FULL.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The start of a Shanghai calendar day (YYYY-MM-DD) as an instant the API takes. */
export function shanghaiDayStart(day: string): string {
  return `${day}T00:00:00+08:00`;
}
