import type Router from '@koa/router';
import {
  batchDecideMerchantsBodySchema,
  batchDecideMerchantsResponseSchema,
  batchReviewPromotionsBodySchema,
  batchReviewPromotionsResponseSchema,
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
  promotionQueueQuerySchema,
  promotionsQuerySchema,
  promotionResponseSchema,
  publicMerchantResponseSchema,
  reviewPromotionBodySchema,
  updateMerchantBodySchema,
} from '@shared/schemas/merchants';
import { currentUser, optionalUser } from '../../core/auth';
import { routes, type RouteAccess } from '../../core/middleware';
import type { MerchantsService } from './merchants.service';

/** This merchant's owner (granted on approval), and with STAFF its clerks too. */
const OWNER: RouteAccess = { roles: ['merchant_owner', 'admin'], owner: "this merchant's owner" };
const STAFF: RouteAccess = { roles: ['merchant_owner', 'merchant_clerk', 'admin'], owner: "this merchant's staff" };
/** The review desk (admins pass every role check anyway). */
const EDITOR: RouteAccess = { roles: ['editor', 'admin'] };

export function createMerchantsRouter(service: MerchantsService): Router {
  const api = routes(['merchants']);

  api.post(
    '/api/v1/merchants/applications',
    { body: applyMerchantBodySchema, summary: '商户入驻申请', response: merchantResponseSchema, status: 201, access: 'signed_in' },
    async ({ body }, ctx) => ({ merchant: await service.apply(currentUser(ctx), body) }),
  );
  api.get(
    '/api/v1/merchants/applications',
    {
      query: applicationsQuerySchema,
      summary: '商户入驻申请列表（编辑；游标分页，先到先审）',
      response: merchantApplicationPageSchema,
      access: EDITOR,
    },
    ({ query }, ctx) => service.applications(currentUser(ctx), query),
  );
  api.post(
    '/api/v1/merchants/applications/decisions',
    {
      body: batchDecideMerchantsBodySchema,
      summary: '批量审核商户入驻（逐条返回结果）',
      response: batchDecideMerchantsResponseSchema,
      access: EDITOR,
    },
    async ({ body: { ids, decision, reason } }, ctx) => ({ results: await service.decideMany(currentUser(ctx), ids, decision, reason) }),
  );
  api.post(
    '/api/v1/merchants/:id/decision',
    {
      params: idParamsSchema,
      body: decideMerchantBodySchema,
      summary: '审核商户入驻（通过即授予商户负责人角色）',
      response: merchantResponseSchema,
      access: EDITOR,
    },
    async ({ params, body }, ctx) => ({ merchant: await service.decide(currentUser(ctx), params.id, body.decision, body.reason) }),
  );
  api.get(
    '/api/v1/merchants/mine',
    { summary: '我的商户（申请中、负责或任职的）', response: merchantDetailListResponseSchema, access: 'signed_in' },
    async (_input, ctx) => ({ items: await service.mine(currentUser(ctx)) }),
  );
  api.get(
    '/api/v1/merchants',
    {
      query: directoryQuerySchema,
      summary: '企业之家商户目录（分类、关键词、按距离排序）',
      response: merchantListResponseSchema,
      access: 'public',
    },
    async ({ query }) => ({ items: await service.directory(query) }),
  );
  api.post(
    '/api/v1/merchants/clerk-invites/accept',
    { body: acceptInviteBodySchema, summary: '凭邀请码成为店员', response: merchantResponseSchema, access: 'signed_in' },
    async ({ body }, ctx) => ({ merchant: await service.acceptInvite(currentUser(ctx), body.code) }),
  );
  api.get(
    '/api/v1/promotions',
    {
      query: promotionsQuerySchema,
      summary: '企业之家栏目：已发布的商户活动（游标分页，新发布在前）',
      response: promotionPageSchema,
      access: 'public',
    },
    ({ query }) => service.promotions(undefined, query),
  );
  api.get(
    '/api/v1/promotions/queue',
    {
      query: promotionQueueQuerySchema,
      summary: '商户活动审核队列（编辑；游标分页，先到先审）',
      response: promotionPageSchema,
      access: EDITOR,
    },
    ({ query }, ctx) => service.promotionQueue(currentUser(ctx), query),
  );
  api.post(
    '/api/v1/promotions/decisions',
    {
      body: batchReviewPromotionsBodySchema,
      summary: '批量审核商户活动（逐条返回结果）',
      response: batchReviewPromotionsResponseSchema,
      access: EDITOR,
    },
    async ({ body: { ids, decision, reason } }, ctx) => ({
      results: await service.reviewPromotions(currentUser(ctx), ids, decision, reason),
    }),
  );
  api.post(
    '/api/v1/promotions/:id/review',
    { params: idParamsSchema, body: reviewPromotionBodySchema, summary: '审核商户活动', response: promotionResponseSchema, access: EDITOR },
    async ({ params, body }, ctx) => ({
      promotion: await service.reviewPromotion(currentUser(ctx), params.id, body.decision, body.reason),
    }),
  );
  api.get(
    '/api/v1/merchants/:id',
    { params: idParamsSchema, summary: '商户详情', response: publicMerchantResponseSchema, access: 'public' },
    async ({ params }, ctx) => ({ merchant: await service.get(optionalUser(ctx), params.id) }),
  );
  api.patch(
    '/api/v1/merchants/:id',
    {
      params: idParamsSchema,
      body: updateMerchantBodySchema,
      summary: '修改商户资料（商户负责人）',
      response: merchantResponseSchema,
      access: OWNER,
    },
    async ({ params, body }, ctx) => ({ merchant: await service.update(currentUser(ctx), params.id, body) }),
  );
  api.post(
    '/api/v1/merchants/:id/clerk-invites',
    { params: idParamsSchema, summary: '生成店员邀请码（商户负责人）', response: inviteResponseSchema, status: 201, access: OWNER },
    ({ params }, ctx) => service.inviteClerk(currentUser(ctx), params.id),
  );
  api.post(
    '/api/v1/merchants/:id/promotions',
    {
      params: idParamsSchema,
      body: createPromotionBodySchema,
      summary: '发布活动（开业/促销/庆典，内容安全检测后待审核）',
      response: promotionResponseSchema,
      status: 201,
      access: OWNER,
    },
    async ({ params, body }, ctx) => ({ promotion: await service.createPromotion(currentUser(ctx), params.id, body) }),
  );
  api.get(
    '/api/v1/merchants/:id/promotions',
    {
      params: idParamsSchema,
      query: promotionsQuerySchema,
      summary: '商户的活动（游标分页，新发布在前）',
      response: promotionPageSchema,
      access: 'public',
    },
    ({ params, query }) => service.promotions(params.id, query),
  );
  api.get(
    '/api/v1/merchants/:id/promotions/all',
    {
      params: idParamsSchema,
      query: ownPromotionsQuerySchema,
      summary: '本店全部活动（待审核、已发布、未通过及理由；负责人和店员；游标分页，新提交在前）',
      response: promotionPageSchema,
      access: STAFF,
    },
    ({ params, query }, ctx) => service.ownPromotions(currentUser(ctx), params.id, query),
  );

  return api.router;
}
