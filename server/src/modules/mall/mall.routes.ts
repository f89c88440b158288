import Router from '@koa/router';
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
import { actorOf, currentUser, requireAuth, requireRole } from '../../core/auth';
import { AppError } from '../../core/errors';
import { requestKeyOf } from '../../core/idempotency';
import { validate, type RouteAccess } from '../../core/middleware';
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
  const router = new Router();
  const tags = ['mall'];

  const list = validate(
    { query: goodsListQuerySchema },
    { summary: '积分商城商品（兑换期内）', tags, response: goodsListResponseSchema, access: 'public' },
  );
  router.get('/api/v1/mall/goods', list, async (ctx) => {
    ctx.body = await service.listGoods(list.input(ctx).query);
  });

  const one = validate({ params: idParamsSchema }, { summary: '商品详情', tags, response: goodsResponseSchema, access: 'public' });
  router.get('/api/v1/mall/goods/:id', one, async (ctx) => {
    ctx.body = { goods: await service.getGoods(one.input(ctx).params.id) };
  });

  const redeem = validate(
    { params: idParamsSchema, body: redeemBodySchema },
    {
      summary: '兑换（需 Idempotency-Key，重试得到同一结果；积分与库存在 Redis 闸门一步扣减，随后批量落库）',
      tags,
      response: redemptionResponseSchema,
      status: 201,
      access: 'signed_in',
    },
  );
  router.post('/api/v1/mall/goods/:id/redeem', requireAuth, redeem, async (ctx) => {
    const key = requestKey(ctx);
    const { params, body } = redeem.input(ctx);
    const result = await service.redeem(currentUser(ctx).id, params.id, key, body);
    ctx.status = 201;
    ctx.type = 'application/json';
    // The gate's answer is already JSON (stored as is for replays).
    ctx.body = result.body;
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
  });

  const mine = validate(
    { query: goodsListQuerySchema },
    { summary: '我的兑换', tags, response: redemptionListResponseSchema, access: 'signed_in' },
  );
  router.get('/api/v1/me/redemptions', requireAuth, mine, async (ctx) => {
    ctx.body = await service.myRedemptions(currentUser(ctx).id, mine.input(ctx).query);
  });

  const getOne = validate(
    { params: idParamsSchema },
    { summary: '兑换详情', tags, response: redemptionResponseSchema, access: { owner: 'the redeemer (or an admin)' } },
  );
  router.get('/api/v1/me/redemptions/:id', requireAuth, getOne, async (ctx) => {
    ctx.body = { redemption: await service.getRedemption(actorOf(ctx), getOne.input(ctx).params.id) };
  });

  const qr = validate(
    { params: idParamsSchema },
    { summary: '兑换码二维码（data URL）', tags, response: redemptionQrResponseSchema, access: { owner: 'the redeemer' } },
  );
  router.get('/api/v1/me/redemptions/:id/qr', requireAuth, qr, async (ctx) => {
    ctx.body = await service.qrCode(actorOf(ctx), qr.input(ctx).params.id);
  });

  const cancel = validate(
    { params: idParamsSchema, body: cancelBodySchema },
    {
      summary: '取消兑换（核销前；退回积分、恢复库存）',
      tags,
      response: redemptionResponseSchema,
      access: { owner: 'the redeemer (or an admin)' },
    },
  );
  router.post('/api/v1/me/redemptions/:id/cancel', requireAuth, cancel, async (ctx) => {
    const { params, body } = cancel.input(ctx);
    ctx.body = await service.cancel(actorOf(ctx), params.id, body.reason);
  });

  const preview = validate(
    { params: codeParamsSchema },
    { summary: '扫码查看待核销兑换（本网点工作人员）', tags, response: redemptionResponseSchema, access: COUNTER },
  );
  router.get('/api/v1/mall/verifications/:code', requireAuth, requireCounterStaff, preview, async (ctx) => {
    ctx.body = { redemption: await service.preview(actorOf(ctx), preview.input(ctx).params.code) };
  });

  const verify = validate(
    { body: verifyBodySchema },
    { summary: '核销兑换码（仅一次，仅本网点）', tags, response: redemptionResponseSchema, access: COUNTER },
  );
  router.post('/api/v1/mall/verifications', requireAuth, requireCounterStaff, verify, async (ctx) => {
    // A retried scan (same staff, same Idempotency-Key) is answered from the redemption's record.
    const { redemption, replayed } = await service.verify(actorOf(ctx), verify.input(ctx).body.code, requestKeyOf(ctx));
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.body = { redemption };
  });

  // ── admin ──
  const adminList = validate(
    { query: goodsListQuerySchema },
    { summary: '全部商品（管理员）', tags, response: goodsListResponseSchema, access: { roles: ['admin'] } },
  );
  router.get('/api/v1/admin/mall/goods', requireRole('admin'), adminList, async (ctx) => {
    ctx.body = await service.listGoods(adminList.input(ctx).query, true);
  });

  const create = validate(
    { body: goodsBodySchema },
    { summary: '上架商品', tags, response: goodsResponseSchema, status: 201, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/admin/mall/goods', requireRole('admin'), create, async (ctx) => {
    ctx.status = 201;
    ctx.body = { goods: await service.createGoods(actorOf(ctx), create.input(ctx).body) };
  });

  const update = validate(
    { params: idParamsSchema, body: updateGoodsBodySchema },
    { summary: '修改商品', tags, response: goodsResponseSchema, access: { roles: ['admin'] } },
  );
  router.patch('/api/v1/admin/mall/goods/:id', requireRole('admin'), update, async (ctx) => {
    const { params, body } = update.input(ctx);
    ctx.body = { goods: await service.updateGoods(actorOf(ctx), params.id, body) };
  });

  const stock = validate(
    { params: idParamsSchema, body: stockBodySchema },
    { summary: '增减库存', tags, response: goodsResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/admin/mall/goods/:id/stock', requireRole('admin'), stock, async (ctx) => {
    const { params, body } = stock.input(ctx);
    ctx.body = { goods: await service.adjustStock(actorOf(ctx), params.id, body.delta) };
  });

  const archive = validate({ params: idParamsSchema }, { summary: '下架商品', tags, status: 204, access: { roles: ['admin'] } });
  router.delete('/api/v1/admin/mall/goods/:id', requireRole('admin'), archive, async (ctx) => {
    await service.archiveGoods(actorOf(ctx), archive.input(ctx).params.id);
    ctx.status = 204;
  });

  const allRedemptions = validate(
    { query: adminRedemptionsQuerySchema },
    {
      summary: '全部兑换记录（管理员；按状态、领取方式筛选，游标分页）',
      tags,
      response: redemptionListResponseSchema,
      access: { roles: ['admin'] },
    },
  );
  router.get('/api/v1/admin/mall/redemptions', requireRole('admin'), allRedemptions, async (ctx) => {
    ctx.body = await service.allRedemptions(allRedemptions.input(ctx).query);
  });

  const ship = validate(
    { params: idParamsSchema },
    { summary: '邮寄商品标记已发货', tags, response: redemptionResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/admin/mall/redemptions/:id/ship', requireRole('admin'), ship, async (ctx) => {
    ctx.body = { redemption: await service.markShipped(actorOf(ctx), ship.input(ctx).params.id) };
  });

  const adminCancel = validate(
    { params: idParamsSchema, body: cancelBodySchema },
    { summary: '取消兑换（管理员，退回积分）', tags, response: redemptionResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/admin/mall/redemptions/:id/cancel', requireRole('admin'), adminCancel, async (ctx) => {
    const { params, body } = adminCancel.input(ctx);
    ctx.body = await service.cancel(actorOf(ctx), params.id, body.reason);
  });

  return router;
}
