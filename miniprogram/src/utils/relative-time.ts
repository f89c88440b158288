/**
 * When something was posted, the way WeChat says it (comments, replies): 刚刚, 3 分钟前, 2 小时前 (earlier
 * today), 昨天 14:20, then the date — 12月3日 this year, 2025年12月3日 before. Days are Asia/Shanghai days
 * whatever the phone's time zone; a time a little ahead of the phone's clock reads 刚刚.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;

/** Days since 1970-01-01 in Shanghai, and the wall-clock fields there. */
function shanghai(ms: number) {
  const d = new Date(ms + SHANGHAI);
  return {
    day: Math.floor((ms + SHANGHAI) / DAY),
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    date: d.getUTCDate(),
    hm: `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`,
  };
}

export function relativeTime(iso: string, now: Date = new Date()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const ago = now.getTime() - at;
  if (ago < MINUTE) return '刚刚';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} 分钟前`;
  const then = shanghai(at);
  const today = shanghai(now.getTime());
  if (then.day === today.day) return `${Math.floor(ago / HOUR)} 小时前`;
  if (then.day === today.day - 1) return `昨天 ${then.hm}`;
  if (then.year === today.year) return `${then.month}月${then.date}日`;
  return `${then.year}年${then.month}月${then.date}日`;
}
