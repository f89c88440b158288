import type Router from '@koa/router';
import type { Middleware } from 'koa';
import {
  activityListQuerySchema,
  activityListResponseSchema,
  activityResponseSchema,
  attendanceResponseSchema,
  certificateCheckResponseSchema,
  certificateResponseSchema,
  certificateSerialParamsSchema,
  checkInBodySchema,
  confirmBodySchema,
  confirmResponseSchema,
  correctionBodySchema,
  createActivityBodySchema,
  createTeamBodySchema,
  decideJoinBodySchema,
  dynamicCodeResponseSchema,
  joinRequestListQuerySchema,
  joinRequestListResponseSchema,
  joinRequestResponseSchema,
  joinTeamBodySchema,
  recordResponseSchema,
  rosterEntryResponseSchema,
  rosterParamsSchema,
  rosterQuerySchema,
  rosterResponseSchema,
  signupResponseSchema,
  teamLeaderBodySchema,
  teamLeaderParamsSchema,
  teamListQuerySchema,
  teamListResponseSchema,
  teamMembersResponseSchema,
  teamResponseSchema,
  updateTeamBodySchema,
  volunteerIdParamsSchema,
} from '@shared/schemas/volunteers';
import { z } from 'zod';
import { actorOf, currentUser, optionalUser } from '../../core/auth';
import { routes, type RouteAccess } from '../../core/middleware';
import { certificateCheckPage } from './certificate-page';
import type { VolunteersService } from './volunteers.service';

const signupListResponseSchema = z.object({ items: z.array(signupResponseSchema.shape.signup) }).strict();

/** The leaders of the team in question (of the activity's team, of the team named in the body). */
const LEADER: RouteAccess = { roles: ['team_leader', 'admin'], owner: 'a leader of this team' };

