/** How far a shop or an activity is, as 商家 and 活动 write it (miniprogram/src/utils/distance.ts). */
import { distanceText } from '../../miniprogram/src/utils/distance';

describe('distanceText', () => {
  it('writes metres, then kilometres with one decimal, then whole kilometres', () => {
    expect(distanceText(null)).toBe('');
    expect(distanceText(40)).toBe('100 米内');
    expect(distanceText(715)).toBe('715 米');
    expect(distanceText(1230)).toBe('1.2 公里');
    expect(distanceText(4649)).toBe('4.6 公里');
    expect(distanceText(99_940)).toBe('99.9 公里');
    expect(distanceText(1_230_000)).toBe('1230 公里');
  });
});
