import type Router from '@koa/router';
import {
  approveBodySchema,
  assignmentListResponseSchema,
  listAssignmentsQuerySchema,
  myAssignmentsQuerySchema,
  assignmentResponseSchema,
  createAssignmentBodySchema,
  idParamsSchema,
  mySubmissionsQuerySchema,
  noteBodySchema,
  publishBodySchema,
  queueQuerySchema,
  requiredNoteBodySchema,
  saveSubmissionBodySchema,
  submissionListResponseSchema,
  submissionResponseSchema,
} from '@shared/schemas/newsroom';
import { z } from 'zod';
import { currentUser, requireAuth } from '../../core/auth';
import { AppError } from '../../core/errors';
import { routes, type RouteAccess } from '../../core/middleware';
import { parseMediaCheckEvent, verifyPushSignature } from '../../core/wechat';
import type { StorageService } from '../storage';
import type { SubmissionsService } from './submissions.service';

const pushQuerySchema = z
  .object({
    signature: z.string().regex(/^[0-9a-f]{40}$/i),
    timestamp: z.string().regex(/^\d{1,12}$/),
    nonce: z.string().regex(/^\d{1,20}$/),
    echostr: z.string().max(128).optional(),
    // WeChat adds these in safe mode; plaintext mode needs none of them.
    openid: z.string().max(64).optional(),
    encrypt_type: z.string().max(16).optional(),
    msg_signature: z.string().max(64).optional(),
  })
  .strict();

// Who may call what (RouteAccess); the service enforces it, test/http/authz-matrix.test.ts checks it.
const EDITORS: RouteAccess = { roles: ['editor', 'admin'] };
/** Correspondents file pieces; so do the admins of a unit channel (a channel record, not a role). */
const FILERS: RouteAccess = { roles: ['correspondent', 'admin'] };
const AUTHOR: RouteAccess = { owner: 'the author' };
const READERS: RouteAccess = { owner: "the author; editors; the leaders of the piece's circle" };
const CIRCLE_REVIEW: RouteAccess = { roles: ['circle_leader', 'editor', 'admin'], owner: "a circle leader: their circle's pieces" };

