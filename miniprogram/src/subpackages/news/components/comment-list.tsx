import type { CommentThread, CommentView } from '@shared/schemas/comments';
import { Image, Text, View } from '@tarojs/components';
import { relativeTime } from '../../../utils/relative-time';

export interface CommentActions {
  /** The signed-in reader (their own comments offer 删除 instead of 举报). */
  me: string | null;
  onReply(comment: CommentView): void;
  onReport(comment: CommentView): void;
  onDelete(comment: CommentView): void;
  onAllReplies(threadId: string): void;
}

function Avatar({ comment }: { comment: CommentView }) {
  if (comment.author.avatarUrl) return <Image className="news-comment__avatar" src={comment.author.avatarUrl} mode="aspectFill" />;
  return <View className="news-comment__avatar news-comment__avatar--initial">{comment.author.name.slice(0, 1)}</View>;
}

function Actions({ comment, actions }: { comment: CommentView; actions: CommentActions }) {
  const mine = actions.me === comment.author.id;
  return (
    <View className="news-comment__actions">
      <Text className="news-comment__time" data-testid="comment-time">
        {relativeTime(comment.createdAt)}
      </Text>
      <Text className="news-comment__action" onClick={() => actions.onReply(comment)} data-testid="comment-reply">
        回复
      </Text>
      {mine ? (
        <Text className="news-comment__action" onClick={() => actions.onDelete(comment)} data-testid="comment-delete">
          删除
        </Text>
      ) : (
        <Text className="news-comment__action" onClick={() => actions.onReport(comment)} data-testid="comment-report">
          举报
        </Text>
      )}
    </View>
  );
}

/** One thread: the comment, its replies (a reply to a reply names whom it answers), 查看全部回复. */
export function CommentItem({ thread, actions }: { thread: CommentThread; actions: CommentActions }) {
  const hidden = thread.replyCount - thread.replies.length;
  return (
    <View className="news-comment" data-testid="comment">
      <Avatar comment={thread} />
      <View className="news-comment__body">
        <View className="news-comment__name">{thread.author.name}</View>
        <View className="news-comment__text" data-testid="comment-text">
          {thread.text}
        </View>
        <Actions comment={thread} actions={actions} />
        {thread.replies.length > 0 ? (
          <View className="news-comment__replies">
            {thread.replies.map((reply) => (
              <View key={reply.id} className="news-comment__reply" data-testid="comment-reply-item">
                <View className="news-comment__reply-text">
                  <Text className="news-comment__reply-name">{reply.author.name}</Text>
                  {reply.replyTo ? (
                    <>
                      <Text> 回复 </Text>
                      <Text className="news-comment__reply-name">{reply.replyTo.name}</Text>
                    </>
                  ) : null}
                  <Text>：{reply.text}</Text>
                </View>
                <Actions comment={reply} actions={actions} />
              </View>
            ))}
            {hidden > 0 ? (
              <View className="news-comment__more" onClick={() => actions.onAllReplies(thread.id)}>
                查看全部 {thread.replyCount} 条回复
              </View>
            ) : null}
          </View>
        ) : null}
      </View>
    </View>
  );
}
