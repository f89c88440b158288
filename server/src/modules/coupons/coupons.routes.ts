import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import {
  batchIdParamsSchema,
  batchListResponseSchema,
  batchResponseSchema,
  batchStatsResponseSchema,
  claimResponseSchema,
  couponListResponseSchema,
  couponQrResponseSchema,
  couponResponseSchema,
  createBatchBodySchema,
  drawResponseSchema,
  listBatchesQuerySchema,
  merchantIdParamsSchema,
  merchantStatsResponseSchema,
  myCouponsQuerySchema,
  redeemBodySchema,
  signupResponseSchema,
  signupStatusSchema,
} from '@shared/schemas/coupons';
import { currentUser, requireAuth, requireRole } from '../../core/auth';
import { ERROR_CODES } from '@shared/errors';
import { STATUS_BY_KIND } from '../../core/errors';
import { requestKeyOf, type IdempotencyOptions } from '../../core/idempotency';
import { validate, type RouteAccess } from '../../core/middleware';
import type { ClaimRefusal, CouponsService } from './coupons.service';

/** A refused grab in the one error shape (as the error handler would write it), without an exception. */
function answerRefusal(ctx: Context, refusal: ClaimRefusal): void {
  const def = ERROR_CODES[refusal.code];
  ctx.status = STATUS_BY_KIND[def.kind];
  ctx.body = {
    error: {
      code: refusal.code,
      message: refusal.message ?? def.message,
      ...(refusal.details === undefined ? {} : { details: refusal.details }),
    },
  };
}

/** A merchant's owner and clerks, on their own merchant only. */
const MERCHANT_STAFF: RouteAccess = { roles: ['merchant_owner', 'merchant_clerk', 'admin'], owner: 'staff of this merchant' };

