import cron from 'node-cron';
import type { AppDeps } from '../core/deps';
import { createLocks, type LockOutcome } from '../core/locks';
import type { Services } from '../services';

/** What a job runs with: the app's deps and its services, built once by main.ts (never rebuilt per run). */
export interface JobContext {
  deps: AppDeps;
  services: Services;
}

export interface JobDefinition {
  /** Stable, kebab-case: also the lock name. */
  name: string;
  /** node-cron expression (5 or 6 fields). */
  schedule: string;
  /** Schedules are written in the county's local time. */
  timezone: 'Asia/Shanghai';
  /** Longer than one run may take: a crashed run blocks its slot at most this long. */
  lockTtlMs: number;
  /** The work itself: call the app's built services. `slot` is the scheduled instant. */
  run(context: JobContext, slot: Date): Promise<void>;
}

/** The part of a job that says when it runs: the cron expression, its timezone and the slot lock's life. */
export type Cadence = Pick<JobDefinition, 'schedule' | 'timezone' | 'lockTtlMs'>;

/**
 * Every `minutes` minutes, on the minute (Asia/Shanghai). The slot lock lapses before the next slot would
 * start: the interval less a minute, or less ten seconds for every-minute jobs.
 */
export function everyMinutes(minutes: 1 | 5 | 10): Cadence {
  return {
    schedule: minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`,
    timezone: 'Asia/Shanghai',
    lockTtlMs: minutes === 1 ? 50_000 : (minutes - 1) * 60_000,
  };
}

/**
 * A reconciliation job: runs `reconcile(slot)` and logs a warning with its report only when it repaired
 * something (any of `repairs` is non-zero); a quiet run logs nothing beyond the scheduler's line.
 */
export function reconcileJob<K extends string, R extends Record<K, number>>(job: {
  name: string;
  reconcile(services: Services, slot: Date): Promise<R>;
  repairs: readonly K[];
  message: string;
}): JobDefinition {
  return {
    name: job.name,
    ...everyMinutes(1),
    async run({ deps, services }, slot) {
      const report = await job.reconcile(services, slot);
      const fields: Record<string, unknown> = { job: job.name, ...report };
      if (job.repairs.some((key) => report[key] > 0)) deps.logger.warn(fields, job.message);
    },
  };
}

/**
 * Runs one scheduled slot of a job at most once across every API process: the lock is named after
 * the slot and held until it expires, so a peer whose timer fires a moment later finds it taken.
 */
export async function runJobSlot(context: JobContext, job: JobDefinition, slot: Date): Promise<LockOutcome<void>> {
  const { deps } = context;
  const locks = createLocks(deps.redis);
  const log = deps.logger.child({ job: job.name, slot: slot.toISOString() });
  const outcome = await locks.withLock(`job:${job.name}:${slot.toISOString()}`, job.lockTtlMs, () => job.run(context, slot), {
    holdUntilExpiry: true,
  });
  log.info({ ran: outcome.ran }, outcome.ran ? 'job ran' : 'job slot taken by another process');
  return outcome;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

/** Starts every job's schedule. Only main.ts calls this; createApp never does. */
export function startJobs(context: JobContext, jobs: readonly JobDefinition[]): RunningJobs {
  const { logger } = context.deps;
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async (tick) => {
        // Whole-second slot: every process computes the same lock name for the same tick.
        const slot = new Date(Math.floor(tick.date.getTime() / 1000) * 1000);
        try {
          await runJobSlot(context, job, slot);
        } catch (err) {
          logger.error({ err, job: job.name }, 'job failed');
        }
      },
      { name: job.name, timezone: job.timezone, noOverlap: true },
    ),
  );
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
