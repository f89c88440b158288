import { createHmac } from 'node:crypto';

/**
 * The lottery's draw, as a pure function so anyone holding the recorded seed and entrant list can re-run
 * it and get the same winners. Entrants are sorted (by id) first, so the order people signed up in does
 * not matter; then a Fisher–Yates shuffle driven by HMAC-SHA256(seed, counter) picks the first `count`.
 * Random integers use rejection sampling, so every entrant has exactly the same chance.
 */
export function drawWinners(seedHex: string, entrants: readonly string[], count: number): string[] {
  const pool = [...new Set(entrants)].sort();
  const key = Buffer.from(seedHex, 'hex');
  let counter = 0;
  let buffer = Buffer.alloc(0);
  const nextUint32 = (): number => {
    if (buffer.length < 4) {
      buffer = createHmac('sha256', key).update(`draw:${counter}`).digest();
      counter += 1;
    }
    const value = buffer.readUInt32BE(0);
    buffer = buffer.subarray(4);
    return value;
  };
  const below = (n: number): number => {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const v = nextUint32();
      if (v < limit) return v % n;
    }
  };
  const take = Math.min(count, pool.length);
  for (let i = 0; i < take; i += 1) {
    const j = i + below(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take);
}
