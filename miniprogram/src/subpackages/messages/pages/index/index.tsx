import { Switch } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';
import { NOTIFICATION_KINDS, type MessageView, type NotificationKind } from '@shared/schemas/notifications';
import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { Button, ListItem, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { notificationsApi } from '../../../../services/notifications.api';
import { preloadTemplates } from '../../../../services/subscribe';
import { withCareMode } from '../../../../stores/care-mode';
import { relativeTime } from '../../../../utils/relative-time';
import { messageTarget } from '../../../../utils/message-link';
import './index.scss';

const KIND_LABELS: Record<NotificationKind, string> = {
  wenzheng: '问政进度与待办',
  points: '积分提醒',
  coupons: '优惠券提醒',
  campaigns: '专题活动',
  volunteers: '志愿活动',
  newsroom: '通讯员与稿件',
  merchants: '商户与推广',
  contests: '比赛结果',
  comments: '评论回复',
  system: '系统通知',
};

/** Which kinds of in-app messages to receive (those switched off are not listed or counted). */
function KindSwitches() {
  const [muted, setMuted] = useState<NotificationKind[] | null>(null);
  useDidShow(() => {
    void notificationsApi
      .preferences()
      .then((p) => setMuted(p.muted))
      .catch(() => undefined);
  });
  if (!muted) return null;
  const toggle = async (kind: NotificationKind, on: boolean) => {
    const next = on ? muted.filter((k) => k !== kind) : [...muted, kind];
    setMuted(next);
    try {
      setMuted((await notificationsApi.setPreferences({ muted: next })).muted);
    } catch {
      setMuted(muted);
    }
  };
  return (
    <View className="rm-section" data-testid="message-kinds">
      <View className="rm-section__title">接收的消息</View>
      {NOTIFICATION_KINDS.map((kind) => (
        <ListItem
          key={kind}
          title={KIND_LABELS[kind]}
          extra={<Switch checked={!muted.includes(kind)} onChange={(on) => void toggle(kind, on)} data-testid={`message-kind-${kind}`} />}
        />
      ))}
    </View>
  );
}

/** 我的 › 消息: my notices newest first; tapping one marks it read and opens what it is about. */
function MessagesPage() {
  const list = usePagedList<MessageView>((cursor) => notificationsApi.messages(cursor));
  // Read marks made here, shown at once (the list is not reloaded for them).
  const [readHere, setReadHere] = useState<ReadonlySet<string>>(new Set());
  const [allRead, setAllRead] = useState(false);
  const [settings, setSettings] = useState(false);
  useDidShow(() => void preloadTemplates());

  const isRead = (m: MessageView) => allRead || m.read || readHere.has(m.id);

  const open = async (m: MessageView) => {
    if (!isRead(m)) {
      setReadHere((s) => new Set(s).add(m.id));
      void notificationsApi.read(m.id).catch(() => undefined);
    }
    const target = messageTarget(m.link);
    if (!target) return;
    await (target.isTab ? Taro.switchTab({ url: target.url }) : Taro.navigateTo({ url: target.url })).catch(
      () => void Taro.showToast({ title: '内容已不存在或暂时无法打开', icon: 'none' }),
    );
  };

  const readAll = async () => {
    try {
      await notificationsApi.readAll();
      setAllRead(true);
    } catch {
      // The API client showed why.
    }
  };

  const unread = list.state.items.some((m) => !isRead(m));
  return (
    <View className="msg-page" data-testid="messages">
      <View className="msg-page__bar">
        {unread ? (
          <Button size="mini" onClick={() => void readAll()} data-testid="messages-read-all">
            全部已读
          </Button>
        ) : null}
        <Button size="mini" fill="none" onClick={() => setSettings((v) => !v)} data-testid="messages-settings">
          {settings ? '收起设置' : '消息设置'}
        </Button>
      </View>
      {settings ? <KindSwitches /> : null}
      <PagedList
        testId="messages-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="还没有消息"
        emptyDescription="问政进度、到期提醒和活动通知会出现在这里"
        renderItem={(m) => (
          <View key={m.id} className={`msg-page__item${isRead(m) ? '' : ' msg-page__item--unread'}`} data-testid="message">
            <ListItem
              testId={`message-${m.id}`}
              title={m.title}
              description={m.body || undefined}
              meta={relativeTime(m.createdAt)}
              arrow={messageTarget(m.link) !== null}
              onClick={() => void open(m)}
            />
          </View>
        )}
      />
    </View>
  );
}

export default withCareMode(MessagesPage);
