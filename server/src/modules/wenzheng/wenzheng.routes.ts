import Router from '@koa/router';
import {
  answerBodySchema,
  assignBodySchema,
  boardResponseSchema,
  caseIdParamsSchema,
  caseListQuerySchema,
  caseListResponseSchema,
  casePartParamsSchema,
  caseResponseSchema,
  declineBodySchema,
  decideBodySchema,
  departmentBodySchema,
  departmentHistoryQuerySchema,
  departmentHistoryResponseSchema,
  departmentListResponseSchema,
  departmentParamsSchema,
  departmentResponseSchema,
  extensionBodySchema,
  forwardBodySchema,
  handoverBodySchema,
  holidayBodySchema,
  holidayListQuerySchema,
  holidayListResponseSchema,
  holidayParamsSchema,
  holidayViewSchema,
  intakeCaseBodySchema,
  leaderListResponseSchema,
  mergeBodySchema,
  monthQuerySchema,
  postCaseBodySchema,
  rateBodySchema,
  rawEventsQuerySchema,
  rawEventsResponseSchema,
  reasonBodySchema,
  settingsPatchSchema,
  settingsResponseSchema,
  staffQueueQuerySchema,
  visibilityBodySchema,
} from '@shared/schemas/wenzheng';
import { z } from 'zod';
import type { Middleware } from 'koa';
import { currentUser, optionalUser, requireAuth, requireRole } from '../../core/auth';
import { validate, type RouteAccess } from '../../core/middleware';
import type { WenzhengService } from './wenzheng.service';

// Who may call what (RouteAccess). Whoever may not see a case gets the 404 of a missing one, before any
// state (access.ts, the gate); test/http/authz-matrix.test.ts calls every route as everyone else.
const EDITORS: RouteAccess = { roles: ['editor', 'admin'] };
const POSTER: RouteAccess = { owner: 'the poster of the case' };
const HANDLER: RouteAccess = { roles: ['department_staff', 'grid_leader', 'admin'], owner: "the case's lead department or grid" };
const CO_DEPARTMENT: RouteAccess = { roles: ['department_staff', 'admin'], owner: 'the co-department in the path, on its part' };
const PROPAGANDA: RouteAccess = { roles: ['department_staff', 'admin'], owner: '宣传部, on cases reported to it' };

const P = '/api/v1/wenzheng';

