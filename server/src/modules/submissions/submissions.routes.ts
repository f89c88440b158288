import Router from '@koa/router';
import {
  approveBodySchema,
  assignmentListResponseSchema,
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
import { currentUser, requireAuth, requireRole } from '../../core/auth';
import { AppError } from '../../core/errors';
import { validate, type RouteAccess } from '../../core/middleware';
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
  const router = new Router();
  const tags = ['submissions'];
  const editorial = ['editorial'];
  const one = <B extends z.ZodType>(summary: string, body: B, access: RouteAccess = EDITORS) =>
    validate({ params: idParamsSchema, body }, { summary, tags: editorial, response: submissionResponseSchema, access });
  const bare = (summary: string, access: RouteAccess = EDITORS) =>
    validate({ params: idParamsSchema }, { summary, tags: editorial, response: submissionResponseSchema, access });

  const create = validate(
    { body: saveSubmissionBodySchema },
    { summary: '新建稿件（草稿）', tags, response: submissionResponseSchema, status: 201, access: FILERS },
  );
  router.post('/api/v1/submissions', requireAuth, create, async (ctx) => {
    ctx.status = 201;
    ctx.body = { submission: await service.create(currentUser(ctx), create.input(ctx).body) };
  });

  const mine = validate(
    { query: mySubmissionsQuerySchema },
    { summary: '我的稿件（含流转记录）', tags, response: submissionListResponseSchema, access: 'signed_in' },
  );
  router.get('/api/v1/submissions/mine', requireAuth, mine, async (ctx) => {
    ctx.body = await service.mine(currentUser(ctx), mine.input(ctx).query);
  });

  const update = validate(
    { params: idParamsSchema, body: saveSubmissionBodySchema },
    { summary: '修改草稿或退回的稿件', tags, response: submissionResponseSchema, access: AUTHOR },
  );
  router.patch('/api/v1/submissions/:id', requireAuth, update, async (ctx) => {
    const { params, body } = update.input(ctx);
    ctx.body = { submission: await service.update(currentUser(ctx), params.id, body) };
  });

  const get = validate({ params: idParamsSchema }, { summary: '稿件详情', tags, response: submissionResponseSchema, access: READERS });
  router.get('/api/v1/submissions/:id', requireAuth, get, async (ctx) => {
    ctx.body = { submission: await service.get(currentUser(ctx), get.input(ctx).params.id) };
  });

  const submit = bare('提交稿件（内容安全检测）', AUTHOR);
  router.post('/api/v1/submissions/:id/submit', requireAuth, submit, async (ctx) => {
    ctx.body = { submission: await service.submit(currentUser(ctx), submit.input(ctx).params.id) };
  });

  const recommend = one('圈长初审：推荐', noteBodySchema, CIRCLE_REVIEW);
  router.post('/api/v1/submissions/:id/recommend', requireAuth, recommend, async (ctx) => {
    const { params, body } = recommend.input(ctx);
    ctx.body = { submission: await service.recommend(currentUser(ctx), params.id, body.note) };
  });

  const ret = one('退回修改（附意见）', requiredNoteBodySchema, CIRCLE_REVIEW);
  router.post('/api/v1/submissions/:id/return', requireAuth, ret, async (ctx) => {
    const { params, body } = ret.input(ctx);
    ctx.body = { submission: await service.returnForRevision(currentUser(ctx), params.id, body.note) };
  });

  const claim = bare('编辑认领');
  router.post('/api/v1/submissions/:id/claim', requireAuth, claim, async (ctx) => {
    ctx.body = { submission: await service.claim(currentUser(ctx), claim.input(ctx).params.id) };
  });

  const reject = one('不予采用（附理由）', requiredNoteBodySchema);
  router.post('/api/v1/submissions/:id/reject', requireAuth, reject, async (ctx) => {
    const { params, body } = reject.input(ctx);
    ctx.body = { submission: await service.reject(currentUser(ctx), params.id, body.note) };
  });

  const approve = one('审核通过并评级（A/B/C），通讯员获得积分', approveBodySchema);
  router.post('/api/v1/submissions/:id/approve', requireAuth, approve, async (ctx) => {
    const { params, body } = approve.input(ctx);
    ctx.body = { submission: await service.approve(currentUser(ctx), params.id, body) };
  });

  const publish = one('发布（立即或定时）', publishBodySchema);
  router.post('/api/v1/submissions/:id/publish', requireAuth, publish, async (ctx) => {
    const { params, body } = publish.input(ctx);
    ctx.body = { submission: await service.publish(currentUser(ctx), params.id, body.publishAt ? new Date(body.publishAt) : undefined) };
  });

  const queue = validate(
    { query: queueQuerySchema },
    {
      summary: '审稿队列（编辑看全部，圈长看本圈）',
      tags: editorial,
      response: submissionListResponseSchema,
      access: { roles: ['editor', 'circle_leader', 'admin'], owner: "a circle leader: their circle's queue" },
    },
  );
  router.get('/api/v1/editorial/queue', requireAuth, queue, async (ctx) => {
    ctx.body = await service.queue(currentUser(ctx), queue.input(ctx).query);
  });

  // ── 选题派发 ──
  const assign = validate(
    { body: createAssignmentBodySchema },
    {
      summary: '派发选题（编辑）',
      tags: editorial,
      response: assignmentResponseSchema,
      status: 201,
      access: { roles: ['editor', 'admin'] },
    },
  );
  router.post('/api/v1/assignments', requireRole('editor'), assign, async (ctx) => {
    ctx.status = 201;
    ctx.body = { assignment: await service.assign(currentUser(ctx), assign.input(ctx).body) };
  });
  const listMine = validate({}, { summary: '派给我的选题', tags: editorial, response: assignmentListResponseSchema, access: 'signed_in' });
  router.get('/api/v1/assignments/mine', requireAuth, listMine, async (ctx) => {
    ctx.body = { items: await service.assignments(currentUser(ctx), true) };
  });
  const listAll = validate(
    {},
    { summary: '全部选题（编辑）', tags: editorial, response: assignmentListResponseSchema, access: { roles: ['editor', 'admin'] } },
  );
  router.get('/api/v1/assignments', requireRole('editor'), listAll, async (ctx) => {
    ctx.body = { items: await service.assignments(currentUser(ctx), false) };
  });
  const answer = validate(
    { params: idParamsSchema },
    { summary: '接受/拒绝选题', tags: editorial, response: assignmentResponseSchema, access: { owner: 'the assignee' } },
  );
  router.post('/api/v1/assignments/:id/accept', requireAuth, answer, async (ctx) => {
    ctx.body = { assignment: await service.answerAssignment(currentUser(ctx), answer.input(ctx).params.id, 'accepted') };
  });
  router.post('/api/v1/assignments/:id/decline', requireAuth, answer, async (ctx) => {
    ctx.body = { assignment: await service.answerAssignment(currentUser(ctx), answer.input(ctx).params.id, 'declined') };
  });

  // ── WeChat message push (mediaCheckAsync verdicts) ──
  const push = validate(
    { query: pushQuerySchema },
    { summary: '微信消息推送（URL 验证与 wxa_media_check 事件）', tags: ['wechat'], access: 'public' },
  );
  const signed = (query: z.output<typeof pushQuerySchema>) => {
    if (!verifyPushSignature({ token: pushToken, timestamp: query.timestamp, nonce: query.nonce, signature: query.signature }))
      throw new AppError('PUSH_SIGNATURE_INVALID');
  };
  router.get('/api/v1/wechat/push', push, async (ctx) => {
    const { query } = push.input(ctx);
    signed(query);
    ctx.type = 'text/plain';
    ctx.body = query.echostr ?? '';
  });
  router.post('/api/v1/wechat/push', push, async (ctx) => {
    signed(push.input(ctx).query);
    const event = parseMediaCheckEvent((ctx.request as { body?: unknown }).body);
    if (event) {
      const image = await storage.applyVerdict(event.traceId, event.suggest, event.label);
      if (image) await service.imageVerdict(image);
    }
    ctx.type = 'text/plain';
    ctx.body = 'success';
  });

  return router;
}
