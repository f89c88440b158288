import Router from '@koa/router';
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
  channelListResponseSchema,
  channelResponseSchema,
  circleLeaderBodySchema,
  circleLeaderParamsSchema,
  circleListResponseSchema,
  circlePageResponseSchema,
  circleResponseSchema,
  createChannelBodySchema,
  createCircleBodySchema,
  decideApplicationBodySchema,
  idParamsSchema,
  updateCircleBodySchema,
} from '@shared/schemas/newsroom';
import { actorOf, currentUser, requireAuth, requireRole } from '../../core/auth';
import { validate, type RouteAccess } from '../../core/middleware';
import type { NewsroomService } from '../newsroom';
import type { CirclesService } from './circles.service';

/** A circle's leaders run its business (announcements, applications), editors every circle's. */
const MANAGERS: RouteAccess = { roles: ['circle_leader', 'editor', 'admin'], owner: 'a circle leader: their own circle' };

export function createCirclesRouter(service: CirclesService, newsroom: Pick<NewsroomService, 'recentByCircle'>): Router {
  const router = new Router();
  const tags = ['circles'];

  const list = validate({}, { summary: '通讯员圈子列表', tags, response: circleListResponseSchema, access: 'public' });
  router.get('/api/v1/circles', list, async (ctx) => {
    ctx.body = { items: await service.list() };
  });

  const page = validate(
    { params: idParamsSchema },
    { summary: '圈子主页（含近期发布作品）', tags, response: circlePageResponseSchema, access: 'public' },
  );
  router.get('/api/v1/circles/:id', page, async (ctx) => {
    const { id } = page.input(ctx).params;
    const circle = await service.get(id);
    ctx.body = { circle, recent: await newsroom.recentByCircle(id) };
  });

  const create = validate(
    { body: createCircleBodySchema },
    { summary: '创建圈子（管理员）', tags, response: circleResponseSchema, status: 201, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/circles', requireRole('admin'), create, async (ctx) => {
    ctx.status = 201;
    ctx.body = { circle: await service.create(create.input(ctx).body, actorOf(ctx)) };
  });

  const update = validate(
    { params: idParamsSchema, body: updateCircleBodySchema },
    { summary: '修改圈子（管理员）', tags, response: circleResponseSchema, access: { roles: ['admin'] } },
  );
  router.patch('/api/v1/circles/:id', requireRole('admin'), update, async (ctx) => {
    const { params, body } = update.input(ctx);
    ctx.body = { circle: await service.update(params.id, body, actorOf(ctx)) };
  });

  const leader = validate(
    { params: idParamsSchema, body: circleLeaderBodySchema },
    { summary: '任命圈长（管理员）', tags, response: circleResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/circles/:id/leaders', requireRole('admin'), leader, async (ctx) => {
    const { params, body } = leader.input(ctx);
    ctx.body = { circle: await service.appointLeader(actorOf(ctx), params.id, body.userId) };
  });

  const dismiss = validate(
    { params: circleLeaderParamsSchema },
    { summary: '免去圈长（管理员）', tags, response: circleResponseSchema, access: { roles: ['admin'] } },
  );
  router.delete('/api/v1/circles/:id/leaders/:userId', requireRole('admin'), dismiss, async (ctx) => {
    const { id, userId } = dismiss.input(ctx).params;
    ctx.body = { circle: await service.dismissLeader(actorOf(ctx), id, userId) };
  });

  const announce = validate(
    { params: idParamsSchema, body: announcementBodySchema },
    { summary: '发布圈子公告（圈长/编辑）', tags, response: circleResponseSchema, access: MANAGERS },
  );
  router.post('/api/v1/circles/:id/announcements', requireAuth, announce, async (ctx) => {
    const { params, body } = announce.input(ctx);
    ctx.body = { circle: await service.announce(currentUser(ctx), params.id, body.text) };
  });

  // ── correspondent applications ──
  const apply = validate(
    { body: applyBodySchema },
    { summary: '申请成为通讯员（需已绑定手机号）', tags, response: applicationResponseSchema, status: 201, access: 'signed_in' },
  );
  router.post('/api/v1/correspondents/applications', requireAuth, apply, async (ctx) => {
    ctx.status = 201;
    ctx.body = { application: await service.apply(currentUser(ctx).id, apply.input(ctx).body) };
  });

  const mine = validate({}, { summary: '我的通讯员申请', tags, response: applicationListResponseSchema, access: 'signed_in' });
  router.get('/api/v1/correspondents/applications/mine', requireAuth, mine, async (ctx) => {
    ctx.body = { items: await service.myApplications(currentUser(ctx).id) };
  });

  const pending = validate(
    { query: applicationListQuerySchema },
    { summary: '待审核申请（圈长看本圈，编辑看全部；游标分页，先到先审）', tags, response: applicationPageSchema, access: MANAGERS },
  );
  router.get('/api/v1/correspondents/applications', requireAuth, pending, async (ctx) => {
    ctx.body = await service.applications(currentUser(ctx), pending.input(ctx).query);
  });

  const decideMany = validate(
    { body: batchDecideApplicationsBodySchema },
    { summary: '批量审核通讯员申请（逐条返回结果）', tags, response: batchDecideApplicationsResponseSchema, access: MANAGERS },
  );
  router.post('/api/v1/correspondents/applications/decisions', requireAuth, decideMany, async (ctx) => {
    const { ids, ...decision } = decideMany.input(ctx).body;
    ctx.body = { results: await service.decideMany(currentUser(ctx), ids, decision) };
  });

  const decide = validate(
    { params: idParamsSchema, body: decideApplicationBodySchema },
    { summary: '审核通讯员申请（通过/拒绝并说明理由）', tags, response: applicationResponseSchema, access: MANAGERS },
  );
  router.post('/api/v1/correspondents/applications/:id/decision', requireAuth, decide, async (ctx) => {
    const { params, body } = decide.input(ctx);
    ctx.body = { application: await service.decide(currentUser(ctx), params.id, body) };
  });

  // ── unit channels ──
  const channels = validate({}, { summary: '单位分端列表', tags, response: channelListResponseSchema, access: 'public' });
  router.get('/api/v1/channels', channels, async (ctx) => {
    ctx.body = { items: await service.listChannels() };
  });
  const createChannel = validate(
    { body: createChannelBodySchema },
    { summary: '创建单位分端（管理员）', tags, response: channelResponseSchema, status: 201, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/channels', requireRole('admin'), createChannel, async (ctx) => {
    ctx.status = 201;
    ctx.body = { channel: await service.createChannel(createChannel.input(ctx).body, actorOf(ctx)) };
  });
  const channelAdmin = validate(
    { params: idParamsSchema, body: channelAdminBodySchema },
    { summary: '设置单位分端管理员（管理员）', tags, response: channelResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/channels/:id/admins', requireRole('admin'), channelAdmin, async (ctx) => {
    const { params, body } = channelAdmin.input(ctx);
    ctx.body = { channel: await service.addChannelAdmin(params.id, body.userId, actorOf(ctx)) };
  });

  return router;
}