export function createWenzhengRouter(service: WenzhengService, postLimit: Middleware): Router {
  const router = new Router();
  const tags = ['wenzheng'];
  const staffTags = ['wenzheng-staff'];
  const adminTags = ['wenzheng-admin'];

  // ── citizens and the public ──

  const post = validate(
    { body: postCaseBodySchema },
    {
      summary: '网友提问（类别、标题、内容、≤9 张图、位置、是否公开/匿名）',
      tags,
      response: caseResponseSchema,
      status: 201,
      access: 'signed_in',
    },
  );
  router.post(`${P}/cases`, requireAuth, postLimit, post, async (ctx) => {
    ctx.status = 201;
    ctx.body = { case: await service.post(currentUser(ctx), post.input(ctx).body) };
  });

  const list = validate(
    { query: caseListQuerySchema },
    { summary: '公开问政列表（按类别、状态筛选）', tags, response: caseListResponseSchema, access: 'public' },
  );
  router.get(`${P}/cases`, list, async (ctx) => {
    ctx.body = await service.list(optionalUser(ctx) ?? null, list.input(ctx).query);
  });

  const mine = validate(
    { query: caseListQuerySchema },
    { summary: '我的问政（含关注的合并事项）', tags, response: caseListResponseSchema, access: 'signed_in' },
  );
  router.get(`${P}/cases/mine`, requireAuth, mine, async (ctx) => {
    ctx.body = await service.mine(currentUser(ctx), mine.input(ctx).query);
  });

  const get = validate(
    { params: caseIdParamsSchema },
    { summary: '问政详情与办理时间线', tags, response: caseResponseSchema, access: 'public' },
  );
  router.get(`${P}/cases/:id`, get, async (ctx) => {
    ctx.body = { case: await service.get(optionalUser(ctx) ?? null, get.input(ctx).params.id) };
  });

  const rate = validate(
    { params: caseIdParamsSchema, body: rateBodySchema },
    { summary: '评价答复（满意/不满意 + 评语）', tags, response: caseResponseSchema, access: POSTER },
  );
  router.post(`${P}/cases/:id/rate`, requireAuth, rate, async (ctx) => {
    const { params, body } = rate.input(ctx);
    ctx.body = { case: await service.rate(currentUser(ctx), params.id, body.satisfied, body.comment) };
  });

  const reopen = validate(
    { params: caseIdParamsSchema, body: reasonBodySchema },
    { summary: '不满意答复，申请重办（仅一次）', tags, response: caseResponseSchema, access: POSTER },
  );
  router.post(`${P}/cases/:id/reopen`, requireAuth, reopen, async (ctx) => {
    const { params, body } = reopen.input(ctx);
    ctx.body = { case: await service.reopen(currentUser(ctx), params.id, body.reason) };
  });

  const depts = validate({}, { summary: '承办部门', tags, response: departmentListResponseSchema, access: 'public' });
  router.get(`${P}/departments`, depts, async (ctx) => {
    ctx.body = { departments: await service.listDepartments(optionalUser(ctx) ?? null) };
  });

  const board = validate(
    { query: monthQuerySchema },
    {
      summary: '月度部门榜单：办件数、答复率、按时率、满意率、答复用时中位数（公开排名）',
      tags,
      response: boardResponseSchema,
      access: 'public',
    },
  );
  router.get(`${P}/boards`, board, async (ctx) => {
    ctx.body = await service.board(board.input(ctx).query.month);
  });

  const history = validate(
    { params: departmentParamsSchema, query: departmentHistoryQuerySchema },
    { summary: '单个部门的逐月办理情况', tags, response: departmentHistoryResponseSchema, access: 'public' },
  );
  router.get(`${P}/boards/:code`, history, async (ctx) => {
    const { params, query } = history.input(ctx);
    ctx.body = await service.departmentHistory(params.code, query.months);
  });

  // ── editors ──

  const intake = validate(
    { body: intakeCaseBodySchema },
    {
      summary: '录入其他渠道来件（热线、信箱、爆料、12345…）',
      tags: staffTags,
      response: caseResponseSchema,
      status: 201,
      access: EDITORS,
    },
  );
  router.post(`${P}/intake`, requireAuth, intake, async (ctx) => {
    ctx.status = 201;
    ctx.body = { case: await service.intake(currentUser(ctx), intake.input(ctx).body) };
  });

  const triage = validate(
    { query: caseListQuerySchema },
    { summary: '编辑审核队列（默认待审核）', tags: staffTags, response: caseListResponseSchema, access: EDITORS },
  );
  router.get(`${P}/triage`, requireAuth, triage, async (ctx) => {
    ctx.body = await service.triageQueue(currentUser(ctx), triage.input(ctx).query);
  });

  const nearby = validate(
    { params: caseIdParamsSchema },
    {
      summary: '附近办理中的事项（合并重复问题用）',
      tags: staffTags,
      response: z.object({ items: caseListResponseSchema.shape.items }).strict(),
      access: EDITORS,
    },
  );
  router.get(`${P}/cases/:id/nearby`, requireAuth, nearby, async (ctx) => {
    ctx.body = { items: await service.nearby(currentUser(ctx), nearby.input(ctx).params.id) };
  });

  const action = <B extends z.ZodType>(
    path: string,
    summary: string,
    access: RouteAccess,
    body: B,
    run: (ctx: Parameters<Middleware>[0], id: string, body: z.output<B>) => Promise<unknown>,
  ) => {
    const v = validate({ params: caseIdParamsSchema, body }, { summary, tags: staffTags, response: caseResponseSchema, access });
    router.post(`${P}/cases/:id/${path}`, requireAuth, v, async (ctx) => {
      const input = v.input(ctx);
      ctx.body = { case: await run(ctx, input.params.id, input.body) };
    });
  };
  action('reject', '不予受理（理由网友可见）', EDITORS, reasonBodySchema, (ctx, id, b) => service.reject(currentUser(ctx), id, b.reason));
  action('merge', '合并为附近办理中事项的重复问题', EDITORS, mergeBodySchema, (ctx, id, b) =>
    service.merge(currentUser(ctx), id, b.targetId, b.note),
  );
  action('forward', '转交办理：直办/网格/上报宣传部，承办部门，事项类型，是否公开', EDITORS, forwardBodySchema, (ctx, id, b) =>
    service.forward(currentUser(ctx), id, b),
  );
  action('assign', '宣传部交办部门并抄送领导', PROPAGANDA, assignBodySchema, (ctx, id, b) => service.assign(currentUser(ctx), id, b));
  action('visibility', '公开或撤下', EDITORS, visibilityBodySchema, (ctx, id, b) => service.setVisibility(currentUser(ctx), id, b.publish));
  action('extension/decide', '审核延期申请', EDITORS, decideBodySchema, (ctx, id, b) =>
    service.decideExtension(currentUser(ctx), id, b.approve, b.note),
  );
  action('handover', '确认或退回部门的转办申请', EDITORS, handoverBodySchema, (ctx, id, b) => service.handover(currentUser(ctx), id, b));

  // ── departments ──

  const queue = validate(
    { query: staffQueueQuerySchema },
    {
      summary: '部门待办（只含本部门/本网格事项）',
      tags: staffTags,
      response: caseListResponseSchema,
      access: { roles: ['department_staff', 'grid_leader', 'admin'], owner: 'their department or grid' },
    },
  );
  router.get(`${P}/queue`, requireAuth, queue, async (ctx) => {
    ctx.body = await service.departmentQueue(currentUser(ctx), queue.input(ctx).query);
  });

  action('accept', '部门受理', HANDLER, z.object({}).strict(), (ctx, id) => service.accept(currentUser(ctx), id));
  action('answer', '部门答复', HANDLER, answerBodySchema, (ctx, id, b) => service.answer(currentUser(ctx), id, b.text));
  action('extension', '申请延期（理由）', HANDLER, extensionBodySchema, (ctx, id, b) =>
    service.requestExtension(currentUser(ctx), id, b.days, b.reason),
  );
  action('decline', '非本部门职责：说明理由并指明应办部门', HANDLER, declineBodySchema, (ctx, id, b) =>
    service.decline(currentUser(ctx), id, b.suggestedDepartment, b.reason),
  );

  // ── co-departments (协办): their own part of a case ──

  const part = <B extends z.ZodType>(
    path: string,
    summary: string,
    access: RouteAccess,
    body: B,
    run: (ctx: Parameters<Middleware>[0], id: string, code: string, body: z.output<B>) => Promise<unknown>,
  ) => {
    const v = validate({ params: casePartParamsSchema, body }, { summary, tags: staffTags, response: caseResponseSchema, access });
    router.post(`${P}/cases/:id/parts/:code/${path}`, requireAuth, v, async (ctx) => {
      const input = v.input(ctx);
      ctx.body = { case: await run(ctx, input.params.id, input.params.code, input.body) };
    });
  };
  part('accept', '协办部门受理本部门部分', CO_DEPARTMENT, z.object({}).strict(), (ctx, id, code) =>
    service.coAccept(currentUser(ctx), id, code),
  );
  part('answer', '协办部门答复本部门部分', CO_DEPARTMENT, answerBodySchema, (ctx, id, code, b) =>
    service.coAnswer(currentUser(ctx), id, code, b.text),
  );
  part('decline', '协办部分非本部门职责：说明理由并指明应办部门', CO_DEPARTMENT, declineBodySchema, (ctx, id, code, b) =>
    service.coDecline(currentUser(ctx), id, code, b.suggestedDepartment, b.reason),
  );
  part('handover', '编辑确认或退回协办部门的转办申请', EDITORS, handoverBodySchema, (ctx, id, code, b) =>
    service.coHandover(currentUser(ctx), id, code, b),
  );

  // ── county leaders (抄送县领导) ──

  const leaders = validate(
    {},
    {
      summary: '可抄送的县领导',
      tags: staffTags,
      response: leaderListResponseSchema,
      access: { roles: ['department_staff', 'editor', 'admin'], owner: 'department staff: of 宣传部 only' },
    },
  );
  router.get(`${P}/leaders`, requireAuth, leaders, async (ctx) => {
    ctx.body = { leaders: await service.listLeaders(currentUser(ctx)) };
  });
  const copied = validate(
    { query: caseListQuerySchema },
    {
      summary: '抄送给我的问政事项（县领导，只读）',
      tags: staffTags,
      response: caseListResponseSchema,
      access: { roles: ['county_leader'] },
    },
  );
  router.get(`${P}/copied`, requireAuth, copied, async (ctx) => {
    ctx.body = await service.copiedToMe(currentUser(ctx), copied.input(ctx).query);
  });

  const events = validate(
    { query: rawEventsQuerySchema },
    { summary: '原始办理事件（按事项或月份，用于复核榜单）', tags: staffTags, response: rawEventsResponseSchema, access: EDITORS },
  );
  router.get(`${P}/events`, requireAuth, events, async (ctx) => {
    ctx.body = { events: await service.rawEvents(currentUser(ctx), events.input(ctx).query) };
  });

  // ── admin ──

  const getSettings = validate(
    {},
    { summary: '办理时限、提醒、合并半径、类别默认部门', tags: adminTags, response: settingsResponseSchema, access: EDITORS },
  );
  router.get(`${P}/settings`, requireAuth, getSettings, async (ctx) => {
    ctx.body = { settings: await service.getSettings(currentUser(ctx)) };
  });
  const patchSettings = validate(
    { body: settingsPatchSchema },
    { summary: '修改办理时限（工作日）与类别默认部门', tags: adminTags, response: settingsResponseSchema, access: { roles: ['admin'] } },
  );
  router.patch(`${P}/settings`, requireRole('admin'), patchSettings, async (ctx) => {
    ctx.body = { settings: await service.updateSettings(currentUser(ctx), patchSettings.input(ctx).body) };
  });

  const putDept = validate(
    { params: departmentParamsSchema, body: departmentBodySchema },
    { summary: '新增或修改部门（负责人、是否宣传部）', tags: adminTags, response: departmentResponseSchema, access: { roles: ['admin'] } },
  );
  router.put(`${P}/departments/:code`, requireRole('admin'), putDept, async (ctx) => {
    const { params, body } = putDept.input(ctx);
    ctx.body = { department: await service.saveDepartment(currentUser(ctx), params.code, body) };
  });

  const holidays = validate(
    { query: holidayListQuerySchema },
    { summary: '节假日与调休上班日', tags: adminTags, response: holidayListResponseSchema, access: 'public' },
  );
  router.get(`${P}/holidays`, holidays, async (ctx) => {
    ctx.body = { holidays: await service.listHolidays(holidays.input(ctx).query.year) };
  });
  const putHoliday = validate(
    { params: holidayParamsSchema, body: holidayBodySchema },
    {
      summary: '设置节假日（holiday）或调休上班日（workday）',
      tags: adminTags,
      response: z.object({ holiday: holidayViewSchema }).strict(),
      access: { roles: ['admin'] },
    },
  );
  router.put(`${P}/holidays/:date`, requireRole('admin'), putHoliday, async (ctx) => {
    const { params, body } = putHoliday.input(ctx);
    ctx.body = { holiday: await service.setHoliday(currentUser(ctx), params.date, body.kind, body.name) };
  });
  const delHoliday = validate(
    { params: holidayParamsSchema },
    { summary: '删除节假日设置', tags: adminTags, status: 204, access: { roles: ['admin'] } },
  );
  router.delete(`${P}/holidays/:date`, requireRole('admin'), delHoliday, async (ctx) => {
    await service.removeHoliday(currentUser(ctx), delHoliday.input(ctx).params.date);
    ctx.status = 204;
  });

  return router;
}
