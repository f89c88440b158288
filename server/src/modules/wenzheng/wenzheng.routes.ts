import type Router from '@koa/router';
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
import type { Context, Middleware } from 'koa';
import { currentUser, optionalUser, requireAuth } from '../../core/auth';
import { routes, type RouteAccess } from '../../core/middleware';
import type { WenzhengService } from './wenzheng.service';

// Who may call what (RouteAccess). Whoever may not see a case gets the 404 of a missing one, before any
// state (access.ts, the gate); test/http/authz-matrix.test.ts calls every route as everyone else.
const EDITORS: RouteAccess = { roles: ['editor', 'admin'] };
const POSTER: RouteAccess = { owner: 'the poster of the case' };
const HANDLER: RouteAccess = { roles: ['department_staff', 'grid_leader', 'admin'], owner: "the case's lead department or grid" };
const CO_DEPARTMENT: RouteAccess = { roles: ['department_staff', 'admin'], owner: 'the co-department in the path, on its part' };
const PROPAGANDA: RouteAccess = { roles: ['department_staff', 'admin'], owner: '宣传部, on cases reported to it' };

/**
 * The door of the staff routes, whatever their `access` names (editors, county leaders): a signed-in user, as
 * it always was. The service checks the role (access.ts and the gate), not the router.
 */
const SIGNED_IN = [requireAuth];
const ADMIN = { roles: ['admin'] } as const;

const P = '/api/v1/wenzheng';

