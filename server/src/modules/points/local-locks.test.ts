/** The in-process lock the ledger takes per account before its transaction: one holder per key, arrival order, no deadlock. */
import { withLocalLocks } from './local-locks';

describe('withLocalLocks', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

  it('runs holders of one key one at a time, in arrival order', async () => {
    const log: string[] = [];
    await Promise.all(
      [1, 2, 3].map((i) =>
        withLocalLocks(['k'], async () => {
          log.push(`start ${i}`);
          await tick();
          log.push(`end ${i}`);
        }),
      ),
    );
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('lets different keys run together and never deadlocks on keys taken in opposite orders', async () => {
    let concurrent = 0;
    let most = 0;
    const run = (keys: string[]) =>
      withLocalLocks(keys, async () => {
        concurrent += 1;
        most = Math.max(most, concurrent);
        await tick();
        concurrent -= 1;
      });
    await Promise.all([run(['a']), run(['b'])]);
    expect(most).toBe(2);
    await expect(Promise.all([run(['x', 'y']), run(['y', 'x']), run(['x', 'y'])])).resolves.toHaveLength(3);
  });

  it('releases the lock when the holder throws', async () => {
    await expect(withLocalLocks(['e'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withLocalLocks(['e'], async () => 'next')).resolves.toBe('next');
  });
});