export function createCouponsRouter(service: CouponsService, idempotency: (options?: IdempotencyOptions) => Middleware): Router {
  const router = new Router();
  const tags = ['coupons'];
  // Retries of a redemption with the same Idempotency-Key replay the first answer; when no replay record
  // survived (the handler threw after its update landed), the key kept on the coupon still recognises the
  // retry (CouponsService.redeem). The grab does the same inside its Redis gate (no extra round trips on the
  // hottest path, and safe even when the first answer never left: see CouponsService.claim).
  const retrySafe = idempotency({ required: false });

  const create = validate(
    { body: createBatchBodySchema },
    {
      summary: '发券（商户负责人发本店券；管理员发政府消费券）',
      tags,
      response: batchResponseSchema,
      status: 201,
      access: { roles: ['merchant_owner', 'admin'], owner: "a merchant owner: its own merchant's batches" },
    },
  );
  router.post('/api/v1/coupon-batches', requireAuth, create, async (ctx) => {
    ctx.status = 201;
    ctx.body = { batch: await service.createBatch(currentUser(ctx), create.input(ctx).body) };
  });

  const list = validate(
    { query: listBatchesQuerySchema },
    { summary: '领券中心（实时余量）', tags, response: batchListResponseSchema, access: 'public' },
  );
  router.get('/api/v1/coupon-batches', list, async (ctx) => {
    ctx.body = { items: await service.listBatches(list.input(ctx).query) };
  });

  const get = validate({ params: batchIdParamsSchema }, { summary: '券批次详情', tags, response: batchResponseSchema, access: 'public' });
  router.get('/api/v1/coupon-batches/:id', get, async (ctx) => {
    ctx.body = { batch: await service.getBatch(get.input(ctx).params.id) };
  });

  const claim = validate(
    { params: batchIdParamsSchema },
    {
      summary: '抢券（立即告知结果：抢到、已抢完、已达上限、未开始、已结束）',
      tags,
      response: claimResponseSchema,
      status: 201,
      access: 'signed_in',
    },
  );
  router.post('/api/v1/coupon-batches/:id/claim', requireAuth, claim, async (ctx) => {
    const result = await service.claim(currentUser(ctx), claim.input(ctx).params.id, requestKeyOf(ctx));
    if (!result.ok) return answerRefusal(ctx, result.refusal);
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = 201;
    ctx.body = { coupon: result.coupon, remaining: result.remaining };
  });

  const signup = validate(
    { params: batchIdParamsSchema },
    { summary: '报名参加消费券抽签', tags, response: signupResponseSchema, status: 201, access: 'signed_in' },
  );
  router.post('/api/v1/coupon-batches/:id/signup', requireAuth, signup, async (ctx) => {
    ctx.status = 201;
    ctx.body = await service.signUp(currentUser(ctx), signup.input(ctx).params.id);
  });

  const signupStatus = validate(
    { params: batchIdParamsSchema },
    { summary: '我是否已报名该消费券抽签', tags, response: signupStatusSchema, access: 'signed_in' },
  );
  router.get('/api/v1/coupon-batches/:id/signup', requireAuth, signupStatus, async (ctx) => {
    ctx.body = await service.signupStatus(currentUser(ctx), signupStatus.input(ctx).params.id);
  });

  const draw = validate(
    { params: batchIdParamsSchema },
    { summary: '抽签（管理员，报名结束后；记录随机种子）', tags, response: drawResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/coupon-batches/:id/draw', requireRole('admin'), draw, async (ctx) => {
    ctx.body = { draw: await service.draw(currentUser(ctx), draw.input(ctx).params.id) };
  });

  const drawResult = validate(
    { params: batchIdParamsSchema },
    { summary: '抽签结果（种子、报名名单、中签名单，可复核）', tags, response: drawResponseSchema, access: 'public' },
  );
  router.get('/api/v1/coupon-batches/:id/draw', drawResult, async (ctx) => {
    ctx.body = { draw: await service.getDraw(drawResult.input(ctx).params.id) };
  });

  const stats = validate(
    { params: batchIdParamsSchema },
    {
      summary: '券批次统计（领取、核销、过期）',
      tags,
      response: batchStatsResponseSchema,
      access: { roles: ['merchant_owner', 'merchant_clerk', 'editor', 'admin'], owner: 'merchant staff: batches usable at their merchant' },
    },
  );
  router.get('/api/v1/coupon-batches/:id/stats', requireAuth, stats, async (ctx) => {
    ctx.body = { stats: await service.batchStats(currentUser(ctx), stats.input(ctx).params.id) };
  });

  const merchantStats = validate(
    { params: merchantIdParamsSchema },
    { summary: '本店各批次券统计', tags, response: merchantStatsResponseSchema, access: MERCHANT_STAFF },
  );
  router.get('/api/v1/merchants/:merchantId/coupon-stats', requireAuth, merchantStats, async (ctx) => {
    ctx.body = { items: await service.merchantStats(currentUser(ctx), merchantStats.input(ctx).params.merchantId) };
  });

  const mine = validate(
    { query: myCouponsQuerySchema },
    { summary: '我的券', tags, response: couponListResponseSchema, access: 'signed_in' },
  );
  router.get('/api/v1/coupons/mine', requireAuth, mine, async (ctx) => {
    ctx.body = { items: await service.mine(currentUser(ctx), mine.input(ctx).query.status) };
  });

  const qr = validate(
    { params: batchIdParamsSchema },
    { summary: '券的核销二维码（仅持有人）', tags, response: couponQrResponseSchema, access: { owner: 'the holder' } },
  );
  router.get('/api/v1/coupons/:id/qrcode', requireAuth, qr, async (ctx) => {
    ctx.body = await service.qrCode(currentUser(ctx), qr.input(ctx).params.id);
  });

  const redeem = validate(
    { body: redeemBodySchema },
    {
      summary: '扫码核销（参与商户的店员或负责人）',
      tags,
      response: couponResponseSchema,
      access: { roles: ['merchant_owner', 'merchant_clerk'], owner: 'staff of a merchant the coupon is usable at (not admins)' },
    },
  );
  router.post('/api/v1/coupons/redeem', requireRole('merchant_owner', 'merchant_clerk'), redeem, retrySafe, async (ctx) => {
    const { coupon, replayed } = await service.redeem(currentUser(ctx), redeem.input(ctx).body, requestKeyOf(ctx));
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.body = { coupon };
  });

  return router;
}
