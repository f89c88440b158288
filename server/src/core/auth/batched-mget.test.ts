import type { Redis } from 'ioredis';
import { createBatchedMget } from './batched-mget';

/** A stand-in for the one command used, recording each MGET sent (the real Redis is in the HTTP suites). */
function fakeRedis(values: Record<string, string>, fail = false) {
  const sent: string[][] = [];
  const redis = {
    mget: async (keys: string[]) => {
      sent.push(keys);
      if (fail) throw new Error('Connection is closed.');
      return keys.map((k) => values[k] ?? null);
    },
  } as unknown as Redis;
  return { redis, sent };
}

describe('batched MGET: concurrent reads share one round trip', () => {
  it('sends the reads asked for together as one MGET and gives each caller its own values', async () => {
    const { redis, sent } = fakeRedis({ a: '1', c: '3', d: '4' });
    const mget = createBatchedMget(redis);
    const answers = await Promise.all([mget(['a', 'b']), mget(['c']), mget(['d', 'a'])]);
    expect(answers).toEqual([['1', null], ['3'], ['4', '1']]);
    expect(sent).toEqual([['a', 'b', 'c', 'd', 'a']]);
    expect(await mget(['c'])).toEqual(['3']);
    expect(sent).toHaveLength(2);
  });

  it('hands the error to every caller of a failed MGET', async () => {
    const { redis } = fakeRedis({}, true);
    const mget = createBatchedMget(redis);
    const results = await Promise.allSettled([mget(['a']), mget(['b'])]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'Connection is closed.',
      'Connection is closed.',
    ]);
  });

  it('sends a burst of more than 512 keys without waiting for the end of the round', async () => {
    const { redis, sent } = fakeRedis({});
    const mget = createBatchedMget(redis);
    const all = Promise.all(Array.from({ length: 300 }, (_, i) => mget([`v${i}`, `d${i}`])));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(512);
    await all;
    expect(sent.flat()).toHaveLength(600);
  });
});
