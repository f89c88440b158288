import type { AppDeps } from '../../server/src/core/deps';
import type { Services } from '../../server/src/services';

export interface SeedContext {
  deps: AppDeps;
  /** The API's services, built once (buildServices) by whoever runs the seed. */
  services: Services;
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
