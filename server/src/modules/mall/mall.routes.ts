import type Router from '@koa/router';
import {
  adminRedemptionsQuerySchema,
  cancelBodySchema,
  goodsBodySchema,
  goodsListQuerySchema,
  goodsListResponseSchema,
  goodsResponseSchema,
  idParamsSchema,
  redeemBodySchema,
  redemptionListResponseSchema,
  redemptionQrResponseSchema,
  redemptionResponseSchema,
  stockBodySchema,
  updateGoodsBodySchema,
  verifyBodySchema,
} from '@shared/schemas/points';
import { z } from 'zod';
import type { Context, Middleware } from 'koa';
import { actorOf, currentUser, requireAuth } from '../../core/auth';
import { AppError } from '../../core/errors';
import { requestKeyOf } from '../../core/idempotency';
import { routes, type RouteAccess } from '../../core/middleware';
import type { MallService } from './mall.service';

const codeParamsSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{10,16}$/, '兑换码格式不正确'),
  })
  .strict();

/** Counter staff: a merchant clerk, or anyone holding an outlet-scoped grant (checked per code in the service). */
const requireCounterStaff: Middleware = async (ctx, next) => {
  const user = currentUser(ctx);
  if (!user.roles.some((g) => g.role === 'merchant_clerk' || g.scope?.type === 'outlet')) {
    throw new AppError('FORBIDDEN');
  }
  await next();
};

/** The redemption's outlet's counter staff (admins are not counter staff). */
const COUNTER: RouteAccess = { roles: ['merchant_clerk'], owner: "staff of the redemption's outlet" };

/**
 * The redemption's Idempotency-Key (required). The key itself is taken and replayed by the mall's Redis gate,
 * in the same script that takes stock and points, so the redeem route does not mount the generic middleware
 * (two more Redis round trips per redemption).
 */
function requestKey(ctx: Context): string {
  const key = requestKeyOf(ctx);
  if (!key) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
  return key;
}

