import Router from '@koa/router';
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
  rosterResponseSchema,
  signupResponseSchema,
  teamLeaderBodySchema,
  teamListQuerySchema,
  teamListResponseSchema,
  teamMembersResponseSchema,
  teamResponseSchema,
  updateTeamBodySchema,
  volunteerIdParamsSchema,
} from '@shared/schemas/volunteers';
import { z } from 'zod';
import { actorOf, currentUser, optionalUser, requireAuth, requireRole } from '../../core/auth';
import { validate, type RouteAccess } from '../../core/middleware';
import { certificateCheckPage } from './certificate-page';
import type { VolunteersService } from './volunteers.service';

const signupListResponseSchema = z.object({ items: z.array(signupResponseSchema.shape.signup) }).strict();

/** `checkLimit` guards the public certificate check (no sign-in) against serial guessing. */
/** The leaders of the team in question (of the activity's team, of the team named in the body). */
const LEADER: RouteAccess = { roles: ['team_leader', 'admin'], owner: 'a leader of this team' };

export function createVolunteersRouter(service: VolunteersService, checkLimit?: Middleware): Router {
  const router = new Router();
  const tags = ['volunteers'];
  const P = '/api/v1/volunteers';

  // ── teams ──
  const teams = validate(
    { query: teamListQuerySchema },
    { summary: '志愿队伍列表（发现队伍）', tags, response: teamListResponseSchema, access: 'public' },
  );
  router.get(`${P}/teams`, teams, async (ctx) => {
    ctx.body = { items: await service.listTeams(teams.input(ctx).query) };
  });

  const myTeams = validate({}, { summary: '我的志愿队伍', tags, response: teamListResponseSchema, access: 'signed_in' });
  router.get(`${P}/me/teams`, requireAuth, myTeams, async (ctx) => {
    ctx.body = { items: await service.myTeams(currentUser(ctx).id) };
  });

  const team = validate(
    { params: volunteerIdParamsSchema },
    { summary: '志愿队伍详情', tags, response: teamResponseSchema, access: 'public' },
  );
  router.get(`${P}/teams/:id`, team, async (ctx) => {
    ctx.body = { team: await service.getTeam(team.input(ctx).params.id) };
  });

  const createTeam = validate(
    { body: createTeamBodySchema },
    { summary: '创建志愿队伍（管理员）', tags, response: teamResponseSchema, status: 201, access: { roles: ['admin'] } },
  );
  router.post(`${P}/teams`, requireRole('admin'), createTeam, async (ctx) => {
    ctx.status = 201;
    ctx.body = { team: await service.createTeam(createTeam.input(ctx).body) };
  });

  const updateTeam = validate(
    { params: volunteerIdParamsSchema, body: updateTeamBodySchema },
    { summary: '修改志愿队伍（队长/管理员）', tags, response: teamResponseSchema, access: LEADER },
  );
  router.patch(`${P}/teams/:id`, requireAuth, updateTeam, async (ctx) => {
    const { params, body } = updateTeam.input(ctx);
    ctx.body = { team: await service.updateTeam(currentUser(ctx), params.id, body) };
  });

  const leader = validate(
    { params: volunteerIdParamsSchema, body: teamLeaderBodySchema },
    { summary: '任命队长（管理员）', tags, response: teamResponseSchema, access: { roles: ['admin'] } },
  );
  router.post(`${P}/teams/:id/leaders`, requireRole('admin'), leader, async (ctx) => {
    const { params, body } = leader.input(ctx);
    ctx.body = {
      team: await service.appointLeader(actorOf(ctx), params.id, body.userId),
    };
  });

  const members = validate(
    { params: volunteerIdParamsSchema },
    {
      summary: '队员名单（本队队员/队长）',
      tags,
      response: teamMembersResponseSchema,
      access: { owner: 'a member or leader of this team' },
    },
  );
  router.get(`${P}/teams/:id/members`, requireAuth, members, async (ctx) => {
    ctx.body = { members: await service.members(currentUser(ctx), members.input(ctx).params.id) };
  });

  const join = validate(
    { params: volunteerIdParamsSchema, body: joinTeamBodySchema },
    { summary: '申请加入志愿队伍', tags, response: joinRequestResponseSchema, status: 201, access: 'signed_in' },
  );
  router.post(`${P}/teams/:id/join-requests`, requireAuth, join, async (ctx) => {
    const { params, body } = join.input(ctx);
    ctx.status = 201;
    ctx.body = { request: await service.requestToJoin(currentUser(ctx).id, params.id, body.message) };
  });

  const joinList = validate(
    { params: volunteerIdParamsSchema, query: joinRequestListQuerySchema },
    { summary: '入队申请列表（队长）', tags, response: joinRequestListResponseSchema, access: LEADER },
  );
  router.get(`${P}/teams/:id/join-requests`, requireAuth, joinList, async (ctx) => {
    const { params, query } = joinList.input(ctx);
    ctx.body = { items: await service.joinRequests(currentUser(ctx), params.id, query.state) };
  });

  const decide = validate(
    { params: volunteerIdParamsSchema, body: decideJoinBodySchema },
    { summary: '审核入队申请（本队队长）', tags, response: joinRequestResponseSchema, access: LEADER },
  );
  router.post(`${P}/join-requests/:id/decision`, requireAuth, decide, async (ctx) => {
    const { params, body } = decide.input(ctx);
    ctx.body = { request: await service.decideJoin(currentUser(ctx), params.id, body) };
  });

  // ── activities ──
  const activities = validate(
    { query: activityListQuerySchema },
    { summary: '志愿活动列表', tags, response: activityListResponseSchema, access: 'public' },
  );
  router.get(`${P}/activities`, activities, async (ctx) => {
    ctx.body = { items: await service.listActivities(optionalUser(ctx)?.id ?? null, activities.input(ctx).query) };
  });

  const activity = validate(
    { params: volunteerIdParamsSchema },
    { summary: '志愿活动详情（含我的报名）', tags, response: activityResponseSchema, access: 'public' },
  );
  router.get(`${P}/activities/:id`, activity, async (ctx) => {
    ctx.body = { activity: await service.getActivity(optionalUser(ctx)?.id ?? null, activity.input(ctx).params.id) };
  });

  const createActivity = validate(
    { body: createActivityBodySchema },
    { summary: '发布志愿活动（队长/管理员）', tags, response: activityResponseSchema, status: 201, access: LEADER },
  );
  router.post(`${P}/activities`, requireAuth, createActivity, async (ctx) => {
    ctx.status = 201;
    ctx.body = { activity: await service.createActivity(currentUser(ctx), createActivity.input(ctx).body) };
  });

  // ── sign-up ──
  const signUp = validate(
    { params: volunteerIdParamsSchema },
    { summary: '报名（满员进入候补）', tags, response: signupResponseSchema, access: 'signed_in' },
  );
  router.post(`${P}/activities/:id/signup`, requireAuth, signUp, async (ctx) => {
    ctx.body = { signup: await service.signUp(currentUser(ctx).id, signUp.input(ctx).params.id) };
  });
  router.delete(`${P}/activities/:id/signup`, requireAuth, signUp, async (ctx) => {
    ctx.body = { signup: await service.cancelSignUp(currentUser(ctx).id, signUp.input(ctx).params.id) };
  });

  const mySignups = validate({}, { summary: '我的报名', tags, response: signupListResponseSchema, access: 'signed_in' });
  router.get(`${P}/me/signups`, requireAuth, mySignups, async (ctx) => {
    ctx.body = { items: await service.mySignups(currentUser(ctx).id) };
  });

  // ── codes, check-in, check-out ──
  const code = validate(
    { params: volunteerIdParamsSchema },
    { summary: '当前动态签到码（每 30 秒更换，队长手机展示）', tags, response: dynamicCodeResponseSchema, access: LEADER },
  );
  router.get(`${P}/activities/:id/code`, requireAuth, code, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await service.dynamicCode(currentUser(ctx), code.input(ctx).params.id);
  });

  const printed = validate(
    { params: volunteerIdParamsSchema },
    { summary: '打印用小程序码（PNG，场景值为活动 ID）', tags, access: LEADER },
  );
  router.get(`${P}/activities/:id/printed-code.png`, requireAuth, printed, async (ctx) => {
    ctx.type = 'image/png';
    ctx.body = await service.printedCode(currentUser(ctx), printed.input(ctx).params.id);
  });

  const checkIn = validate(
    { params: volunteerIdParamsSchema, body: checkInBodySchema },
    { summary: '扫码签到（动态码或打印码 + 定位）', tags, response: attendanceResponseSchema, access: 'signed_in' },
  );
  router.post(`${P}/activities/:id/check-in`, requireAuth, checkIn, async (ctx) => {
    const { params, body } = checkIn.input(ctx);
    ctx.body = { attendance: await service.checkIn(currentUser(ctx).id, params.id, body) };
  });
  router.post(`${P}/activities/:id/check-out`, requireAuth, checkIn, async (ctx) => {
    const { params, body } = checkIn.input(ctx);
    ctx.body = { attendance: await service.checkOut(currentUser(ctx).id, params.id, body) };
  });

  // ── leader: roster, corrections, confirmation ──
  const roster = validate(
    { params: volunteerIdParamsSchema },
    { summary: '实时名单（已报名/已签到/已签退）', tags, response: rosterResponseSchema, access: LEADER },
  );
  router.get(`${P}/activities/:id/roster`, requireAuth, roster, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await service.roster(currentUser(ctx), roster.input(ctx).params.id);
  });

  const correct = validate(
    { params: rosterParamsSchema, body: correctionBodySchema },
    { summary: '更正签到/签退时间（须填写理由）', tags, response: rosterEntryResponseSchema, access: LEADER },
  );
  router.patch(`${P}/activities/:id/roster/:userId`, requireAuth, correct, async (ctx) => {
    const { params, body } = correct.input(ctx);
    ctx.body = { entry: await service.correct(currentUser(ctx), params.id, params.userId, body) };
  });

  const confirm = validate(
    { params: volunteerIdParamsSchema, body: confirmBodySchema },
    { summary: '确认服务时长并发放积分（每人只发一次）', tags, response: confirmResponseSchema, access: LEADER },
  );
  router.post(`${P}/activities/:id/confirm`, requireAuth, confirm, async (ctx) => {
    const { params, body } = confirm.input(ctx);
    ctx.body = await service.confirm(currentUser(ctx), params.id, body.userIds);
  });

  // ── my record ──
  const record = validate({}, { summary: '我的服务记录（按月/年统计）', tags, response: recordResponseSchema, access: 'signed_in' });
  router.get(`${P}/me/record`, requireAuth, record, async (ctx) => {
    ctx.body = await service.record(currentUser(ctx).id);
  });

  const certificate = validate(
    {},
    { summary: '志愿服务证明（证书页数据）', tags, response: certificateResponseSchema, access: 'signed_in' },
  );
  router.get(`${P}/me/certificate`, requireAuth, certificate, async (ctx) => {
    ctx.body = await service.certificate(currentUser(ctx).id);
  });

  const check = validate(
    { params: certificateSerialParamsSchema },
    { summary: '核验志愿服务证明（公开，扫证明上的二维码）', tags, response: certificateCheckResponseSchema, access: 'public' },
  );
  const limited: Middleware = checkLimit ?? (async (_ctx, next) => next());
  router.get(`${P}/certificates/:serial`, limited, check, async (ctx) => {
    const result = await service.checkCertificate(check.input(ctx).params.serial);
    // A phone camera opening the QR code is a browser: it gets a readable page; API clients get JSON.
    if (ctx.accepts('json', 'html') === 'html') {
      ctx.type = 'html';
      ctx.body = certificateCheckPage(result);
      return;
    }
    ctx.body = { check: result };
  });

  return router;
}
