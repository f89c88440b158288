import { Redis } from 'ioredis';
import { isNoScript, LuaScript } from './lua-script';
import { startRedisServer, type RedisServerProcess } from './redis-server';

// Its own redis-server: SCRIPT FLUSH empties the script cache of the whole server, which must not reach
// the suites sharing the harness's one.
describe('LuaScript (EVALSHA, EVAL when Redis forgot the script) against a real redis-server', () => {
  let server: RedisServerProcess;
  let redis: Redis;
  const incr = new LuaScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('runs by SHA once Redis knows the script, with keys and arguments', async () => {
    expect(incr.sha).toMatch(/^[0-9a-f]{40}$/);
    await redis.script('LOAD', incr.source);
    expect(await incr.run(redis, ['n'], [2])).toBe(2);
    expect(await incr.run(redis, ['n'], ['3'])).toBe(5);
  });

  it('falls back to EVAL after SCRIPT FLUSH, which loads it again for the next EVALSHA', async () => {
    await redis.del('m');
    expect(await incr.run(redis, ['m'], [1])).toBe(1);
    await redis.script('FLUSH');
    expect(await redis.script('EXISTS', incr.sha)).toEqual([0]);
    expect(await incr.run(redis, ['m'], [1])).toBe(2);
    expect(await redis.script('EXISTS', incr.sha)).toEqual([1]);
    expect(await incr.run(redis, ['m'], [1])).toBe(3);
  });

  it('passes any other error on, without a second attempt', async () => {
    const failing = new LuaScript(`redis.call('INCR', KEYS[1]) return redis.call('HGET', KEYS[1], 'x')`);
    await redis.del('f');
    await expect(failing.run(redis, ['f'], [])).rejects.toThrow(/WRONGTYPE/);
    // The script ran once (EVAL after NOSCRIPT), not twice.
    expect(await redis.get('f')).toBe('1');
  });

  it('recognises NOSCRIPT replies, e.g. inside a pipeline', async () => {
    await redis.script('FLUSH');
    const replies = await redis.pipeline().evalsha(incr.sha, 1, 'p', 1).exec();
    expect(isNoScript(replies?.[0]?.[0])).toBe(true);
    expect(isNoScript(new Error('WRONGTYPE'))).toBe(false);
    expect(isNoScript(undefined)).toBe(false);
  });
});
