import type Router from '@koa/router';
import { z } from 'zod';
import {
  listMessagesQuerySchema,
  messageIdParamsSchema,
  messagePageSchema,
  messageResponseSchema,
  noticeStatsQuerySchema,
  noticeStatsResponseSchema,
  outboxListQuerySchema,
  outboxPageSchema,
  preferencesSchema,
  readAllResponseSchema,
  subscriptionsBodySchema,
  subscriptionsResponseSchema,
  templatesResponseSchema,
  unreadCountResponseSchema,
} from '@shared/schemas/notifications';
import { currentUser } from '../../core/auth';
import { routes } from '../../core/middleware';
import type { NotificationsService } from './notifications.service';

/** Consent reports from the mini-program and the message centre: every route acts on the caller's own rows. */
export function createNotificationsRouter(service: NotificationsService): Router {
  const api = routes(['notifications']);
  const me = (ctx: Parameters<typeof currentUser>[0]) => currentUser(ctx).id;

  api.get(
    '/api/v1/notifications/templates',
    { summary: '订阅消息模板 ID（requestSubscribeMessage 用）', response: templatesResponseSchema, access: 'public' },
    () => ({ templates: service.templateIds() }),
  );
  api.post(
    '/api/v1/me/subscriptions',
    {
      body: subscriptionsBodySchema,
      summary: '上报 requestSubscribeMessage 的结果（每次 accept 可发一条）',
      response: subscriptionsResponseSchema,
      access: 'signed_in',
    },
    ({ body }, ctx) => service.consent.report(me(ctx), body),
  );
  api.get(
    '/api/v1/me/subscriptions',
    { summary: '我尚未用掉的订阅次数', response: subscriptionsResponseSchema, access: 'signed_in' },
    async (_input, ctx) => ({ unused: await service.consent.unusedOf(me(ctx)), ignored: [] }),
  );

  api.get(
    '/api/v1/me/messages',
    { query: listMessagesQuerySchema, summary: '消息中心（新的在前）', response: messagePageSchema, access: 'signed_in' },
    ({ query }, ctx) => service.centre.list(me(ctx), query),
  );
  api.get(
    '/api/v1/me/messages/unread-count',
    { summary: '未读消息数', response: unreadCountResponseSchema, access: 'signed_in' },
    async (_input, ctx) => ({ unread: await service.centre.unreadOf(me(ctx)) }),
  );
  api.post(
    '/api/v1/me/messages/read-all',
    { body: z.object({}).strict().optional(), summary: '全部标为已读', response: readAllResponseSchema, access: 'signed_in' },
    (_input, ctx) => service.centre.markAllRead(me(ctx)),
  );
  api.post(
    '/api/v1/me/messages/:id/read',
    {
      params: messageIdParamsSchema,
      summary: '标为已读',
      response: messageResponseSchema,
      access: { owner: 'the message’s recipient (anyone else: 404)' },
    },
    async ({ params }, ctx) => ({ message: await service.centre.markRead(me(ctx), params.id) }),
  );

  api.get(
    '/api/v1/me/notification-preferences',
    { summary: '不接收的站内消息类型', response: preferencesSchema, access: 'signed_in' },
    (_input, ctx) => service.centre.preferences(me(ctx)),
  );
  api.put(
    '/api/v1/me/notification-preferences',
    { body: preferencesSchema, summary: '设置不接收的站内消息类型', response: preferencesSchema, access: 'signed_in' },
    ({ body }, ctx) => service.centre.setPreferences(me(ctx), body),
  );

  // Staff console (通知统计): what became of the notices, by day and kind, and the outbox rows themselves.
  api.get(
    '/api/v1/notifications/stats',
    {
      query: noticeStatsQuerySchema,
      summary: '通知统计：按天、类型的站内消息与订阅消息结果（编辑、管理员）',
      response: noticeStatsResponseSchema,
      access: { roles: ['editor', 'admin'] },
    },
    ({ query }) => service.stats(query),
  );
  api.get(
    '/api/v1/notifications/outbox',
    {
      query: outboxListQuerySchema,
      summary: '订阅消息发送记录（新的在前；按类型、结果筛选；编辑、管理员）',
      response: outboxPageSchema,
      access: { roles: ['editor', 'admin'] },
    },
    ({ query }) => service.listOutbox(query),
  );
  return api.router;
}
