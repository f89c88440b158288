/** "Someone replied to you": the one notice comments raise, when a reply becomes visible. */
import type { CommentView } from '@shared/schemas/comments';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { NotificationsService } from '../notifications';
import { CommentModel, type CommentDoc } from './comments.model';

export interface ReplyNoticesDeps {
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  notifications: Pick<NotificationsService, 'raise'>;
}

export function createReplyNotices({ clock, logger, notifications }: ReplyNoticesDeps) {
  return {
    /**
     * Tells the person a published reply answers: the author of the reply it names (a reply to a reply), else of the
     * thread's comment — never the replier themself. Keyed by the reply, so publishing it at once and approving it
     * later (or approving it twice) tells them once. A notice that cannot be raised is logged; the reply stands.
     */
    async replyPublished(reply: CommentDoc, view: Pick<CommentView, 'author'>): Promise<void> {
      if (!reply.parentId || reply.state !== 'published') return;
      let addressee = reply.replyTo?.userId;
      if (!addressee) {
        const parent = await CommentModel.findById(reply.parentId, { authorId: 1 }).lean<Pick<CommentDoc, 'authorId'>>();
        addressee = parent?.authorId;
      }
      if (!addressee || addressee.equals(reply.authorId)) return;
      const articleId = reply.articleId.toHexString();
      const who = view.author.name || '有人';
      await notifications
        .raise({
          userId: addressee.toHexString(),
          kind: 'comments',
          key: `comments:reply:${reply._id.toHexString()}`,
          title: `${who} 回复了你的评论`,
          body: reply.text,
          link: `subpackages/news/pages/article/index?id=${articleId}`,
          subscribe: {
            templateKey: 'commentReply',
            data: { title: reply.articleTitle, content: reply.text, replier: who, time: clock.now() },
          },
        })
        .catch((err: unknown) => logger.warn({ err, commentId: reply._id.toHexString() }, 'reply notice not raised'));
    },
  };
}

export type ReplyNotices = ReturnType<typeof createReplyNotices>;
