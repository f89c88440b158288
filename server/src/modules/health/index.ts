import type { AppDeps, AppModule } from '../../core/deps';
import { createHealthRouter } from './health.routes';
import type { HealthService } from './health.service';

export { createHealthService, type HealthService } from './health.service';

/** Liveness (`/healthz`) and readiness (`/readyz`) probes for the load balancer. */
export function createHealthModule(_deps: AppDeps, { health }: { health: HealthService }): AppModule {
  return { router: createHealthRouter(health) };
}
