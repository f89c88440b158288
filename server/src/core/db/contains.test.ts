import { containsPattern } from './contains';

describe('containsPattern', () => {
  it('matches the words anywhere, ignoring case', () => {
    expect(containsPattern('Bridge').test('青溪 bridge 通车')).toBe(true);
    expect(containsPattern('大桥').test('青溪镇')).toBe(false);
  });

  it('matches RegExp characters literally', () => {
    expect(containsPattern('a.c').test('abc')).toBe(false);
    expect(containsPattern('a.c').test('xa.cx')).toBe(true);
    expect(containsPattern('(.*)').test('anything')).toBe(false);
    expect(containsPattern('[1]').test('第[1]期')).toBe(true);
  });
});