/** `checkLimit` guards the public certificate check (no sign-in) against serial guessing. */
export function createVolunteersRouter(service: VolunteersService, checkLimit?: Middleware): Router {
  const api = routes(['volunteers']);
  const P = '/api/v1/volunteers';
  const ADMIN = { roles: ['admin'] } as const;

  // ── teams ──
  api.get(
    `${P}/teams`,
    {
      query: teamListQuerySchema,
      summary: '志愿队伍列表（发现队伍；游标分页，先建的在前）',
      response: teamListResponseSchema,
      access: 'public',
    },
    ({ query }) => service.listTeams(query),
  );
  api.get(`${P}/me/teams`, { summary: '我的志愿队伍', response: teamListResponseSchema, access: 'signed_in' }, async (_input, ctx) => ({
    items: await service.myTeams(currentUser(ctx).id),
    nextCursor: null,
  }));
  api.get(
    `${P}/teams/:id`,
    { params: volunteerIdParamsSchema, summary: '志愿队伍详情', response: teamResponseSchema, access: 'public' },
    async ({ params }) => ({ team: await service.getTeam(params.id) }),
  );
  api.post(
    `${P}/teams`,
    { body: createTeamBodySchema, summary: '创建志愿队伍（管理员）', response: teamResponseSchema, status: 201, access: ADMIN },
    async ({ body }) => ({ team: await service.createTeam(body) }),
  );
  api.patch(
    `${P}/teams/:id`,
    {
      params: volunteerIdParamsSchema,
      body: updateTeamBodySchema,
      summary: '修改志愿队伍（队长/管理员）',
      response: teamResponseSchema,
      access: LEADER,
    },
    async ({ params, body }, ctx) => ({ team: await service.updateTeam(currentUser(ctx), params.id, body) }),
  );
  api.post(
    `${P}/teams/:id/leaders`,
    {
      params: volunteerIdParamsSchema,
      body: teamLeaderBodySchema,
      summary: '任命队长（管理员）',
      response: teamResponseSchema,
      access: ADMIN,
    },
    async ({ params, body }, ctx) => ({ team: await service.appointLeader(actorOf(ctx), params.id, body.userId) }),
  );
  api.delete(
    `${P}/teams/:id/leaders/:userId`,
    { params: teamLeaderParamsSchema, summary: '撤销队长（管理员）', response: teamResponseSchema, access: ADMIN },
    async ({ params }, ctx) => ({ team: await service.dismissLeader(actorOf(ctx), params.id, params.userId) }),
  );
  api.get(
    `${P}/teams/:id/members`,
    {
      params: volunteerIdParamsSchema,
      summary: '队员名单（本队队员/队长）',
      response: teamMembersResponseSchema,
      access: { owner: 'a member or leader of this team' },
    },
    async ({ params }, ctx) => ({ members: await service.members(currentUser(ctx), params.id) }),
  );
  api.post(
    `${P}/teams/:id/join-requests`,
    {
      params: volunteerIdParamsSchema,
      body: joinTeamBodySchema,
      summary: '申请加入志愿队伍',
      response: joinRequestResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    async ({ params, body }, ctx) => ({ request: await service.requestToJoin(currentUser(ctx).id, params.id, body.message) }),
  );
  api.get(
    `${P}/teams/:id/join-requests`,
    {
      params: volunteerIdParamsSchema,
      query: joinRequestListQuerySchema,
      summary: '入队申请列表（队长）',
      response: joinRequestListResponseSchema,
      access: LEADER,
    },
    async ({ params, query }, ctx) => ({ items: await service.joinRequests(currentUser(ctx), params.id, query.state) }),
  );
  api.post(
    `${P}/join-requests/:id/decision`,
    {
      params: volunteerIdParamsSchema,
      body: decideJoinBodySchema,
      summary: '审核入队申请（本队队长）',
      response: joinRequestResponseSchema,
      access: LEADER,
    },
    async ({ params, body }, ctx) => ({ request: await service.decideJoin(currentUser(ctx), params.id, body) }),
  );

  // ── activities ──
  api.get(
    `${P}/activities`,
    {
      query: activityListQuerySchema,
      summary: '志愿活动列表（游标分页：未结束的按开始时间先后，全部的最近开始在前）',
      response: activityListResponseSchema,
      access: 'public',
    },
    ({ query }, ctx) => service.listActivities(optionalUser(ctx)?.id ?? null, query),
  );
  api.get(
    `${P}/activities/:id`,
    { params: volunteerIdParamsSchema, summary: '志愿活动详情（含我的报名）', response: activityResponseSchema, access: 'public' },
    async ({ params }, ctx) => ({ activity: await service.getActivity(optionalUser(ctx)?.id ?? null, params.id) }),
  );
  api.post(
    `${P}/activities`,
    {
      body: createActivityBodySchema,
      summary: '发布志愿活动（队长/管理员）',
      response: activityResponseSchema,
      status: 201,
      access: LEADER,
    },
    async ({ body }, ctx) => ({ activity: await service.createActivity(currentUser(ctx), body) }),
  );

  // ── sign-up ──
  const signUp = {
    params: volunteerIdParamsSchema,
    summary: '报名（满员进入候补）',
    response: signupResponseSchema,
    access: 'signed_in',
  } as const;
  api.post(`${P}/activities/:id/signup`, signUp, async ({ params }, ctx) => ({
    signup: await service.signUp(currentUser(ctx).id, params.id),
  }));
  api.delete(`${P}/activities/:id/signup`, signUp, async ({ params }, ctx) => ({
    signup: await service.cancelSignUp(currentUser(ctx).id, params.id),
  }));
  api.get(`${P}/me/signups`, { summary: '我的报名', response: signupListResponseSchema, access: 'signed_in' }, async (_input, ctx) => ({
    items: await service.mySignups(currentUser(ctx).id),
  }));

  // ── codes, check-in, check-out ──
  api.get(
    `${P}/activities/:id/code`,
    {
      params: volunteerIdParamsSchema,
      summary: '当前动态签到码（每 30 秒更换，队长手机展示）',
      response: dynamicCodeResponseSchema,
      access: LEADER,
    },
    ({ params }, ctx) => {
      ctx.set('Cache-Control', 'no-store');
      return service.dynamicCode(currentUser(ctx), params.id);
    },
  );
  api.get(
    `${P}/activities/:id/printed-code.png`,
    { params: volunteerIdParamsSchema, summary: '打印用小程序码（PNG，场景值为活动 ID）', access: LEADER },
    ({ params }, ctx) => {
      ctx.type = 'image/png';
      return service.printedCode(currentUser(ctx), params.id);
    },
  );
  const checkIn = {
    params: volunteerIdParamsSchema,
    body: checkInBodySchema,
    summary: '扫码签到（动态码或打印码 + 定位）',
    response: attendanceResponseSchema,
    access: 'signed_in',
  } as const;
  api.post(`${P}/activities/:id/check-in`, checkIn, async ({ params, body }, ctx) => ({
    attendance: await service.checkIn(currentUser(ctx).id, params.id, body),
  }));
  api.post(`${P}/activities/:id/check-out`, checkIn, async ({ params, body }, ctx) => ({
    attendance: await service.checkOut(currentUser(ctx).id, params.id, body),
  }));

  // ── leader: roster, corrections, confirmation ──
  api.get(
    `${P}/activities/:id/roster`,
    {
      params: volunteerIdParamsSchema,
      query: rosterQuerySchema,
      summary: '实时名单（报名或候补，按排队先后游标分页；附已报名/已签到/已签退计数）',
      response: rosterResponseSchema,
      access: LEADER,
    },
    ({ params, query }, ctx) => {
      ctx.set('Cache-Control', 'no-store');
      return service.roster(currentUser(ctx), params.id, query);
    },
  );
  api.patch(
    `${P}/activities/:id/roster/:userId`,
    {
      params: rosterParamsSchema,
      body: correctionBodySchema,
      summary: '更正签到/签退时间（须填写理由）',
      response: rosterEntryResponseSchema,
      access: LEADER,
    },
    async ({ params, body }, ctx) => ({ entry: await service.correct(currentUser(ctx), params.id, params.userId, body) }),
  );
  api.post(
    `${P}/activities/:id/confirm`,
    {
      params: volunteerIdParamsSchema,
      body: confirmBodySchema,
      summary: '确认服务时长并发放积分（每人只发一次）',
      response: confirmResponseSchema,
      access: LEADER,
    },
    ({ params, body }, ctx) => service.confirm(currentUser(ctx), params.id, body.userIds),
  );

  // ── my record ──
  api.get(
    `${P}/me/record`,
    { summary: '我的服务记录（按月/年统计）', response: recordResponseSchema, access: 'signed_in' },
    (_input, ctx) => service.record(currentUser(ctx).id),
  );
  api.get(
    `${P}/me/certificate`,
    { summary: '志愿服务证明（证书页数据）', response: certificateResponseSchema, access: 'signed_in' },
    (_input, ctx) => service.certificate(currentUser(ctx).id),
  );
  api.get(
    `${P}/certificates/:serial`,
    {
      params: certificateSerialParamsSchema,
      summary: '核验志愿服务证明（公开，扫证明上的二维码）',
      response: certificateCheckResponseSchema,
      access: 'public',
      // `checkLimit` (serial guessing) runs before validation, as it always has: malformed serials pass through it too.
      guard: checkLimit ? [checkLimit] : [],
    },
    async ({ params }, ctx) => {
      const result = await service.checkCertificate(params.serial);
      // A phone camera opening the QR code is a browser: it gets a readable page; API clients get JSON.
      if (ctx.accepts('json', 'html') === 'html') {
        ctx.type = 'html';
        ctx.body = certificateCheckPage(result);
        return undefined;
      }
      return { check: result };
    },
  );

  return api.router;
}
