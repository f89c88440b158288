/** The certificate's public check masks the holder's name: enough to match a paper certificate, not to find the person. */
import { hoursOf } from './checkin-code';
import { maskName } from './service-record';

describe('certificate check', () => {
  it('keeps the first character of a name and masks the rest, one star at least', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName(' 李 ')).toBe('李*');
    expect(maskName('   ')).toBe('*');
  });

  it('shows service hours to one decimal', () => {
    expect(hoursOf(90)).toBe(1.5);
    expect(hoursOf(100)).toBe(1.7);
    expect(hoursOf(0)).toBe(0);
  });
});
