/**
 * The queue behind every batched durable write (coupon claims, contest votes, mall redemptions). A request
 * has its answer already (a Redis gate admitted it and logged it as pending); the record follows here:
 * items queued within `lingerMs` of each other share one write, one batch is in flight at a time (the next
 * grows while the database works), and a full batch goes at once.
 *
 * The writer knows nothing of what it writes. The domain's `write(batch)` says which items failed; those are
 * retried after `retryDelaysMs` (per attempt) and then given up — they stay in the domain's pending log for
 * its reconciliation, which is why a bounded queue may refuse items too: refused, an item is not lost.
 */

/** What one batch write reports: the items that did not land (the others did). */
export interface BatchResult<T> {
  failed: readonly T[];
  /** Why (for the log), when something failed. */
  error?: unknown;
}

export interface BatchWriterOptions<T> {
  /**
   * Writes one batch. Items not listed as failed are written. A throw counts as the whole batch failing with
   * that error.
   */
  write(batch: readonly T[]): Promise<BatchResult<T> | void>;
  /** Most items per write. */
  maxBatch: number;
  /** How long a lone item waits for others to share its write. */
  lingerMs: number;
  /** Delay before each further attempt of a failed item (default none: a failed item is given up at once). */
  retryDelaysMs?: readonly number[];
  /** Most items queued at once (default unbounded); past it, write() answers false without queueing. */
  maxQueued?: number;
  /** Failed items: `retryInMs` null when given up (they stay pending for reconciliation). */
  onFailure?(items: readonly T[], error: unknown, retry: { attempt: number; retryInMs: number | null }): void;
  /** The queue reached `maxQueued` (called once each time it fills up). */
  onOverflow?(queued: number): void;
}

export interface BatchWriter<T> {
  /**
   * Queues an item. Resolves true once it is written, false when it is given up (after its retries), refused
   * by a full queue, or queued after close(). Callers need not wait: the item is in a pending log already.
   */
  write(item: T): Promise<boolean>;
  /**
   * Writes what is queued now and resolves when every item queued before the call has had its attempt (a
   * retry waiting on its timer excepted). Items queued after the call are not waited for: under a sustained
   * rush the queue never empties, and whoever waits must not wait for the rush to end.
   */
  idle(): Promise<void>;
  /** Writes what is queued, gives up waiting retries (false: their items stay pending) and refuses further items. */
  close(): Promise<void>;
  /** Items queued and not yet in a write. */
  readonly queued: number;
}

interface Queued<T> {
  item: T;
  attempt: number;
  settle(written: boolean): void;
}

export function createBatchWriter<T>(options: BatchWriterOptions<T>): BatchWriter<T> {
  const { maxBatch, lingerMs, retryDelaysMs = [], maxQueued = Infinity } = options;
  let queue: Array<Queued<T>> = [];
  let inFlight = false;
  let timer: NodeJS.Timeout | undefined;
  let overflowing = false;
  let closed = false;
  const retries = new Map<NodeJS.Timeout, Array<Queued<T>>>();
  // Items leave the queue in the order they entered it, so "queued before" is a count: how many were ever
  // queued and how many of those have had their attempt. idle() waits for the count at its call.
  let queuedTotal = 0;
  let triedTotal = 0;
  let waiters: Array<{ upTo: number; resolve: () => void }> = [];

  function settleWaiters(): void {
    if (!waiters.some((w) => w.upTo <= triedTotal)) return;
    const due = waiters.filter((w) => w.upTo <= triedTotal);
    waiters = waiters.filter((w) => w.upTo > triedTotal);
    for (const w of due) w.resolve();
  }

  function schedule(): void {
    if (inFlight || queue.length === 0) return;
    // Full, or someone waits on idle(): the batch goes now instead of after its linger.
    if (queue.length >= maxBatch || waiters.length > 0) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      void flush();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        void flush();
      }, lingerMs);
    }
  }

  async function flush(): Promise<void> {
    if (inFlight || queue.length === 0) return;
    const batch = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue;
    if (batch === queue) queue = [];
    inFlight = true;
    let result: BatchResult<T>;
    try {
      result = (await options.write(batch.map((q) => q.item))) ?? { failed: [] };
    } catch (error) {
      result = { failed: batch.map((q) => q.item), error };
    }
    inFlight = false;
    triedTotal += batch.length;
    const failed = new Set(result.failed);
    const byAttempt = new Map<number, Array<Queued<T>>>();
    for (const q of batch) {
      if (!failed.has(q.item)) q.settle(true);
      else byAttempt.set(q.attempt, [...(byAttempt.get(q.attempt) ?? []), q]);
    }
    for (const [attempt, items] of byAttempt) retry(attempt, items, result.error);
    schedule();
    settleWaiters();
  }

  function retry(attempt: number, items: Array<Queued<T>>, error: unknown): void {
    const delay = closed ? undefined : retryDelaysMs[attempt];
    options.onFailure?.(
      items.map((q) => q.item),
      error,
      { attempt: attempt + 1, retryInMs: delay ?? null },
    );
    if (delay === undefined) {
      for (const q of items) q.settle(false);
      return;
    }
    const handle = setTimeout(() => {
      retries.delete(handle);
      for (const q of items) enqueue({ ...q, attempt: attempt + 1 });
    }, delay);
    handle.unref();
    retries.set(handle, items);
  }

  function enqueue(q: Queued<T>): void {
    queue.push(q);
    queuedTotal += 1;
    schedule();
  }

  return {
    write(item) {
      if (closed) return Promise.resolve(false);
      if (queue.length >= maxQueued) {
        if (!overflowing) {
          overflowing = true;
          options.onOverflow?.(queue.length);
        }
        return Promise.resolve(false);
      }
      overflowing = false;
      return new Promise<boolean>((settle) => enqueue({ item, attempt: 0, settle }));
    },
    idle() {
      const upTo = queuedTotal;
      if (triedTotal >= upTo) return Promise.resolve();
      const done = new Promise<void>((resolve) => waiters.push({ upTo, resolve }));
      schedule();
      return done;
    },
    async close() {
      closed = true;
      for (const [handle, items] of retries) {
        clearTimeout(handle);
        for (const q of items) q.settle(false);
      }
      retries.clear();
      await this.idle();
    },
    get queued() {
      return queue.length;
    },
  };
}