export function createSubmissionsRouter(
  service: SubmissionsService,
  storage: Pick<StorageService, 'applyVerdict'>,
  pushToken: string,
): Router {
  const api = routes(['submissions']);
  // One router, three OpenAPI tags: the editorial steps and WeChat's push are declared on the same table, in order.
  const editorial = routes(['editorial'], api.router);
  const wechat = routes(['wechat'], api.router);
  // The editorial steps only ask for a signed-in user at the door (whatever `access` names): the service checks
  // the role, the piece's circle or its author, so one guard serves them all.
  const one = <B extends z.ZodType>(summary: string, body: B, access: RouteAccess = EDITORS) => ({
    params: idParamsSchema,
    body,
    summary,
    response: submissionResponseSchema,
    access,
    guard: [requireAuth],
  });
  const bare = (summary: string, access: RouteAccess = EDITORS) => ({
    params: idParamsSchema,
    summary,
    response: submissionResponseSchema,
    access,
    guard: [requireAuth],
  });

  api.post(
    '/api/v1/submissions',
    {
      body: saveSubmissionBodySchema,
      summary: '新建稿件（草稿）',
      response: submissionResponseSchema,
      status: 201,
      access: FILERS,
      // Channel admins file too (a channel record, not a role): the door asks only for a signed-in user.
      guard: [requireAuth],
    },
    async ({ body }, ctx) => ({ submission: await service.create(currentUser(ctx), body) }),
  );
  api.get(
    '/api/v1/submissions/mine',
    { query: mySubmissionsQuerySchema, summary: '我的稿件（含流转记录）', response: submissionListResponseSchema, access: 'signed_in' },
    ({ query }, ctx) => service.mine(currentUser(ctx), query),
  );
  api.patch(
    '/api/v1/submissions/:id',
    {
      params: idParamsSchema,
      body: saveSubmissionBodySchema,
      summary: '修改草稿或退回的稿件',
      response: submissionResponseSchema,
      access: AUTHOR,
    },
    async ({ params, body }, ctx) => ({ submission: await service.update(currentUser(ctx), params.id, body) }),
  );
  api.get(
    '/api/v1/submissions/:id',
    { params: idParamsSchema, summary: '稿件详情', response: submissionResponseSchema, access: READERS },
    async ({ params }, ctx) => ({ submission: await service.get(currentUser(ctx), params.id) }),
  );
  editorial.post('/api/v1/submissions/:id/submit', bare('提交稿件（内容安全检测）', AUTHOR), async ({ params }, ctx) => ({
    submission: await service.submit(currentUser(ctx), params.id),
  }));
  editorial.post(
    '/api/v1/submissions/:id/recommend',
    one('圈长初审：推荐', noteBodySchema, CIRCLE_REVIEW),
    async ({ params, body }, ctx) => ({
      submission: await service.recommend(currentUser(ctx), params.id, body.note),
    }),
  );
  editorial.post(
    '/api/v1/submissions/:id/return',
    one('退回修改（附意见）', requiredNoteBodySchema, CIRCLE_REVIEW),
    async ({ params, body }, ctx) => ({
      submission: await service.returnForRevision(currentUser(ctx), params.id, body.note),
    }),
  );
  editorial.post('/api/v1/submissions/:id/claim', bare('编辑认领'), async ({ params }, ctx) => ({
    submission: await service.claim(currentUser(ctx), params.id),
  }));
  editorial.post('/api/v1/submissions/:id/reject', one('不予采用（附理由）', requiredNoteBodySchema), async ({ params, body }, ctx) => ({
    submission: await service.reject(currentUser(ctx), params.id, body.note),
  }));
  editorial.post(
    '/api/v1/submissions/:id/approve',
    one('审核通过并评级（A/B/C），通讯员获得积分', approveBodySchema),
    async ({ params, body }, ctx) => ({
      submission: await service.approve(currentUser(ctx), params.id, body),
    }),
  );
  editorial.post('/api/v1/submissions/:id/publish', one('发布（立即或定时）', publishBodySchema), async ({ params, body }, ctx) => ({
    submission: await service.publish(currentUser(ctx), params.id, body.publishAt ? new Date(body.publishAt) : undefined),
  }));
  editorial.get(
    '/api/v1/editorial/queue',
    {
      query: queueQuerySchema,
      summary: '审稿队列（编辑看全部，圈长看本圈）',
      response: submissionListResponseSchema,
      access: { roles: ['editor', 'circle_leader', 'admin'], owner: "a circle leader: their circle's queue" },
    },
    ({ query }, ctx) => service.queue(currentUser(ctx), query),
  );

  // ── 选题派发 ──
  editorial.post(
    '/api/v1/assignments',
    { body: createAssignmentBodySchema, summary: '派发选题（编辑）', response: assignmentResponseSchema, status: 201, access: EDITORS },
    async ({ body }, ctx) => ({ assignment: await service.assign(currentUser(ctx), body) }),
  );
  editorial.get(
    '/api/v1/assignments/mine',
    {
      query: myAssignmentsQuerySchema,
      summary: '派给我的选题（分页，可按状态筛选）',
      response: assignmentListResponseSchema,
      access: 'signed_in',
    },
    ({ query }, ctx) => service.assignments(currentUser(ctx), true, query),
  );
  editorial.get(
    '/api/v1/assignments',
    {
      query: listAssignmentsQuerySchema,
      summary: '全部选题（编辑；分页，可按状态、通讯员、派发编辑筛选）',
      response: assignmentListResponseSchema,
      access: EDITORS,
    },
    ({ query }, ctx) => service.assignments(currentUser(ctx), false, query),
  );
  const answer = {
    params: idParamsSchema,
    summary: '接受/拒绝选题',
    response: assignmentResponseSchema,
    access: { owner: 'the assignee' },
  };
  editorial.post('/api/v1/assignments/:id/accept', answer, async ({ params }, ctx) => ({
    assignment: await service.answerAssignment(currentUser(ctx), params.id, 'accepted'),
  }));
  editorial.post('/api/v1/assignments/:id/decline', answer, async ({ params }, ctx) => ({
    assignment: await service.answerAssignment(currentUser(ctx), params.id, 'declined'),
  }));

  // ── WeChat message push (mediaCheckAsync verdicts) ──
  const push = { query: pushQuerySchema, summary: '微信消息推送（URL 验证与 wxa_media_check 事件）', access: 'public' } as const;
  const signed = (query: z.output<typeof pushQuerySchema>) => {
    if (!verifyPushSignature({ token: pushToken, timestamp: query.timestamp, nonce: query.nonce, signature: query.signature }))
      throw new AppError('PUSH_SIGNATURE_INVALID');
  };
  wechat.get('/api/v1/wechat/push', push, ({ query }, ctx) => {
    signed(query);
    ctx.type = 'text/plain';
    return query.echostr ?? '';
  });
  wechat.post('/api/v1/wechat/push', push, async ({ query }, ctx) => {
    signed(query);
    const event = parseMediaCheckEvent((ctx.request as { body?: unknown }).body);
    if (event) {
      const image = await storage.applyVerdict(event.traceId, event.suggest, event.label);
      if (image) await service.imageVerdict(image);
    }
    ctx.type = 'text/plain';
    return 'success';
  });

  return api.router;
}
