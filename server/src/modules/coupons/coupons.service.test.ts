/** Pure parts of coupons: the lottery draw (deterministic, order-independent, no repeats) and the gate's key layout (the rules: coupon-rules.test.ts). */
import { gateKeys } from './coupon-gate';
import { drawWinners } from './lottery';

describe('drawWinners', () => {
  const entrants = Array.from({ length: 50 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
  const seed = 'a1'.repeat(32);

  it('gives the same winners for the same seed and entrants, whatever their order', () => {
    const first = drawWinners(seed, entrants, 10);
    expect(drawWinners(seed, [...entrants].reverse(), 10)).toEqual(first);
    expect(drawWinners(seed, [...entrants, ...entrants.slice(0, 5)], 10)).toEqual(first);
    expect(new Set(first).size).toBe(10);
    for (const w of first) expect(entrants).toContain(w);
  });

  it('gives different winners for a different seed', () => {
    expect(drawWinners('b2'.repeat(32), entrants, 10)).not.toEqual(drawWinners(seed, entrants, 10));
  });

  it('hands out at most one coupon per entrant when there are fewer entrants than coupons', () => {
    expect(drawWinners(seed, ['x', 'y'], 5).sort()).toEqual(['x', 'y']);
    expect(drawWinners(seed, [], 5)).toEqual([]);
  });
});

describe('gateKeys', () => {
  it('keeps every key of a batch in one cluster slot (shared hash tag)', () => {
    const keys = gateKeys('656f0c0e8a1b2c3d4e5f6a7b');
    expect(keys).toHaveLength(5);
    for (const k of keys) expect(k).toContain('{656f0c0e8a1b2c3d4e5f6a7b}');
  });
});
