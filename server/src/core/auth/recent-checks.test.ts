import { CHECK_TTL_MS, createRecentChecks, type RecentChecks } from './recent-checks';

describe('recent token checks: bounded, and forgotten at once by logout or role change', () => {
  let recent: RecentChecks;
  beforeEach(() => {
    recent = createRecentChecks();
  });
  const remember = (jti: string, sub: string) => recent.remember(recent.generation(), jti, { sub, version: '1', denied: false });

  it('keeps recent entries across a rush of 25,000 tokens and forgets a user in either generation', () => {
    for (let i = 0; i < 25_000; i += 1) remember(`rush-${i}`, `user-${i % 100}`);
    // The last half-size generation and the one before it are still known.
    expect(recent.get('rush-24999')).toMatchObject({ sub: 'user-99' });
    expect(recent.get('rush-12000')).toMatchObject({ sub: 'user-0' });
    // The oldest were dropped (the cache is bounded).
    expect(recent.get('rush-0')).toBeUndefined();
    recent.forget({ sub: 'user-0' });
    expect(recent.get('rush-12000')).toBeUndefined();
    expect(recent.get('rush-24900')).toBeUndefined();
    expect(recent.get('rush-24901')).toMatchObject({ sub: 'user-1' });
    recent.forget({ jti: 'rush-24901' });
    expect(recent.get('rush-24901')).toBeUndefined();
  });

  it('does not store a check that was in flight while something was forgotten', () => {
    const gen = recent.generation();
    recent.forget({ jti: 'other' });
    recent.remember(gen, 'stale', { sub: 'u', version: null, denied: false });
    expect(recent.get('stale')).toBeUndefined();
  });

  it('answers from memory only within CHECK_TTL_MS', () => {
    const now = jest.spyOn(performance, 'now');
    now.mockReturnValue(1_000_000);
    remember('ttl', 'u');
    now.mockReturnValue(1_000_000 + CHECK_TTL_MS - 1);
    expect(recent.get('ttl')).toBeDefined();
    now.mockReturnValue(1_000_000 + CHECK_TTL_MS);
    expect(recent.get('ttl')).toBeUndefined();
    now.mockRestore();
  });
});
