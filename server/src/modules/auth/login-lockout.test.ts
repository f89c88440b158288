import { Redis } from 'ioredis';
import { startRedisServer, type RedisServerProcess } from '../../core/redis/redis-server';
import { createLoginLockout } from './login-lockout';

describe('staff login lockout (per username, in a real redis-server)', () => {
  let server: RedisServerProcess;
  let redis: Redis;
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
    const lockout = createLoginLockout(redis, policy);
    expect(await lockout.recordFailure('wang')).toBe(false);
    expect(await lockout.recordFailure('wang')).toBe(false);
    await expect(lockout.assertNotLocked('wang')).resolves.toBeUndefined();
    expect(await lockout.recordFailure('wang')).toBe(true);
    await expect(lockout.assertNotLocked('wang')).rejects.toMatchObject({
      code: 'ACCOUNT_LOCKED',
      message: '尝试次数过多，账号已临时锁定，请 10 分钟后再试',
    });
    expect(await redis.pttl('lockout:staff:wang')).toBeGreaterThan(590_000);
    await expect(lockout.assertNotLocked('li')).resolves.toBeUndefined();
  });

  it('counts concurrent failures atomically: none is lost, so the next one locks', async () => {
    const lockout = createLoginLockout(redis, policy);
    expect(await Promise.all([lockout.recordFailure('zhao'), lockout.recordFailure('zhao')])).toEqual([false, false]);
    await expect(lockout.assertNotLocked('zhao')).resolves.toBeUndefined();
    expect(await lockout.recordFailure('zhao')).toBe(true);
    await expect(lockout.assertNotLocked('zhao')).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('reset clears the count', async () => {
    const lockout = createLoginLockout(redis, policy);
    await lockout.recordFailure('chen');
    await lockout.recordFailure('chen');
    await lockout.reset('chen');
    expect(await lockout.recordFailure('chen')).toBe(false);
    expect(await lockout.recordFailure('chen')).toBe(false);
  });
});
