import { withLocalLocks } from './local-locks';
import { daysOfMonth, shanghaiDay, shanghaiMonth } from './points.service';

describe('Asia/Shanghai days and months for caps', () => {
  it('turns the day and the month over at midnight in Shanghai, not UTC', () => {
    expect(shanghaiDay(new Date('2026-11-24T15:59:59Z'))).toBe('2026-11-24');
    expect(shanghaiDay(new Date('2026-11-24T16:00:00Z'))).toBe('2026-11-25');
    expect(shanghaiMonth(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
    expect(shanghaiMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
  });

  it('lists every day of a month for the monthly cap (which reads the day index), leap years included', () => {
    expect(daysOfMonth('2026-11')).toHaveLength(30);
    expect(daysOfMonth('2026-12')[0]).toBe('2026-12-01');
    expect(daysOfMonth('2026-12').at(-1)).toBe('2026-12-31');
    expect(daysOfMonth('2027-02')).toHaveLength(28);
    expect(daysOfMonth('2028-02').at(-1)).toBe('2028-02-29');
    const at = new Date('2026-11-30T16:00:00Z');
    expect(daysOfMonth(shanghaiMonth(at))).toContain(shanghaiDay(at));
  });
});

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
