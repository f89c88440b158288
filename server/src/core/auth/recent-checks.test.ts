import { CHECK_TTL_MS, checkGeneration, forgetChecks, recentCheck, rememberCheck } from './recent-checks';

describe('recent token checks: bounded, and forgotten at once by logout or role change', () => {
  const remember = (jti: string, sub: string) => rememberCheck(checkGeneration(), jti, { sub, version: '1', denied: false });

  it('keeps recent entries across a rush of 25,000 tokens and forgets a user in either generation', () => {
    for (let i = 0; i < 25_000; i += 1) remember(`rush-${i}`, `user-${i % 100}`);
    // The last half-size generation and the one before it are still known.
    expect(recentCheck('rush-24999')).toMatchObject({ sub: 'user-99' });
    expect(recentCheck('rush-12000')).toMatchObject({ sub: 'user-0' });
    // The oldest were dropped (the cache is bounded).
    expect(recentCheck('rush-0')).toBeUndefined();
    forgetChecks({ sub: 'user-0' });
    expect(recentCheck('rush-12000')).toBeUndefined();
    expect(recentCheck('rush-24900')).toBeUndefined();
    expect(recentCheck('rush-24901')).toMatchObject({ sub: 'user-1' });
    forgetChecks({ jti: 'rush-24901' });
    expect(recentCheck('rush-24901')).toBeUndefined();
  });

  it('does not store a check that was in flight while something was forgotten', () => {
    const gen = checkGeneration();
    forgetChecks({ jti: 'other' });
    rememberCheck(gen, 'stale', { sub: 'u', version: null, denied: false });
    expect(recentCheck('stale')).toBeUndefined();
  });

  it('answers from memory only within CHECK_TTL_MS', () => {
    const now = jest.spyOn(performance, 'now');
    now.mockReturnValue(1_000_000);
    remember('ttl', 'u');
    now.mockReturnValue(1_000_000 + CHECK_TTL_MS - 1);
    expect(recentCheck('ttl')).toBeDefined();
    now.mockReturnValue(1_000_000 + CHECK_TTL_MS);
    expect(recentCheck('ttl')).toBeUndefined();
    now.mockRestore();
  });
});
