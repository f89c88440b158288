import { DEFAULT_NICKNAME_PREFIX, isDefaultNickname } from './users';

describe('isDefaultNickname', () => {
  it('recognises the name the server gives a new WeChat user, and nothing a person chose', () => {
    expect(isDefaultNickname(`${DEFAULT_NICKNAME_PREFIX}kgPP`)).toBe(true);
    expect(isDefaultNickname('微信用户')).toBe(false);
    expect(isDefaultNickname('微信用户小王同学')).toBe(false);
    expect(isDefaultNickname('张阿姨')).toBe(false);
  });
});
