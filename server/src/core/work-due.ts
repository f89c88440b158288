import type { ErrorCode } from '@shared/errors';
import { isAppError } from './errors';

/**
 * A cron job's catch-up: does `run` for each due item in turn and counts those done here. An item refused
 * with `doneElsewhere` (another process, or a person, got there first) is skipped; any other error stops
 * the run, and the next slot picks up what is left.
 */
export async function workDue<T>(items: readonly T[], run: (item: T) => Promise<unknown>, doneElsewhere: ErrorCode): Promise<number> {
  let done = 0;
  for (const item of items) {
    try {
      await run(item);
      done += 1;
    } catch (err) {
      if (!(isAppError(err) && err.code === doneElsewhere)) throw err;
    }
  }
  return done;
}
