import Router from '@koa/router';
import {
  batchDecideMerchantsBodySchema,
  batchDecideMerchantsResponseSchema,
  merchantApplicationPageSchema,
  promotionPageSchema,
  acceptInviteBodySchema,
  applicationsQuerySchema,
  applyMerchantBodySchema,
  createPromotionBodySchema,
  decideMerchantBodySchema,
  directoryQuerySchema,
  idParamsSchema,
  inviteResponseSchema,
  merchantDetailListResponseSchema,
  merchantListResponseSchema,
  merchantResponseSchema,
  ownPromotionsQuerySchema,
  promotionListResponseSchema,
  promotionQueueQuerySchema,
  promotionResponseSchema,
  publicMerchantResponseSchema,
  reviewPromotionBodySchema,
  updateMerchantBodySchema,
} from '@shared/schemas/merchants';
import { currentUser, optionalUser, requireAuth, requireRole } from '../../core/auth';
import { validate, type RouteAccess } from '../../core/middleware';
import type { MerchantsService } from './merchants.service';

/** This merchant's owner (granted on approval), and with STAFF its clerks too. */
const OWNER: RouteAccess = { roles: ['merchant_owner', 'admin'], owner: "this merchant's owner" };
const STAFF: RouteAccess = { roles: ['merchant_owner', 'merchant_clerk', 'admin'], owner: "this merchant's staff" };

