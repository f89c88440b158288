import type Router from '@koa/router';
import {
  applicationPageSchema,
  batchDecideApplicationsBodySchema,
  batchDecideApplicationsResponseSchema,
  announcementBodySchema,
  applicationListQuerySchema,
  applicationListResponseSchema,
  applicationResponseSchema,
  applyBodySchema,
  channelAdminBodySchema,
  channelAdminParamsSchema,
  channelListQuerySchema,
  channelListResponseSchema,
  channelResponseSchema,
  circleLeaderBodySchema,
  circleLeaderParamsSchema,
  circleListQuerySchema,
  circleListResponseSchema,
  circlePageResponseSchema,
  circleResponseSchema,
  createChannelBodySchema,
  createCircleBodySchema,
  decideApplicationBodySchema,
  idParamsSchema,
  updateCircleBodySchema,
} from '@shared/schemas/newsroom';
import { actorOf, currentUser } from '../../core/auth';
import { routes, type RouteAccess } from '../../core/middleware';
import type { NewsroomService } from '../newsroom';
import type { CirclesService } from './circles.service';

/** A circle's leaders run its business (announcements, applications), editors every circle's. */
const MANAGERS: RouteAccess = { roles: ['circle_leader', 'editor', 'admin'], owner: 'a circle leader: their own circle' };
const ADMIN = { roles: ['admin'] } as const;

export function createCirclesRouter(service: CirclesService, newsroom: Pick<NewsroomService, 'recentByCircle'>): Router {
  const api = routes(['circles']);

  api.get(
    '/api/v1/circles',
    {
      query: circleListQuerySchema,
      summary: '通讯员圈子列表（最早建立的在前；q 按名称筛选；游标分页）',
      response: circleListResponseSchema,
      access: 'public',
    },
    async ({ query }) => service.list(query),
  );
  api.get(
    '/api/v1/circles/:id',
    { params: idParamsSchema, summary: '圈子主页（含近期发布作品）', response: circlePageResponseSchema, access: 'public' },
    async ({ params }) => {
      const circle = await service.get(params.id);
      return { circle, recent: await newsroom.recentByCircle(params.id) };
    },
  );
  api.post(
    '/api/v1/circles',
    { body: createCircleBodySchema, summary: '创建圈子（管理员）', response: circleResponseSchema, status: 201, access: ADMIN },
    async ({ body }, ctx) => ({ circle: await service.create(body, actorOf(ctx)) }),
  );
  api.patch(
    '/api/v1/circles/:id',
    { params: idParamsSchema, body: updateCircleBodySchema, summary: '修改圈子（管理员）', response: circleResponseSchema, access: ADMIN },
    async ({ params, body }, ctx) => ({ circle: await service.update(params.id, body, actorOf(ctx)) }),
  );
  api.post(
    '/api/v1/circles/:id/leaders',
    { params: idParamsSchema, body: circleLeaderBodySchema, summary: '任命圈长（管理员）', response: circleResponseSchema, access: ADMIN },
    async ({ params, body }, ctx) => ({ circle: await service.appointLeader(actorOf(ctx), params.id, body.userId) }),
  );
  api.delete(
    '/api/v1/circles/:id/leaders/:userId',
    { params: circleLeaderParamsSchema, summary: '免去圈长（管理员）', response: circleResponseSchema, access: ADMIN },
    async ({ params }, ctx) => ({ circle: await service.dismissLeader(actorOf(ctx), params.id, params.userId) }),
  );
  api.post(
    '/api/v1/circles/:id/announcements',
    {
      params: idParamsSchema,
      body: announcementBodySchema,
      summary: '发布圈子公告（圈长/编辑）',
      response: circleResponseSchema,
      access: MANAGERS,
    },
    async ({ params, body }, ctx) => ({ circle: await service.announce(currentUser(ctx), params.id, body.text) }),
  );

  // ── correspondent applications ──
  api.post(
    '/api/v1/correspondents/applications',
    {
      body: applyBodySchema,
      summary: '申请成为通讯员（需已绑定手机号）',
      response: applicationResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    async ({ body }, ctx) => ({ application: await service.apply(currentUser(ctx).id, body) }),
  );
  api.get(
    '/api/v1/correspondents/applications/mine',
    { summary: '我的通讯员申请', response: applicationListResponseSchema, access: 'signed_in' },
    async (_input, ctx) => ({ items: await service.myApplications(currentUser(ctx).id) }),
  );
  api.get(
    '/api/v1/correspondents/applications',
    {
      query: applicationListQuerySchema,
      summary: '待审核申请（圈长看本圈，编辑看全部；游标分页，先到先审）',
      response: applicationPageSchema,
      access: MANAGERS,
    },
    ({ query }, ctx) => service.applications(currentUser(ctx), query),
  );
  api.post(
    '/api/v1/correspondents/applications/decisions',
    {
      body: batchDecideApplicationsBodySchema,
      summary: '批量审核通讯员申请（逐条返回结果）',
      response: batchDecideApplicationsResponseSchema,
      access: MANAGERS,
    },
    async ({ body: { ids, ...decision } }, ctx) => ({ results: await service.decideMany(currentUser(ctx), ids, decision) }),
  );
  api.post(
    '/api/v1/correspondents/applications/:id/decision',
    {
      params: idParamsSchema,
      body: decideApplicationBodySchema,
      summary: '审核通讯员申请（通过/拒绝并说明理由）',
      response: applicationResponseSchema,
      access: MANAGERS,
    },
    async ({ params, body }, ctx) => ({ application: await service.decide(currentUser(ctx), params.id, body) }),
  );

  // ── unit channels ──
  api.get(
    '/api/v1/channels',
    {
      query: channelListQuerySchema,
      summary: '单位分端列表（按名称、类型筛选；游标分页）',
      response: channelListResponseSchema,
      access: 'public',
    },
    ({ query }) => service.listChannels(query),
  );
  api.post(
    '/api/v1/channels',
    { body: createChannelBodySchema, summary: '创建单位分端（管理员）', response: channelResponseSchema, status: 201, access: ADMIN },
    async ({ body }, ctx) => ({ channel: await service.createChannel(body, actorOf(ctx)) }),
  );
  api.post(
    '/api/v1/channels/:id/admins',
    {
      params: idParamsSchema,
      body: channelAdminBodySchema,
      summary: '设置单位分端管理员（管理员）',
      response: channelResponseSchema,
      access: ADMIN,
    },
    async ({ params, body }, ctx) => ({ channel: await service.addChannelAdmin(params.id, body.userId, actorOf(ctx)) }),
  );
  api.delete(
    '/api/v1/channels/:id/admins/:userId',
    { params: channelAdminParamsSchema, summary: '移除单位分端管理员（管理员）', response: channelResponseSchema, access: ADMIN },
    async ({ params }, ctx) => ({ channel: await service.removeChannelAdmin(params.id, params.userId, actorOf(ctx)) }),
  );

  return api.router;
}
