import type {
  MessagePage,
  MessageView,
  NotificationKind,
  Preferences,
  SubscriptionsResponse,
  TemplatesResponse,
  UnreadCountResponse,
} from '@shared/schemas/notifications';
import { api } from './request';

const ME = '/api/v1/me';

/** Notifications (server/src/modules/notifications): consent reports and the message centre. */
export const notificationsApi = {
  templates: () => api.get<TemplatesResponse>('/api/v1/notifications/templates', { silent: true }),
  /** What wx.requestSubscribeMessage answered, per template id (its errMsg left out). */
  report: (results: Record<string, 'accept' | 'reject' | 'ban' | 'filter'>) =>
    api.post<SubscriptionsResponse>(`${ME}/subscriptions`, { results }, { silent: true }),
  messages: (cursor: string | null, kind?: NotificationKind) =>
    api.get<MessagePage>(`${ME}/messages`, { query: { cursor: cursor ?? undefined, kind }, silent: true }),
  unreadCount: () => api.get<UnreadCountResponse>(`${ME}/messages/unread-count`, { silent: true }),
  read: (id: string) => api.post<{ message: MessageView }>(`${ME}/messages/${encodeURIComponent(id)}/read`, {}, { silent: true }),
  readAll: () => api.post<{ marked: number; unread: number }>(`${ME}/messages/read-all`, {}),
  preferences: () => api.get<Preferences>(`${ME}/notification-preferences`, { silent: true }),
  setPreferences: (body: Preferences) => api.put<Preferences>(`${ME}/notification-preferences`, body),
};
