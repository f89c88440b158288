import { digestDaysDue } from './digest';

describe('which digest days are due', () => {
  // 2026-11-05 07:59 and 08:00 in Asia/Shanghai.
  const before8 = new Date('2026-11-04T23:59:00Z');
  const at8 = new Date('2026-11-05T00:00:00Z');

  it('a fresh install sends nothing before 08:00 and only today from 08:00', () => {
    expect(digestDaysDue(before8, null)).toEqual([]);
    expect(digestDaysDue(at8, null)).toEqual(['2026-11-05']);
  });

  it('nothing again once today (or, before 08:00, yesterday) is recorded', () => {
    expect(digestDaysDue(at8, '2026-11-05')).toEqual([]);
    expect(digestDaysDue(before8, '2026-11-04')).toEqual([]);
  });

  it('after downtime every missed day up to the latest due one, oldest first', () => {
    expect(digestDaysDue(at8, '2026-11-02')).toEqual(['2026-11-03', '2026-11-04', '2026-11-05']);
    expect(digestDaysDue(before8, '2026-11-02')).toEqual(['2026-11-03', '2026-11-04']);
    expect(digestDaysDue(new Date('2026-12-01T01:00:00Z'), '2026-11-29')).toEqual(['2026-11-30', '2026-12-01']);
  });
});
