import type { Redis } from 'ioredis';

/** Most keys one MGET carries; a bigger burst is sent at once and the rest start the next batch. */
const MAX_KEYS = 512;

interface Waiting {
  keys: readonly string[];
  resolve(values: Array<string | null>): void;
  reject(err: unknown): void;
}

/**
 * MGETs of concurrent requests joined into one: the reads asked for while the event loop handles one round
 * of sockets go to Redis as a single MGET after it (setImmediate), and each caller gets its own values
 * (or the same error, as its own MGET would have). At release time dozens of requests arrive per round, so
 * this turns dozens of round trips (a write, a wake-up of Redis and a reply each) into one.
 */
export function createBatchedMget(redis: Redis): (keys: readonly string[]) => Promise<Array<string | null>> {
  let waiting: Waiting[] = [];
  let keyCount = 0;
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    keyCount = 0;
    if (batch.length === 0) return;
    const keys: string[] = [];
    for (const w of batch) for (const k of w.keys) keys.push(k);
    redis.mget(keys).then(
      (values) => {
        let at = 0;
        for (const w of batch) {
          w.resolve(values.slice(at, at + w.keys.length));
          at += w.keys.length;
        }
      },
      (err: unknown) => {
        for (const w of batch) w.reject(err);
      },
    );
  }

  return (keys) =>
    new Promise((resolve, reject) => {
      waiting.push({ keys, resolve, reject });
      keyCount += keys.length;
      if (keyCount >= MAX_KEYS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
