/** Comment times read the way WeChat writes them (miniprogram/src/utils/relative-time.ts), in Shanghai days. */
import { relativeTime } from '../../miniprogram/src/utils/relative-time';

// 2026-12-07 15:30 in Shanghai.
const NOW = new Date('2026-12-07T07:30:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;

describe('relativeTime', () => {
  it('says 刚刚 within the first minute, and for a time slightly ahead of the phone', () => {
    expect(relativeTime(ago(0), NOW)).toBe('刚刚');
    expect(relativeTime(ago(59_000), NOW)).toBe('刚刚');
    expect(relativeTime(ago(-30_000), NOW)).toBe('刚刚');
  });

  it('counts minutes within the hour', () => {
    expect(relativeTime(ago(MIN), NOW)).toBe('1 分钟前');
    expect(relativeTime(ago(3 * MIN + 20_000), NOW)).toBe('3 分钟前');
    expect(relativeTime(ago(59 * MIN), NOW)).toBe('59 分钟前');
  });

  it('counts hours earlier the same Shanghai day', () => {
    expect(relativeTime(ago(2 * 60 * MIN + 5 * MIN), NOW)).toBe('2 小时前');
    // 00:10 today in Shanghai (16:10 UTC the day before).
    expect(relativeTime('2026-12-06T16:10:00Z', NOW)).toBe('15 小时前');
  });

  it('says 昨天 with the time for the Shanghai day before, even when fewer than 24 hours ago', () => {
    expect(relativeTime('2026-12-06T06:20:00Z', NOW)).toBe('昨天 14:20');
    // 23:50 yesterday in Shanghai, seen at 01:30: more than an hour ago, and yesterday there.
    expect(relativeTime('2026-12-06T15:50:00Z', new Date('2026-12-06T17:30:00Z'))).toBe('昨天 23:50');
    // …but within the hour it is still minutes.
    expect(relativeTime('2026-12-06T15:50:00Z', new Date('2026-12-06T16:10:00Z'))).toBe('20 分钟前');
  });

  it('gives the date before yesterday, with the year only when it is not this year', () => {
    expect(relativeTime('2026-12-05T10:00:00Z', NOW)).toBe('12月5日');
    expect(relativeTime('2026-01-01T00:00:00Z', NOW)).toBe('1月1日');
    // 2025-12-31 23:00 in Shanghai.
    expect(relativeTime('2025-12-31T15:00:00Z', NOW)).toBe('2025年12月31日');
  });

  it('gives nothing for a time it cannot read', () => {
    expect(relativeTime('not a date', NOW)).toBe('');
  });
});
