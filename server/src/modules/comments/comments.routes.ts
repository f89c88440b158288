import type Router from '@koa/router';
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
import { actorOf } from '../../core/auth';
import { routes, type RouteAccess } from '../../core/middleware';
import type { CommentsService } from './comments.service';

const EDITORS: RouteAccess = { roles: ['editor', 'admin'] };

export function createCommentsRouter(service: CommentsService): Router {
  const api = routes(['comments']);

  api.get(
    '/api/v1/articles/:id/comments',
    {
      params: articleIdParamsSchema,
      query: commentListQuerySchema,
      summary: '文章评论（已展示的，最新在前，游标分页）',
      response: commentListResponseSchema,
      access: 'public',
    },
    ({ params, query }) => service.list(params.id, query),
  );
  api.get(
    '/api/v1/comments/:id/replies',
    {
      params: commentIdParamsSchema,
      query: commentListQuerySchema,
      summary: '评论的回复（最早在前，游标分页）',
      response: replyListResponseSchema,
      access: 'public',
    },
    ({ params, query }) => service.replies(params.id, query),
  );
  api.post(
    '/api/v1/articles/:id/comments',
    {
      params: articleIdParamsSchema,
      body: createCommentBodySchema,
      summary: '发表评论或回复（微信内容安全检测；需审核时审核通过后展示）',
      response: createCommentResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    ({ params, body }, ctx) => service.create(actorOf(ctx), params.id, body),
  );
  api.delete(
    '/api/v1/comments/:id',
    { params: commentIdParamsSchema, summary: '删除自己的评论', status: 204, access: { owner: "the comment's author" } },
    async ({ params }, ctx) => {
      await service.remove(actorOf(ctx), params.id);
      ctx.status = 204;
      return undefined;
    },
  );
  api.post(
    '/api/v1/comments/:id/reports',
    {
      params: commentIdParamsSchema,
      body: reportCommentBodySchema,
      summary: '举报评论（每人每条一次；多人举报后隐藏待审）',
      response: reportCommentResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    ({ params, body }, ctx) => service.report(actorOf(ctx), params.id, body),
  );
  api.get(
    '/api/v1/comments/queue',
    {
      query: moderationQueueQuerySchema,
      summary: '评论审核队列（编辑，最新在前，游标分页）',
      response: moderationQueueResponseSchema,
      access: EDITORS,
    },
    ({ query }, ctx) => service.queue(actorOf(ctx), query),
  );
  api.post(
    '/api/v1/comments/:id/approve',
    { params: commentIdParamsSchema, summary: '审核通过评论（编辑）', response: moderationResponseSchema, access: EDITORS },
    async ({ params }, ctx) => ({ comment: await service.approve(actorOf(ctx), params.id) }),
  );
  api.post(
    '/api/v1/comments/:id/reject',
    {
      params: commentIdParamsSchema,
      body: rejectCommentBodySchema,
      summary: '驳回或下架评论（编辑，须填理由）',
      response: moderationResponseSchema,
      access: EDITORS,
    },
    async ({ params, body }, ctx) => ({ comment: await service.reject(actorOf(ctx), params.id, body.reason) }),
  );
  api.get(
    '/api/v1/comments/settings',
    { summary: '评论设置（先审后发、举报阈值）', response: commentSettingsResponseSchema, access: EDITORS },
    async (_input, ctx) => ({ settings: await service.settings(actorOf(ctx)) }),
  );
  api.put(
    '/api/v1/comments/settings',
    {
      body: updateCommentSettingsBodySchema,
      summary: '修改评论设置（全局或按栏目先审后发）',
      response: commentSettingsResponseSchema,
      access: EDITORS,
    },
    async ({ body }, ctx) => ({ settings: await service.updateSettings(actorOf(ctx), body) }),
  );

  return api.router;
}
