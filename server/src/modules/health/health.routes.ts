import type Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { routes } from '../../core/middleware';
import type { HealthService } from './health.service';

const healthResponse = z.object({ status: z.literal('ok') });
const readyResponse = z.object({
  status: z.literal('ready'),
  checks: z.object({ mongo: z.literal('ok'), redis: z.literal('ok') }),
});

export function createHealthRouter(service: HealthService): Router {
  const api = routes(['health']);

  api.get('/healthz', { summary: '存活检查（进程在运行）', response: healthResponse, access: 'public' }, () => ({ status: 'ok' }));
  api.get('/readyz', { summary: '就绪检查（MongoDB 与 Redis 可用）', response: readyResponse, access: 'public' }, async () => {
    const checks = await service.check();
    if (checks.mongo !== 'ok' || checks.redis !== 'ok') {
      throw new AppError('SERVICE_UNAVAILABLE', { details: { checks } });
    }
    return { status: 'ready', checks };
  });

  return api.router;
}
