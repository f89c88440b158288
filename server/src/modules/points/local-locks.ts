/**
 * In-process FIFO locks by key. Only an optimisation: correctness comes from MongoDB transactions (a
 * concurrent writer of the same account or goods document gets WriteConflict and retries). Queuing the
 * writers of one key inside a process saves the retry storm when many requests hit one account or one
 * goods item at once. Keys are taken in sorted order so two multi-key holders can't deadlock.
 */
const tails = new Map<string, Promise<void>>();

async function acquire(key: string): Promise<() => void> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  return () => {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  };
}

/** Runs `fn` holding every key (sorted, deduplicated). */
export async function withLocalLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
  const releases: Array<() => void> = [];
  try {
    for (const key of [...new Set(keys)].sort()) releases.push(await acquire(key));
    return await fn();
  } finally {
    for (const release of releases.reverse()) release();
  }
}
