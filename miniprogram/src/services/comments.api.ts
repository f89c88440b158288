import type { CommentListResponse, CreateCommentResponse, ReplyListResponse, ReportReason } from '@shared/schemas/comments';
import { api } from './request';

const enc = encodeURIComponent;

/** Comments on articles (server/src/modules/comments). */
export const commentsApi = {
  list: (articleId: string, cursor?: string | null) =>
    api.get<CommentListResponse>(`/api/v1/articles/${enc(articleId)}/comments`, {
      query: { cursor: cursor ?? undefined, limit: 10 },
      silent: true,
    }),
  replies: (commentId: string, cursor?: string | null) =>
    api.get<ReplyListResponse>(`/api/v1/comments/${enc(commentId)}/replies`, {
      query: { cursor: cursor ?? undefined, limit: 20 },
      silent: true,
    }),
  create: (articleId: string, text: string, parentId?: string) =>
    api.post<CreateCommentResponse>(`/api/v1/articles/${enc(articleId)}/comments`, { text, ...(parentId ? { parentId } : {}) }),
  remove: (commentId: string) => api.del<void>(`/api/v1/comments/${enc(commentId)}`),
  report: (commentId: string, reason: ReportReason) =>
    api.post<{ reported: true; hidden: boolean }>(`/api/v1/comments/${enc(commentId)}/reports`, { reason }),
};