export function createWenzhengRouter(service: WenzhengService, postLimit: Middleware): Router {
  const api = routes(['wenzheng']);
  // Staff and admin routes carry their own tags on the same router, declared in order.
  const staff = routes(['wenzheng-staff'], api.router);
  const admin = routes(['wenzheng-admin'], api.router);

  // ── citizens and the public ──

  api.post(
    `${P}/cases`,
    {
      body: postCaseBodySchema,
      summary: '网友提问（类别、标题、内容、≤9 张图、位置、是否公开/匿名）',
      response: caseResponseSchema,
      status: 201,
      access: 'signed_in',
      guard: [requireAuth, postLimit],
    },
    async ({ body }, ctx) => ({ case: await service.post(currentUser(ctx), body) }),
  );
  api.get(
    `${P}/cases`,
    { query: caseListQuerySchema, summary: '公开问政列表（按类别、状态筛选）', response: caseListResponseSchema, access: 'public' },
    ({ query }, ctx) => service.list(optionalUser(ctx) ?? null, query),
  );
  api.get(
    `${P}/cases/mine`,
    { query: caseListQuerySchema, summary: '我的问政（含关注的合并事项）', response: caseListResponseSchema, access: 'signed_in' },
    ({ query }, ctx) => service.mine(currentUser(ctx), query),
  );
  api.get(
    `${P}/cases/:id`,
    { params: caseIdParamsSchema, summary: '问政详情与办理时间线', response: caseResponseSchema, access: 'public' },
    async ({ params }, ctx) => ({ case: await service.get(optionalUser(ctx) ?? null, params.id) }),
  );
  api.post(
    `${P}/cases/:id/rate`,
    {
      params: caseIdParamsSchema,
      body: rateBodySchema,
      summary: '评价答复（满意/不满意 + 评语）',
      response: caseResponseSchema,
      access: POSTER,
    },
    async ({ params, body }, ctx) => ({ case: await service.rate(currentUser(ctx), params.id, body.satisfied, body.comment) }),
  );
  api.post(
    `${P}/cases/:id/reopen`,
    {
      params: caseIdParamsSchema,
      body: reasonBodySchema,
      summary: '不满意答复，申请重办（仅一次）',
      response: caseResponseSchema,
      access: POSTER,
    },
    async ({ params, body }, ctx) => ({ case: await service.reopen(currentUser(ctx), params.id, body.reason) }),
  );
  api.get(`${P}/departments`, { summary: '承办部门', response: departmentListResponseSchema, access: 'public' }, async (_input, ctx) => ({
    departments: await service.listDepartments(optionalUser(ctx) ?? null),
  }));
  api.get(
    `${P}/boards`,
    {
      query: monthQuerySchema,
      summary: '月度部门榜单：办件数、答复率、按时率、满意率、答复用时中位数（公开排名）',
      response: boardResponseSchema,
      access: 'public',
    },
    ({ query }) => service.board(query.month),
  );
  api.get(
    `${P}/boards/:code`,
    {
      params: departmentParamsSchema,
      query: departmentHistoryQuerySchema,
      summary: '单个部门的逐月办理情况',
      response: departmentHistoryResponseSchema,
      access: 'public',
    },
    ({ params, query }) => service.departmentHistory(params.code, query.months),
  );

  // ── editors ──

  staff.post(
    `${P}/intake`,
    {
      body: intakeCaseBodySchema,
      summary: '录入其他渠道来件（热线、信箱、爆料、12345…）',
      response: caseResponseSchema,
      status: 201,
      access: EDITORS,
      guard: SIGNED_IN,
    },
    async ({ body }, ctx) => ({ case: await service.intake(currentUser(ctx), body) }),
  );
  staff.get(
    `${P}/triage`,
    {
      query: caseListQuerySchema,
      summary: '编辑审核队列（默认待审核）',
      response: caseListResponseSchema,
      access: EDITORS,
      guard: SIGNED_IN,
    },
    ({ query }, ctx) => service.triageQueue(currentUser(ctx), query),
  );
  staff.get(
    `${P}/cases/:id/nearby`,
    {
      params: caseIdParamsSchema,
      summary: '附近办理中的事项（合并重复问题用）',
      response: z.object({ items: caseListResponseSchema.shape.items }).strict(),
      access: EDITORS,
      guard: SIGNED_IN,
    },
    async ({ params }, ctx) => ({ items: await service.nearby(currentUser(ctx), params.id) }),
  );

  const action = <B extends z.ZodType>(
    path: string,
    summary: string,
    access: RouteAccess,
    body: B,
    run: (ctx: Context, id: string, body: z.output<B>) => Promise<unknown>,
  ) =>
    staff.post(
      `${P}/cases/:id/${path}`,
      { params: caseIdParamsSchema, body, summary, response: caseResponseSchema, access, guard: SIGNED_IN },
      async (input, ctx) => ({ case: await run(ctx, input.params.id, input.body) }),
    );
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

  staff.get(
    `${P}/queue`,
    {
      query: staffQueueQuerySchema,
      summary: '部门待办（只含本部门/本网格事项）',
      response: caseListResponseSchema,
      access: { roles: ['department_staff', 'grid_leader', 'admin'], owner: 'their department or grid' },
    },
    ({ query }, ctx) => service.departmentQueue(currentUser(ctx), query),
  );

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
    run: (ctx: Context, id: string, code: string, body: z.output<B>) => Promise<unknown>,
  ) =>
    staff.post(
      `${P}/cases/:id/parts/:code/${path}`,
      { params: casePartParamsSchema, body, summary, response: caseResponseSchema, access, guard: SIGNED_IN },
      async (input, ctx) => ({ case: await run(ctx, input.params.id, input.params.code, input.body) }),
    );
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

  staff.get(
    `${P}/leaders`,
    {
      summary: '可抄送的县领导',
      response: leaderListResponseSchema,
      access: { roles: ['department_staff', 'editor', 'admin'], owner: 'department staff: of 宣传部 only' },
    },
    async (_input, ctx) => ({ leaders: await service.listLeaders(currentUser(ctx)) }),
  );
  staff.get(
    `${P}/copied`,
    {
      query: caseListQuerySchema,
      summary: '抄送给我的问政事项（县领导，只读）',
      response: caseListResponseSchema,
      access: { roles: ['county_leader'] },
      guard: SIGNED_IN,
    },
    ({ query }, ctx) => service.copiedToMe(currentUser(ctx), query),
  );
  staff.get(
    `${P}/events`,
    {
      query: rawEventsQuerySchema,
      summary: '原始办理事件（按事项或月份，用于复核榜单）',
      response: rawEventsResponseSchema,
      access: EDITORS,
      guard: SIGNED_IN,
    },
    async ({ query }, ctx) => ({ events: await service.rawEvents(currentUser(ctx), query) }),
  );

  // ── admin ──

  admin.get(
    `${P}/settings`,
    { summary: '办理时限、提醒、合并半径、类别默认部门', response: settingsResponseSchema, access: EDITORS, guard: SIGNED_IN },
    async (_input, ctx) => ({ settings: await service.getSettings(currentUser(ctx)) }),
  );
  admin.patch(
    `${P}/settings`,
    { body: settingsPatchSchema, summary: '修改办理时限（工作日）与类别默认部门', response: settingsResponseSchema, access: ADMIN },
    async ({ body }, ctx) => ({ settings: await service.updateSettings(currentUser(ctx), body) }),
  );
  admin.put(
    `${P}/departments/:code`,
    {
      params: departmentParamsSchema,
      body: departmentBodySchema,
      summary: '新增或修改部门（负责人、是否宣传部）',
      response: departmentResponseSchema,
      access: ADMIN,
    },
    async ({ params, body }, ctx) => ({ department: await service.saveDepartment(currentUser(ctx), params.code, body) }),
  );
  admin.get(
    `${P}/holidays`,
    { query: holidayListQuerySchema, summary: '节假日与调休上班日', response: holidayListResponseSchema, access: 'public' },
    async ({ query }) => ({ holidays: await service.listHolidays(query.year) }),
  );
  admin.put(
    `${P}/holidays/:date`,
    {
      params: holidayParamsSchema,
      body: holidayBodySchema,
      summary: '设置节假日（holiday）或调休上班日（workday）',
      response: z.object({ holiday: holidayViewSchema }).strict(),
      access: ADMIN,
    },
    async ({ params, body }, ctx) => ({ holiday: await service.setHoliday(currentUser(ctx), params.date, body.kind, body.name) }),
  );
  admin.delete(
    `${P}/holidays/:date`,
    { params: holidayParamsSchema, summary: '删除节假日设置', status: 204, access: ADMIN },
    async ({ params }, ctx) => {
      await service.removeHoliday(currentUser(ctx), params.date);
      ctx.status = 204;
    },
  );

  return api.router;
}
