import Router from '@koa/router';
import {
  articleIdParamsSchema,
  commentIdParamsSchema,
  commentListQuerySchema,
  commentListResponseSchema,
  commentSettingsResponseSchema,
  createCommentBodySchema,
  createCommentResponseSchema,
  moderationQueueQuerySchema,
  moderationQueueResponseSchema,
  moderationResponseSchema,
  rejectCommentBodySchema,
  replyListResponseSchema,
  reportCommentBodySchema,
  reportCommentResponseSchema,
  updateCommentSettingsBodySchema,
} from '@shared/schemas/comments';
import { actorOf, requireAuth, requireRole } from '../../core/auth';
import { validate, type RouteAccess } from '../../core/middleware';
import type { CommentsService } from './comments.service';

const EDITORS: RouteAccess = { roles: ['editor', 'admin'] };

export function createCommentsRouter(service: CommentsService): Router {
  const router = new Router();
  const tags = ['comments'];

  const list = validate(
    { params: articleIdParamsSchema, query: commentListQuerySchema },
    { summary: '文章评论（已展示的，最新在前，游标分页）', tags, response: commentListResponseSchema, access: 'public' },
  );
  router.get('/api/v1/articles/:id/comments', list, async (ctx) => {
    const { params, query } = list.input(ctx);
    ctx.body = await service.list(params.id, query);
  });

  const replies = validate(
    { params: commentIdParamsSchema, query: commentListQuerySchema },
    { summary: '评论的回复（最早在前，游标分页）', tags, response: replyListResponseSchema, access: 'public' },
  );
  router.get('/api/v1/comments/:id/replies', replies, async (ctx) => {
    const { params, query } = replies.input(ctx);
    ctx.body = await service.replies(params.id, query);
  });

  const create = validate(
    { params: articleIdParamsSchema, body: createCommentBodySchema },
    {
      summary: '发表评论或回复（微信内容安全检测；需审核时审核通过后展示）',
      tags,
      response: createCommentResponseSchema,
      status: 201,
      access: 'signed_in',
    },
  );
  router.post('/api/v1/articles/:id/comments', requireAuth, create, async (ctx) => {
    const { params, body } = create.input(ctx);
    ctx.status = 201;
    ctx.body = await service.create(actorOf(ctx), params.id, body);
  });

  const remove = validate(
    { params: commentIdParamsSchema },
    { summary: '删除自己的评论', tags, status: 204, access: { owner: "the comment's author" } },
  );
  router.delete('/api/v1/comments/:id', requireAuth, remove, async (ctx) => {
    await service.remove(actorOf(ctx), remove.input(ctx).params.id);
    ctx.status = 204;
  });

  const report = validate(
    { params: commentIdParamsSchema, body: reportCommentBodySchema },
    {
      summary: '举报评论（每人每条一次；多人举报后隐藏待审）',
      tags,
      response: reportCommentResponseSchema,
      status: 201,
      access: 'signed_in',
    },
  );
  router.post('/api/v1/comments/:id/reports', requireAuth, report, async (ctx) => {
    const { params, body } = report.input(ctx);
    ctx.status = 201;
    ctx.body = await service.report(actorOf(ctx), params.id, body);
  });

  const queue = validate(
    { query: moderationQueueQuerySchema },
    { summary: '评论审核队列（编辑，最新在前，游标分页）', tags, response: moderationQueueResponseSchema, access: EDITORS },
  );
  router.get('/api/v1/comments/queue', requireRole('editor'), queue, async (ctx) => {
    ctx.body = await service.queue(actorOf(ctx), queue.input(ctx).query);
  });

  const approve = validate(
    { params: commentIdParamsSchema },
    { summary: '审核通过评论（编辑）', tags, response: moderationResponseSchema, access: EDITORS },
  );
  router.post('/api/v1/comments/:id/approve', requireRole('editor'), approve, async (ctx) => {
    ctx.body = { comment: await service.approve(actorOf(ctx), approve.input(ctx).params.id) };
  });

  const reject = validate(
    { params: commentIdParamsSchema, body: rejectCommentBodySchema },
    { summary: '驳回或下架评论（编辑，须填理由）', tags, response: moderationResponseSchema, access: EDITORS },
  );
  router.post('/api/v1/comments/:id/reject', requireRole('editor'), reject, async (ctx) => {
    const { params, body } = reject.input(ctx);
    ctx.body = { comment: await service.reject(actorOf(ctx), params.id, body.reason) };
  });

  const settings = validate(
    {},
    { summary: '评论设置（先审后发、举报阈值）', tags, response: commentSettingsResponseSchema, access: EDITORS },
  );
  router.get('/api/v1/comments/settings', requireRole('editor'), settings, async (ctx) => {
    ctx.body = { settings: await service.settings(actorOf(ctx)) };
  });

  const updateSettings = validate(
    { body: updateCommentSettingsBodySchema },
    { summary: '修改评论设置（全局或按栏目先审后发）', tags, response: commentSettingsResponseSchema, access: EDITORS },
  );
  router.put('/api/v1/comments/settings', requireRole('editor'), updateSettings, async (ctx) => {
    ctx.body = { settings: await service.updateSettings(actorOf(ctx), updateSettings.input(ctx).body) };
  });

  return router;
}