/** 积分商城: goods (public list, admin management), redemption with Idempotency-Key, 我的兑换, counter 核销. */
export function createMallRouter(service: MallService): Router {
  const api = routes(['mall']);
  const ADMIN = { roles: ['admin'] } as const;
  /** `COUNTER` names an owner rule, which alone would only ask for a signed-in user: the door also wants counter staff. */
  const AT_COUNTER = [requireAuth, requireCounterStaff];

  api.get(
    '/api/v1/mall/goods',
    { query: goodsListQuerySchema, summary: '积分商城商品（兑换期内）', response: goodsListResponseSchema, access: 'public' },
    ({ query }) => service.listGoods(query),
  );
  api.get(
    '/api/v1/mall/goods/:id',
    { params: idParamsSchema, summary: '商品详情', response: goodsResponseSchema, access: 'public' },
    async ({ params }) => ({ goods: await service.getGoods(params.id) }),
  );
  api.post(
    '/api/v1/mall/goods/:id/redeem',
    {
      params: idParamsSchema,
      body: redeemBodySchema,
      summary: '兑换（需 Idempotency-Key，重试得到同一结果；积分与库存在 Redis 闸门一步扣减，随后批量落库）',
      response: redemptionResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    async ({ params, body }, ctx) => {
      const key = requestKey(ctx);
      const result = await service.redeem(currentUser(ctx).id, params.id, key, body);
      ctx.status = 201;
      ctx.type = 'application/json';
      // The gate's answer is already JSON (stored as is for replays).
      ctx.body = result.body;
      if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
      return undefined;
    },
  );
  api.get(
    '/api/v1/me/redemptions',
    { query: goodsListQuerySchema, summary: '我的兑换', response: redemptionListResponseSchema, access: 'signed_in' },
    ({ query }, ctx) => service.myRedemptions(currentUser(ctx).id, query),
  );
  api.get(
    '/api/v1/me/redemptions/:id',
    { params: idParamsSchema, summary: '兑换详情', response: redemptionResponseSchema, access: { owner: 'the redeemer (or an admin)' } },
    async ({ params }, ctx) => ({ redemption: await service.getRedemption(actorOf(ctx), params.id) }),
  );
  api.get(
    '/api/v1/me/redemptions/:id/qr',
    {
      params: idParamsSchema,
      summary: '兑换码二维码（data URL）',
      response: redemptionQrResponseSchema,
      access: { owner: 'the redeemer' },
    },
    ({ params }, ctx) => service.qrCode(actorOf(ctx), params.id),
  );
  api.post(
    '/api/v1/me/redemptions/:id/cancel',
    {
      params: idParamsSchema,
      body: cancelBodySchema,
      summary: '取消兑换（核销前；退回积分、恢复库存）',
      response: redemptionResponseSchema,
      access: { owner: 'the redeemer (or an admin)' },
    },
    ({ params, body }, ctx) => service.cancel(actorOf(ctx), params.id, body.reason),
  );
  api.get(
    '/api/v1/mall/verifications/:code',
    {
      params: codeParamsSchema,
      summary: '扫码查看待核销兑换（本网点工作人员）',
      response: redemptionResponseSchema,
      access: COUNTER,
      guard: AT_COUNTER,
    },
    async ({ params }, ctx) => ({ redemption: await service.preview(actorOf(ctx), params.code) }),
  );
  api.post(
    '/api/v1/mall/verifications',
    {
      body: verifyBodySchema,
      summary: '核销兑换码（仅一次，仅本网点）',
      response: redemptionResponseSchema,
      access: COUNTER,
      guard: AT_COUNTER,
    },
    async ({ body }, ctx) => {
      // A retried scan (same staff, same Idempotency-Key) is answered from the redemption's record.
      const { redemption, replayed } = await service.verify(actorOf(ctx), body.code, requestKeyOf(ctx));
      if (replayed) ctx.set('Idempotent-Replayed', 'true');
      return { redemption };
    },
  );

  // ── admin ──
  api.get(
    '/api/v1/admin/mall/goods',
    { query: goodsListQuerySchema, summary: '全部商品（管理员）', response: goodsListResponseSchema, access: ADMIN },
    ({ query }) => service.listGoods(query, true),
  );
  api.post(
    '/api/v1/admin/mall/goods',
    { body: goodsBodySchema, summary: '上架商品', response: goodsResponseSchema, status: 201, access: ADMIN },
    async ({ body }, ctx) => ({ goods: await service.createGoods(actorOf(ctx), body) }),
  );
  api.patch(
    '/api/v1/admin/mall/goods/:id',
    { params: idParamsSchema, body: updateGoodsBodySchema, summary: '修改商品', response: goodsResponseSchema, access: ADMIN },
    async ({ params, body }, ctx) => ({ goods: await service.updateGoods(actorOf(ctx), params.id, body) }),
  );
  api.post(
    '/api/v1/admin/mall/goods/:id/stock',
    { params: idParamsSchema, body: stockBodySchema, summary: '增减库存', response: goodsResponseSchema, access: ADMIN },
    async ({ params, body }, ctx) => ({ goods: await service.adjustStock(actorOf(ctx), params.id, body.delta) }),
  );
  api.delete(
    '/api/v1/admin/mall/goods/:id',
    { params: idParamsSchema, summary: '下架商品', status: 204, access: ADMIN },
    async ({ params }, ctx) => {
      await service.archiveGoods(actorOf(ctx), params.id);
      ctx.status = 204;
      return undefined;
    },
  );
  api.get(
    '/api/v1/admin/mall/redemptions',
    {
      query: adminRedemptionsQuerySchema,
      summary: '全部兑换记录（管理员；按状态、领取方式筛选，游标分页）',
      response: redemptionListResponseSchema,
      access: ADMIN,
    },
    ({ query }) => service.allRedemptions(query),
  );
  api.post(
    '/api/v1/admin/mall/redemptions/:id/ship',
    { params: idParamsSchema, summary: '邮寄商品标记已发货', response: redemptionResponseSchema, access: ADMIN },
    async ({ params }, ctx) => ({ redemption: await service.markShipped(actorOf(ctx), params.id) }),
  );
  api.post(
    '/api/v1/admin/mall/redemptions/:id/cancel',
    {
      params: idParamsSchema,
      body: cancelBodySchema,
      summary: '取消兑换（管理员，退回积分）',
      response: redemptionResponseSchema,
      access: ADMIN,
    },
    ({ params, body }, ctx) => service.cancel(actorOf(ctx), params.id, body.reason),
  );

  return api.router;
}
