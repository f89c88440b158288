import type { AppDeps, AppModule } from '../../core/deps';
import { createStatsRouter } from './stats.routes';
import { createStatsService as createService, type StatsService } from './stats.service';
import type { StatsPorts } from './stats.ports';

export type { StatsService } from './stats.service';
export type { StatsPorts } from './stats.ports';

/** Daily roll-ups, the 数据看板 and the console's exports (built once, in services.ts; the roll-up job uses it). */
export function createStatsService(deps: AppDeps, ports: StatsPorts): StatsService {
  return createService({
    clock: deps.clock,
    logger: deps.logger.child({ module: 'stats' }),
    ports,
    backfillDays: 14,
    cacheMs: 60_000,
    // 200 answers, 16 MB of JSON (a year's answer is ~30 kB; the parsed answers add about as much again).
    cacheMaxEntries: 200,
    cacheMaxBytes: 16 * 1024 * 1024,
  });
}

/** GET /api/v1/console/dashboard, GET /api/v1/console/exports/:kind. */
export function createStatsModule(_deps: AppDeps, { stats }: { stats: StatsService }): AppModule {
  return { router: createStatsRouter(stats) };
}
