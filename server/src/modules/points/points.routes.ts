import type Router from '@koa/router';
import { z } from 'zod';
import {
  adjustBodySchema,
  adjustResponseSchema,
  balanceResponseSchema,
  expiringSoonQuerySchema,
  expiryDaysBodySchema,
  expiringSoonResponseSchema,
  ledgerQuerySchema,
  ledgerResponseSchema,
  pointsRuleSchema,
  rulesResponseSchema,
  sourceParamsSchema,
  updateRuleBodySchema,
  userIdParamsSchema,
} from '@shared/schemas/points';
import type { Middleware } from 'koa';
import { actorOf, currentUser } from '../../core/auth';
import { requestKeyOf } from '../../core/idempotency';
import { routes } from '../../core/middleware';
import type { PointsService } from './points.service';

/** 我的积分 (balance, ledger, expiring soon) and the admin side (rules, expiry period, adjustments). */
export function createPointsRouter(service: PointsService, idempotency: Middleware): Router {
  const api = routes(['points']);
  const ADMIN = { roles: ['admin'] } as const;

  api.get(
    '/api/v1/me/points',
    { summary: '我的积分余额（含即将过期）', response: balanceResponseSchema, access: 'signed_in' },
    (_input, ctx) => service.balance(currentUser(ctx).id),
  );
  api.get(
    '/api/v1/me/points/ledger',
    { query: ledgerQuerySchema, summary: '积分明细（游标分页，新的在前）', response: ledgerResponseSchema, access: 'signed_in' },
    ({ query }, ctx) => service.ledger(currentUser(ctx).id, query),
  );
  api.get(
    '/api/v1/me/points/expiring-soon',
    { query: expiringSoonQuerySchema, summary: '即将过期的积分', response: expiringSoonResponseSchema, access: 'signed_in' },
    ({ query }, ctx) => service.expiringSoon(currentUser(ctx).id, query.days),
  );
  api.get('/api/v1/admin/points/rules', { summary: '积分规则（管理员）', response: rulesResponseSchema, access: ADMIN }, () =>
    service.rules(),
  );
  api.put(
    '/api/v1/admin/points/rules/:source',
    {
      params: sourceParamsSchema,
      body: updateRuleBodySchema,
      summary: '修改某来源的积分规则（数量、每日/每月上限）',
      response: z.object({ rule: pointsRuleSchema }),
      access: ADMIN,
    },
    async ({ params, body }, ctx) => ({ rule: await service.updateRule(actorOf(ctx), params.source, body) }),
  );
  api.put(
    '/api/v1/admin/points/settings',
    { body: expiryDaysBodySchema, summary: '积分有效期（天）', response: expiryDaysBodySchema, access: ADMIN },
    async ({ body }, ctx) => ({ expiryDays: await service.setExpiryDays(actorOf(ctx), body.expiryDays) }),
  );
  api.get(
    '/api/v1/admin/users/:userId/points/ledger',
    {
      params: userIdParamsSchema,
      query: ledgerQuerySchema,
      summary: '某用户的积分明细（管理员）',
      response: ledgerResponseSchema,
      access: ADMIN,
    },
    ({ params, query }) => service.ledger(params.userId, query),
  );
  api.post(
    '/api/v1/admin/users/:userId/points/adjustments',
    {
      params: userIdParamsSchema,
      body: adjustBodySchema,
      summary: '人工调整积分（必须填写原因，记入审计日志）',
      response: adjustResponseSchema,
      status: 201,
      access: ADMIN,
      then: [idempotency],
    },
    ({ params, body }, ctx) => service.adjust(actorOf(ctx), params.userId, body.amount, body.reason, requestKeyOf(ctx)),
  );

  return api.router;
}
