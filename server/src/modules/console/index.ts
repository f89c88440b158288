import type { AppDeps, AppModule } from '../../core/deps';
import { createConsoleRouter } from './console.routes';
import { createConsoleService as createService, type ConsolePorts, type ConsoleService } from './console.service';

export type { ConsoleService } from './console.service';

/** The staff console's own API (its pages otherwise use the modules' endpoints); built once, in services.ts. */
export function createConsoleService(_deps: AppDeps, ports: ConsolePorts): ConsoleService {
  return createService(ports);
}

/** GET /api/v1/console/todo. The console's static build is served by core/middleware (serveConsole). */
export function createConsoleModule(_deps: AppDeps, { console: service }: { console: ConsoleService }): AppModule {
  return { router: createConsoleRouter(service) };
}
