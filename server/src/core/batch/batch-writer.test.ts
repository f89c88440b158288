/** The batch writer's queue: batching by size and linger, one write in flight, idle() by count, retries, bound, close(). */
import { createBatchWriter, type BatchResult } from './batch-writer';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A write whose batches are recorded and finish when the test says so. */
function recorder<T>(fail: (item: T) => boolean = () => false) {
  const batches: T[][] = [];
  const gates: Array<() => void> = [];
  let hold = false;
  return {
    batches,
    hold(on: boolean) {
      hold = on;
    },
    release() {
      for (const open of gates.splice(0)) open();
    },
    async write(batch: readonly T[]): Promise<BatchResult<T>> {
      batches.push([...batch]);
      if (hold) await new Promise<void>((r) => gates.push(r));
      return { failed: batch.filter(fail), error: new Error('refused') };
    },
  };
}

describe('createBatchWriter', () => {
  it('shares one write among the items queued within the linger, and resolves each item true once written', async () => {
    const w = recorder<number>();
    const writer = createBatchWriter({ write: w.write, maxBatch: 100, lingerMs: 10 });
    const written = [1, 2, 3].map((n) => writer.write(n));
    expect(w.batches).toEqual([]);
    await expect(Promise.all(written)).resolves.toEqual([true, true, true]);
    expect(w.batches).toEqual([[1, 2, 3]]);
  });

  it('sends a full batch at once, keeps one write in flight and lets the next batch grow meanwhile', async () => {
    const w = recorder<number>();
    w.hold(true);
    const writer = createBatchWriter({ write: w.write, maxBatch: 2, lingerMs: 10_000 });
    void writer.write(1);
    void writer.write(2);
    await tick();
    expect(w.batches).toEqual([[1, 2]]);
    for (const n of [3, 4, 5]) void writer.write(n);
    await tick();
    expect(w.batches).toHaveLength(1);
    w.hold(false);
    w.release();
    await writer.idle();
    expect(w.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('idle() flushes at once and waits only for the items queued before it, not for a rush', async () => {
    const w = recorder<number>();
    const writer = createBatchWriter({
      write: async (b: readonly number[]) => {
        await tick(3);
        return w.write(b);
      },
      maxBatch: 5,
      lingerMs: 10_000,
    });
    for (const n of [1, 2, 3]) void writer.write(n);
    let answered = false;
    let n = 100;
    const rush = (async () => {
      const until = Date.now() + 5_000;
      while (!answered && Date.now() < until) {
        for (let i = 0; i < 10; i += 1) void writer.write((n += 1));
        await tick(1);
      }
      return Date.now() < until;
    })();
    await writer.idle();
    answered = true;
    expect(await rush).toBe(true);
    expect(w.batches.flat()).toEqual(expect.arrayContaining([1, 2, 3]));
    await writer.idle();
    expect(writer.queued).toBe(0);
    // idle() with nothing queued answers at once.
    await expect(writer.idle()).resolves.toBeUndefined();
  });

  it('retries failed items after their delays, then gives them up (false) and reports each step', async () => {
    const w = recorder<string>((item) => item.startsWith('bad'));
    const reports: Array<{ items: readonly string[]; attempt: number; retryInMs: number | null }> = [];
    const writer = createBatchWriter<string>({
      write: w.write,
      maxBatch: 10,
      lingerMs: 1,
      retryDelaysMs: [5, 10],
      onFailure: (items, _err, { attempt, retryInMs }) => reports.push({ items, attempt, retryInMs }),
    });
    const [good, bad] = [writer.write('good'), writer.write('bad')];
    await expect(good).resolves.toBe(true);
    await expect(bad).resolves.toBe(false);
    expect(w.batches).toEqual([['good', 'bad'], ['bad'], ['bad']]);
    expect(reports).toEqual([
      { items: ['bad'], attempt: 1, retryInMs: 5 },
      { items: ['bad'], attempt: 2, retryInMs: 10 },
      { items: ['bad'], attempt: 3, retryInMs: null },
    ]);
  });

  it('counts a throwing write as the whole batch failing with its error', async () => {
    const errors: unknown[] = [];
    const writer = createBatchWriter<number>({
      write: () => Promise.reject(new Error('down')),
      maxBatch: 10,
      lingerMs: 1,
      onFailure: (_items, err) => errors.push(err),
    });
    await expect(Promise.all([writer.write(1), writer.write(2)])).resolves.toEqual([false, false]);
    expect(errors).toEqual([new Error('down')]);
  });

  it('refuses items past its bound (false at once) and reports the overflow once', async () => {
    const w = recorder<number>();
    w.hold(true);
    const overflows: number[] = [];
    const writer = createBatchWriter({ write: w.write, maxBatch: 1, lingerMs: 1, maxQueued: 2, onOverflow: (n) => overflows.push(n) });
    void writer.write(1);
    await tick();
    expect(w.batches).toEqual([[1]]);
    const queued = [writer.write(2), writer.write(3)];
    await expect(writer.write(4)).resolves.toBe(false);
    await expect(writer.write(5)).resolves.toBe(false);
    expect(overflows).toEqual([2]);
    w.hold(false);
    w.release();
    await expect(Promise.all(queued)).resolves.toEqual([true, true]);
  });

  it('close() writes what is queued, drops waiting retries and refuses further items', async () => {
    const w = recorder<string>((item) => item === 'bad');
    const writer = createBatchWriter<string>({ write: w.write, maxBatch: 10, lingerMs: 10_000, retryDelaysMs: [60_000] });
    const first = writer.write('bad');
    await writer.idle();
    const queued = writer.write('queued');
    await writer.close();
    await expect(queued).resolves.toBe(true);
    await expect(writer.write('late')).resolves.toBe(false);
    expect(w.batches).toEqual([['bad'], ['queued']]);
    // The retry waiting on its timer was given up, not written: its item stays pending.
    await expect(first).resolves.toBe(false);
  });
});
