import Router from '@koa/router';
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
import { actorOf, currentUser, requireAuth, requireRole } from '../../core/auth';
import { requestKeyOf } from '../../core/idempotency';
import { validate } from '../../core/middleware';
import type { PointsService } from './points.service';

/** 我的积分 (balance, ledger, expiring soon) and the admin side (rules, expiry period, adjustments). */
export function createPointsRouter(service: PointsService, idempotency: Middleware): Router {
  const router = new Router();
  const tags = ['points'];

  const balance = validate({}, { summary: '我的积分余额（含即将过期）', tags, response: balanceResponseSchema, access: 'signed_in' });
  router.get('/api/v1/me/points', requireAuth, balance, async (ctx) => {
    ctx.body = await service.balance(currentUser(ctx).id);
  });

  const ledger = validate(
    { query: ledgerQuerySchema },
    { summary: '积分明细（游标分页，新的在前）', tags, response: ledgerResponseSchema, access: 'signed_in' },
  );
  router.get('/api/v1/me/points/ledger', requireAuth, ledger, async (ctx) => {
    ctx.body = await service.ledger(currentUser(ctx).id, ledger.input(ctx).query);
  });

  const soon = validate(
    { query: expiringSoonQuerySchema },
    { summary: '即将过期的积分', tags, response: expiringSoonResponseSchema, access: 'signed_in' },
  );
  router.get('/api/v1/me/points/expiring-soon', requireAuth, soon, async (ctx) => {
    ctx.body = await service.expiringSoon(currentUser(ctx).id, soon.input(ctx).query.days);
  });

  const rules = validate({}, { summary: '积分规则（管理员）', tags, response: rulesResponseSchema, access: { roles: ['admin'] } });
  router.get('/api/v1/admin/points/rules', requireRole('admin'), rules, async (ctx) => {
    ctx.body = await service.rules();
  });

  const updateRule = validate(
    { params: sourceParamsSchema, body: updateRuleBodySchema },
    {
      summary: '修改某来源的积分规则（数量、每日/每月上限）',
      tags,
      response: z.object({ rule: pointsRuleSchema }),
      access: { roles: ['admin'] },
    },
  );
  router.put('/api/v1/admin/points/rules/:source', requireRole('admin'), updateRule, async (ctx) => {
    const { params, body } = updateRule.input(ctx);
    ctx.body = { rule: await service.updateRule(actorOf(ctx), params.source, body) };
  });

  const settings = validate(
    { body: expiryDaysBodySchema },
    { summary: '积分有效期（天）', tags, response: expiryDaysBodySchema, access: { roles: ['admin'] } },
  );
  router.put('/api/v1/admin/points/settings', requireRole('admin'), settings, async (ctx) => {
    ctx.body = { expiryDays: await service.setExpiryDays(actorOf(ctx), settings.input(ctx).body.expiryDays) };
  });

  const userLedger = validate(
    { params: userIdParamsSchema, query: ledgerQuerySchema },
    { summary: '某用户的积分明细（管理员）', tags, response: ledgerResponseSchema, access: { roles: ['admin'] } },
  );
  router.get('/api/v1/admin/users/:userId/points/ledger', requireRole('admin'), userLedger, async (ctx) => {
    const { params, query } = userLedger.input(ctx);
    ctx.body = await service.ledger(params.userId, query);
  });

  const adjust = validate(
    { params: userIdParamsSchema, body: adjustBodySchema },
    {
      summary: '人工调整积分（必须填写原因，记入审计日志）',
      tags,
      response: adjustResponseSchema,
      status: 201,
      access: { roles: ['admin'] },
    },
  );
  router.post('/api/v1/admin/users/:userId/points/adjustments', requireRole('admin'), adjust, idempotency, async (ctx) => {
    const { params, body } = adjust.input(ctx);
    ctx.status = 201;
    ctx.body = await service.adjust(actorOf(ctx), params.userId, body.amount, body.reason, requestKeyOf(ctx));
  });

  return router;
}
