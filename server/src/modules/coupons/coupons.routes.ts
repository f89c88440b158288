import type Router from '@koa/router';
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
import { currentUser, requireRole } from '../../core/auth';
import { ERROR_CODES } from '@shared/errors';
import { STATUS_BY_KIND } from '../../core/errors';
import { requestKeyOf, type IdempotencyOptions } from '../../core/idempotency';
import { routes, type RouteAccess } from '../../core/middleware';
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
  const api = routes(['coupons']);
  // Retries of a redemption with the same Idempotency-Key replay the first answer; when no replay record
  // survived (the handler threw after its update landed), the key kept on the coupon still recognises the
  // retry (CouponsService.redeem). The grab does the same inside its Redis gate (no extra round trips on the
  // hottest path, and safe even when the first answer never left: see CouponsService.claim).
  const retrySafe = idempotency({ required: false });

  api.post(
    '/api/v1/coupon-batches',
    {
      body: createBatchBodySchema,
      summary: '发券（商户负责人发本店券；管理员发政府消费券）',
      response: batchResponseSchema,
      status: 201,
      access: { roles: ['merchant_owner', 'admin'], owner: "a merchant owner: its own merchant's batches" },
    },
    async ({ body }, ctx) => ({ batch: await service.createBatch(currentUser(ctx), body) }),
  );
  api.get(
    '/api/v1/coupon-batches',
    {
      query: listBatchesQuerySchema,
      summary: '领券中心（实时余量；游标分页，先开抢的在前）',
      response: batchListResponseSchema,
      access: 'public',
    },
    ({ query }) => service.listBatches(query),
  );
  api.get(
    '/api/v1/coupon-batches/:id',
    { params: batchIdParamsSchema, summary: '券批次详情', response: batchResponseSchema, access: 'public' },
    async ({ params }) => ({ batch: await service.getBatch(params.id) }),
  );
  api.post(
    '/api/v1/coupon-batches/:id/claim',
    {
      params: batchIdParamsSchema,
      summary: '抢券（立即告知结果：抢到、已抢完、已达上限、未开始、已结束）',
      response: claimResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    async ({ params }, ctx) => {
      const result = await service.claim(currentUser(ctx), params.id, requestKeyOf(ctx));
      if (!result.ok) return answerRefusal(ctx, result.refusal);
      if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
      return { coupon: result.coupon, remaining: result.remaining };
    },
  );
  api.post(
    '/api/v1/coupon-batches/:id/signup',
    { params: batchIdParamsSchema, summary: '报名参加消费券抽签', response: signupResponseSchema, status: 201, access: 'signed_in' },
    ({ params }, ctx) => service.signUp(currentUser(ctx), params.id),
  );
  api.get(
    '/api/v1/coupon-batches/:id/signup',
    { params: batchIdParamsSchema, summary: '我是否已报名该消费券抽签', response: signupStatusSchema, access: 'signed_in' },
    ({ params }, ctx) => service.signupStatus(currentUser(ctx), params.id),
  );
  api.post(
    '/api/v1/coupon-batches/:id/draw',
    {
      params: batchIdParamsSchema,
      summary: '抽签（管理员，报名结束后；记录随机种子）',
      response: drawResponseSchema,
      access: { roles: ['admin'] },
    },
    async ({ params }, ctx) => ({ draw: await service.draw(currentUser(ctx), params.id) }),
  );
  api.get(
    '/api/v1/coupon-batches/:id/draw',
    {
      params: batchIdParamsSchema,
      summary: '抽签结果（种子、报名名单、中签名单，可复核）',
      response: drawResponseSchema,
      access: 'public',
    },
    async ({ params }) => ({ draw: await service.getDraw(params.id) }),
  );
  api.get(
    '/api/v1/coupon-batches/:id/stats',
    {
      params: batchIdParamsSchema,
      summary: '券批次统计（领取、核销、过期）',
      response: batchStatsResponseSchema,
      access: { roles: ['merchant_owner', 'merchant_clerk', 'editor', 'admin'], owner: 'merchant staff: batches usable at their merchant' },
    },
    async ({ params }, ctx) => ({ stats: await service.batchStats(currentUser(ctx), params.id) }),
  );
  api.get(
    '/api/v1/merchants/:merchantId/coupon-stats',
    { params: merchantIdParamsSchema, summary: '本店各批次券统计', response: merchantStatsResponseSchema, access: MERCHANT_STAFF },
    async ({ params }, ctx) => ({ items: await service.merchantStats(currentUser(ctx), params.merchantId) }),
  );
  api.get(
    '/api/v1/coupons/mine',
    { query: myCouponsQuerySchema, summary: '我的券（游标分页，新领的在前）', response: couponListResponseSchema, access: 'signed_in' },
    ({ query }, ctx) => service.mine(currentUser(ctx), query),
  );
  api.get(
    '/api/v1/coupons/:id/qrcode',
    {
      params: batchIdParamsSchema,
      summary: '券的核销二维码（仅持有人）',
      response: couponQrResponseSchema,
      access: { owner: 'the holder' },
    },
    ({ params }, ctx) => service.qrCode(currentUser(ctx), params.id),
  );
  // The owner rule alone would only ask for a signed-in user: the door asks for a merchant role too; the service checks the merchant.
  api.post(
    '/api/v1/coupons/redeem',
    {
      body: redeemBodySchema,
      summary: '扫码核销（参与商户的店员或负责人）',
      response: couponResponseSchema,
      access: { roles: ['merchant_owner', 'merchant_clerk'], owner: 'staff of a merchant the coupon is usable at (not admins)' },
      guard: [requireRole('merchant_owner', 'merchant_clerk')],
      then: [retrySafe],
    },
    async ({ body }, ctx) => {
      const { coupon, replayed } = await service.redeem(currentUser(ctx), body, requestKeyOf(ctx));
      if (replayed) ctx.set('Idempotent-Replayed', 'true');
      return { coupon };
    },
  );

  return api.router;
}
