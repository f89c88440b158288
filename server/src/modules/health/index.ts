import type { AppDeps, AppModule } from '../../core/deps';
import { createHealthRouter } from './health.routes';
import { createHealthService } from './health.service';

export type { HealthService } from './health.service';

/** Liveness (`/healthz`) and readiness (`/readyz`) probes for the load balancer. */
export function createHealthModule(deps: AppDeps): AppModule & { service: ReturnType<typeof createHealthService> } {
  const service = createHealthService(deps);
  return { router: createHealthRouter(service), service };
}
