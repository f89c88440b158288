import cron from 'node-cron';
import type { AppDeps } from '../core/deps';
import { createLocks, type LockOutcome } from '../core/locks';

export interface JobDefinition {
  /** Stable, kebab-case: also the lock name. */
  name: string;
  /** node-cron expression (5 or 6 fields). */
  schedule: string;
  /** Schedules are written in the county's local time. */
  timezone: 'Asia/Shanghai';
  /** Longer than one run may take: a crashed run blocks its slot at most this long. */
  lockTtlMs: number;
  /** The work itself: call module services, built from deps. `slot` is the scheduled instant. */
  run(deps: AppDeps, slot: Date): Promise<void>;
}

/**
 * Runs one scheduled slot of a job at most once across every API process: the lock is named after
 * the slot and held until it expires, so a peer whose timer fires a moment later finds it taken.
 */
export async function runJobSlot(deps: AppDeps, job: JobDefinition, slot: Date): Promise<LockOutcome<void>> {
  const locks = createLocks(deps.redis);
  const log = deps.logger.child({ job: job.name, slot: slot.toISOString() });
  const outcome = await locks.withLock(`job:${job.name}:${slot.toISOString()}`, job.lockTtlMs, () => job.run(deps, slot), {
    holdUntilExpiry: true,
  });
  log.info({ ran: outcome.ran }, outcome.ran ? 'job ran' : 'job slot taken by another process');
  return outcome;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

/** Starts every job's schedule. Only main.ts calls this; createApp never does. */
export function startJobs(deps: AppDeps, jobs: readonly JobDefinition[]): RunningJobs {
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async (context) => {
        // Whole-second slot: every process computes the same lock name for the same tick.
        const slot = new Date(Math.floor(context.date.getTime() / 1000) * 1000);
        try {
          await runJobSlot(deps, job, slot);
        } catch (err) {
          deps.logger.error({ err, job: job.name }, 'job failed');
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
