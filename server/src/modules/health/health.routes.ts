import Router from '@koa/router';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { validate } from '../../core/middleware';
import type { HealthService } from './health.service';

const healthResponse = z.object({ status: z.literal('ok') });
const readyResponse = z.object({
  status: z.literal('ready'),
  checks: z.object({ mongo: z.literal('ok'), redis: z.literal('ok') }),
});

export function createHealthRouter(service: HealthService): Router {
  const router = new Router();

  const alive = validate({}, { summary: '存活检查（进程在运行）', tags: ['health'], response: healthResponse, access: 'public' });
  router.get('/healthz', alive, (ctx) => {
    ctx.body = { status: 'ok' };
  });

  const ready = validate({}, { summary: '就绪检查（MongoDB 与 Redis 可用）', tags: ['health'], response: readyResponse, access: 'public' });
  router.get('/readyz', ready, async (ctx) => {
    const checks = await service.check();
    if (checks.mongo !== 'ok' || checks.redis !== 'ok') {
      throw new AppError('SERVICE_UNAVAILABLE', { details: { checks } });
    }
    ctx.body = { status: 'ready', checks };
  });

  return router;
}