export function createMerchantsRouter(service: MerchantsService): Router {
  const router = new Router();
  const tags = ['merchants'];

  const apply = validate(
    { body: applyMerchantBodySchema },
    { summary: '商户入驻申请', tags, response: merchantResponseSchema, status: 201, access: 'signed_in' },
  );
  router.post('/api/v1/merchants/applications', requireAuth, apply, async (ctx) => {
    ctx.status = 201;
    ctx.body = { merchant: await service.apply(currentUser(ctx), apply.input(ctx).body) };
  });

  const applications = validate(
    { query: applicationsQuerySchema },
    {
      summary: '商户入驻申请列表（编辑；游标分页，先到先审）',
      tags,
      response: merchantApplicationPageSchema,
      access: { roles: ['editor', 'admin'] },
    },
  );
  router.get('/api/v1/merchants/applications', requireRole('editor'), applications, async (ctx) => {
    ctx.body = await service.applications(currentUser(ctx), applications.input(ctx).query);
  });

  const decideMany = validate(
    { body: batchDecideMerchantsBodySchema },
    {
      summary: '批量审核商户入驻（逐条返回结果）',
      tags,
      response: batchDecideMerchantsResponseSchema,
      access: { roles: ['editor', 'admin'] },
    },
  );
  router.post('/api/v1/merchants/applications/decisions', requireRole('editor'), decideMany, async (ctx) => {
    const { ids, decision, reason } = decideMany.input(ctx).body;
    ctx.body = { results: await service.decideMany(currentUser(ctx), ids, decision, reason) };
  });

  const decide = validate(
    { params: idParamsSchema, body: decideMerchantBodySchema },
    { summary: '审核商户入驻（通过即授予商户负责人角色）', tags, response: merchantResponseSchema, access: { roles: ['editor', 'admin'] } },
  );
  router.post('/api/v1/merchants/:id/decision', requireRole('editor'), decide, async (ctx) => {
    const { params, body } = decide.input(ctx);
    ctx.body = { merchant: await service.decide(currentUser(ctx), params.id, body.decision, body.reason) };
  });

  const mine = validate(
    {},
    { summary: '我的商户（申请中、负责或任职的）', tags, response: merchantDetailListResponseSchema, access: 'signed_in' },
  );
  router.get('/api/v1/merchants/mine', requireAuth, mine, async (ctx) => {
    ctx.body = { items: await service.mine(currentUser(ctx)) };
  });

  const directory = validate(
    { query: directoryQuerySchema },
    { summary: '企业之家商户目录（分类、关键词、按距离排序）', tags, response: merchantListResponseSchema, access: 'public' },
  );
  router.get('/api/v1/merchants', directory, async (ctx) => {
    ctx.body = { items: await service.directory(directory.input(ctx).query) };
  });

  const accept = validate(
    { body: acceptInviteBodySchema },
    { summary: '凭邀请码成为店员', tags, response: merchantResponseSchema, access: 'signed_in' },
  );
  router.post('/api/v1/merchants/clerk-invites/accept', requireAuth, accept, async (ctx) => {
    ctx.body = { merchant: await service.acceptInvite(currentUser(ctx), accept.input(ctx).body.code) };
  });

  const column = validate({}, { summary: '企业之家栏目：已发布的商户活动', tags, response: promotionListResponseSchema, access: 'public' });
  router.get('/api/v1/promotions', column, async (ctx) => {
    ctx.body = { items: await service.promotions() };
  });

  const queue = validate(
    { query: promotionQueueQuerySchema },
    {
      summary: '商户活动审核队列（编辑；游标分页，先到先审）',
      tags,
      response: promotionPageSchema,
      access: { roles: ['editor', 'admin'] },
    },
  );
  router.get('/api/v1/promotions/queue', requireRole('editor'), queue, async (ctx) => {
    ctx.body = await service.promotionQueue(currentUser(ctx), queue.input(ctx).query);
  });

  const review = validate(
    { params: idParamsSchema, body: reviewPromotionBodySchema },
    { summary: '审核商户活动', tags, response: promotionResponseSchema, access: { roles: ['editor', 'admin'] } },
  );
  router.post('/api/v1/promotions/:id/review', requireRole('editor'), review, async (ctx) => {
    const { params, body } = review.input(ctx);
    ctx.body = { promotion: await service.reviewPromotion(currentUser(ctx), params.id, body.decision, body.reason) };
  });

  const get = validate({ params: idParamsSchema }, { summary: '商户详情', tags, response: publicMerchantResponseSchema, access: 'public' });
  router.get('/api/v1/merchants/:id', get, async (ctx) => {
    ctx.body = { merchant: await service.get(optionalUser(ctx), get.input(ctx).params.id) };
  });

  const update = validate(
    { params: idParamsSchema, body: updateMerchantBodySchema },
    { summary: '修改商户资料（商户负责人）', tags, response: merchantResponseSchema, access: OWNER },
  );
  router.patch('/api/v1/merchants/:id', requireAuth, update, async (ctx) => {
    const { params, body } = update.input(ctx);
    ctx.body = { merchant: await service.update(currentUser(ctx), params.id, body) };
  });

  const invite = validate(
    { params: idParamsSchema },
    { summary: '生成店员邀请码（商户负责人）', tags, response: inviteResponseSchema, status: 201, access: OWNER },
  );
  router.post('/api/v1/merchants/:id/clerk-invites', requireAuth, invite, async (ctx) => {
    ctx.status = 201;
    ctx.body = await service.inviteClerk(currentUser(ctx), invite.input(ctx).params.id);
  });

  const post = validate(
    { params: idParamsSchema, body: createPromotionBodySchema },
    {
      summary: '发布活动（开业/促销/庆典，内容安全检测后待审核）',
      tags,
      response: promotionResponseSchema,
      status: 201,
      access: OWNER,
    },
  );
  router.post('/api/v1/merchants/:id/promotions', requireAuth, post, async (ctx) => {
    const { params, body } = post.input(ctx);
    ctx.status = 201;
    ctx.body = { promotion: await service.createPromotion(currentUser(ctx), params.id, body) };
  });

  const promotions = validate(
    { params: idParamsSchema },
    { summary: '商户的活动', tags, response: promotionListResponseSchema, access: 'public' },
  );
  router.get('/api/v1/merchants/:id/promotions', promotions, async (ctx) => {
    ctx.body = { items: await service.promotions(promotions.input(ctx).params.id) };
  });

  const own = validate(
    { params: idParamsSchema, query: ownPromotionsQuerySchema },
    {
      summary: '本店全部活动（待审核、已发布、未通过及理由；负责人和店员）',
      tags,
      response: promotionListResponseSchema,
      access: STAFF,
    },
  );
  router.get('/api/v1/merchants/:id/promotions/all', requireAuth, own, async (ctx) => {
    const { params, query } = own.input(ctx);
    ctx.body = { items: await service.ownPromotions(currentUser(ctx), params.id, query.state) };
  });

  return router;
}
