import type { AppDeps } from '../../server/src/core/deps';

export interface SeedContext {
  deps: AppDeps;
  /** One progress line (the runner prefixes the step name). */
  log(message: string): void;
}

/**
 * One seed step. `run` must be idempotent: upsert by natural keys (username, title + date, code…), never
 * insert blindly, so `npm run seed` can run again on a filled database without duplicates.
 */
export interface SeedStep {
  /** Short kebab-case name shown in the progress output. */
  name: string;
  run(ctx: SeedContext): Promise<void>;
}
