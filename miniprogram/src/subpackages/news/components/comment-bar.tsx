import type { CommentView } from '@shared/schemas/comments';
import { Heart, HeartFill } from '@nutui/icons-react-taro';
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { Button } from '../../../components/ui';
import { formatCount } from '../../../utils/format';

export interface CommentBarProps {
  replyTo: CommentView | null;
  onCancelReply(): void;
  /** Resolves true when the comment was accepted (shown or held): the field clears. */
  onSend(text: string): Promise<boolean>;
  liked: boolean;
  likes: number;
  onLike(): void;
  /** Shown above the bar after a held comment. */
  heldNotice: string | null;
}

/** The bar at the bottom of the article: write a comment (or a reply), like. */
export function CommentBar({ replyTo, onCancelReply, onSend, liked, likes, onLike, heldNotice }: CommentBarProps) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const send = async () => {
    const value = text.trim();
    if (!value || sending) return;
    setSending(true);
    try {
      if (await onSend(value)) setText('');
    } finally {
      setSending(false);
    }
  };
  return (
    <View className="news-bar" data-testid="comment-bar">
      {heldNotice ? (
        <View className="news-bar__notice" data-testid="comment-held">
          {heldNotice}
        </View>
      ) : null}
      {replyTo ? (
        <View className="news-bar__replying">
          <Text>回复 {replyTo.author.name}</Text>
          <Text className="news-bar__cancel" onClick={onCancelReply}>
            取消
          </Text>
        </View>
      ) : null}
      <View className="news-bar__row">
        <Input
          className="news-bar__input"
          value={text}
          maxlength={500}
          confirmType="send"
          placeholder={replyTo ? `回复 ${replyTo.author.name}` : '写评论…'}
          onInput={(e) => setText(e.detail.value)}
          onConfirm={() => void send()}
          data-testid="comment-input"
        />
        <Button
          type="primary"
          size="small"
          loading={sending}
          disabled={!text.trim()}
          onClick={() => void send()}
          data-testid="comment-send"
        >
          发送
        </Button>
        <View
          className={`news-bar__like${liked ? ' news-bar__like--on' : ''}`}
          onClick={onLike}
          data-testid="like"
          aria-label={liked ? '取消点赞' : '点赞'}
        >
          {liked ? <HeartFill /> : <Heart />}
          <Text className="news-bar__like-count" data-testid="like-count">
            {formatCount(likes)}
          </Text>
        </View>
      </View>
    </View>
  );
}
