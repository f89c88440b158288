import { Redis } from 'ioredis';
import { TestClock } from '../../core/clock';
import { startRedisServer, type RedisServerProcess } from '../../core/redis/redis-server';
import { createLoginLockout } from './login-lockout';

describe('staff login lockout (per username, in a real redis-server, on the business clock)', () => {
  let server: RedisServerProcess;
  let redis: Redis;
  const clock = new TestClock('2026-03-01T02:00:00Z');
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    await redis.quit();
    await server.stop();
  });

  const policy = { maxFailures: 3, windowSeconds: 60, lockSeconds: 600 };

  it('locks on the Nth failure for the full lock time and reports the minutes left', async () => {
    const lockout = createLoginLockout(redis, clock, policy);
    expect(await lockout.recordFailure('wang')).toBe(false);
    expect(await lockout.recordFailure('wang')).toBe(false);
    await expect(lockout.assertNotLocked('wang')).resolves.toBeUndefined();
    expect(await lockout.recordFailure('wang')).toBe(true);
    await expect(lockout.assertNotLocked('wang')).rejects.toMatchObject({
      code: 'ACCOUNT_LOCKED',
      message: '尝试次数过多，账号已临时锁定，请 10 分钟后再试',
      details: { retryAfterSeconds: 600 },
    });
    clock.advance(4 * 60_000 + 30_000);
    await expect(lockout.assertNotLocked('wang')).rejects.toMatchObject({
      message: '尝试次数过多，账号已临时锁定，请 6 分钟后再试',
      details: { retryAfterSeconds: 330 },
    });
    await expect(lockout.assertNotLocked('li')).resolves.toBeUndefined();
  });

  it('unlocks when the business clock passes the lock, and the count starts over', async () => {
    const lockout = createLoginLockout(redis, clock, policy);
    for (let i = 0; i < 3; i++) await lockout.recordFailure('sun');
    await expect(lockout.assertNotLocked('sun')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    clock.advance(600_000 - 1000);
    await expect(lockout.assertNotLocked('sun')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    clock.advance(1000);
    await expect(lockout.assertNotLocked('sun')).resolves.toBeUndefined();
    expect(await lockout.recordFailure('sun')).toBe(false);
    expect(await lockout.recordFailure('sun')).toBe(false);
    expect(await lockout.recordFailure('sun')).toBe(true);
  });

  it('forgets failures older than the window', async () => {
    const lockout = createLoginLockout(redis, clock, policy);
    expect(await lockout.recordFailure('zhou')).toBe(false);
    expect(await lockout.recordFailure('zhou')).toBe(false);
    clock.advance(60_000);
    expect(await lockout.recordFailure('zhou')).toBe(false);
    expect(await lockout.recordFailure('zhou')).toBe(false);
    await expect(lockout.assertNotLocked('zhou')).resolves.toBeUndefined();
    expect(await lockout.recordFailure('zhou')).toBe(true);
  });

  it('counts concurrent failures atomically: none is lost, and a burst locks exactly once', async () => {
    const lockout = createLoginLockout(redis, clock, policy);
    expect(await Promise.all([lockout.recordFailure('zhao'), lockout.recordFailure('zhao')])).toEqual([false, false]);
    await expect(lockout.assertNotLocked('zhao')).resolves.toBeUndefined();
    expect(await lockout.recordFailure('zhao')).toBe(true);
    await expect(lockout.assertNotLocked('zhao')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });

    const burst = await Promise.all(Array.from({ length: 8 }, () => lockout.recordFailure('qian')));
    expect(burst.filter(Boolean)).toHaveLength(1);
  });

  it('reset clears the count', async () => {
    const lockout = createLoginLockout(redis, clock, policy);
    await lockout.recordFailure('chen');
    await lockout.recordFailure('chen');
    await lockout.reset('chen');
    expect(await lockout.recordFailure('chen')).toBe(false);
    expect(await lockout.recordFailure('chen')).toBe(false);
  });
});
