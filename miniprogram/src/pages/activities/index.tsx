import { Heart, Star } from '@nutui/icons-react-taro';
import type { CampaignView } from '@shared/schemas/campaigns';
import type { ContestView } from '@shared/schemas/contests';
import type { ActivityView } from '@shared/schemas/volunteers';
import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { EmptyState, ErrorState, ListItem, LoadingState, MoreButton } from '../../components/ui';
import { contestsApi } from '../../services/contests.api';
import { allPages, type CursorPage } from '../../services/core/all-pages';
import { volunteersApi } from '../../services/volunteers.api';
import { distanceText } from '../../utils/distance';
import { formatShanghai } from '../../utils/format';
import { currentPosition } from '../../utils/position';
import { go } from '../../utils/navigate';
import { splitEvents, type EventCard } from './events';
import './index.scss';
import { withCareMode } from '../../stores/care-mode';

interface Data {
  live: EventCard[];
  upcoming: EventCard[];
  activities: CursorPage<ActivityView>;
}

function EventTile({ card }: { card: EventCard }) {
  const open = () =>
    go(
      card.kind === 'contest'
        ? `/subpackages/contests/pages/index/index?id=${card.id}`
        : `/subpackages/campaigns/pages/detail/index?id=${card.id}`,
    );
  return (
    <View className="ev-card" data-testid={`ev-${card.kind}`} onClick={open}>
      {card.cover ? (
        <Image className="ev-card__cover" src={card.cover} mode="aspectFill" />
      ) : (
        <View className="ev-card__cover ev-card__cover--plain">{card.kind === 'contest' ? <Star /> : <Heart />}</View>
      )}
      <View className="ev-card__body">
        <View className="ev-card__title">{card.title}</View>
        <View className="ev-card__meta">
          <Text className={`rm-tag${card.live ? '' : ' rm-tag--muted'}`}>{card.status}</Text>
          <Text>{card.when}</Text>
        </View>
      </View>
    </View>
  );
}

/**
 * 活动: live and upcoming contests and topic campaigns, then volunteer activities to sign up for — soonest first,
 * or nearest first with the distance once the phone's position is allowed (refused or unavailable: by time).
 */
function ActivitiesPage() {
  const [data, setData] = useState<Data | null>(null);
  const [failed, setFailed] = useState(false);
  const [here, setHere] = useState<{ lat: number; lng: number } | null>(null);
  useEffect(() => {
    void currentPosition().then(setHere);
  }, []);
  // Only the latest load's answer is shown (the one by time may come back after the one by distance).
  const latest = useRef(0);
  const load = useCallback(async () => {
    const seq = ++latest.current;
    try {
      // Only what the tab shows, filtered on the server: running and upcoming contests and campaigns, each list read
      // to its end (they are the few on now, not the archive).
      const upcomingAndRunning = <T,>(list: (status: 'running' | 'upcoming', cursor: string | undefined) => Promise<CursorPage<T>>) =>
        Promise.all([allPages((c) => list('running', c)), allPages((c) => list('upcoming', c))]).then(
          ([running, upcoming]) => [...running, ...upcoming],
          () => [] as T[],
        );
      const [contests, campaigns, activities] = await Promise.all([
        upcomingAndRunning<ContestView>((status, cursor) => contestsApi.list({ status, cursor })),
        upcomingAndRunning<CampaignView>((status, cursor) => contestsApi.campaigns({ status, cursor })),
        volunteersApi.activities({ near: here }),
      ]);
      if (seq !== latest.current) return;
      setData({ ...splitEvents(contests, campaigns), activities });
      setFailed(false);
    } catch {
      if (seq === latest.current) setFailed(true);
    }
  }, [here]);
  useDidShow(() => void load());
  // The position arrives after the first load: list again, nearest first.
  useEffect(() => {
    if (here) void load();
  }, [here, load]);
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (failed) return <ErrorState onRetry={() => void load()} />;
  if (!data) return <LoadingState />;
  return (
    <View className="ev-page" data-testid="tab-activities">
      <View className="ev-section-title">正在进行</View>
      {data.live.length === 0 ? (
        <EmptyState inline title="眼下没有进行中的征集和评选" description="新活动发布后会第一时间出现在这里" />
      ) : null}
      {data.live.map((c) => (
        <EventTile key={`${c.kind}-${c.id}`} card={c} />
      ))}
      {data.upcoming.length > 0 ? <View className="ev-section-title">即将开始</View> : null}
      {data.upcoming.map((c) => (
        <EventTile key={`${c.kind}-${c.id}`} card={c} />
      ))}
      <View className="ev-section-title ev-section-title--row">
        <Text data-testid="ev-activities-title">志愿活动{here ? ' · 离你近的在前' : ''}</Text>
        <Text className="ev-more" data-testid="tab-activities-volunteers" onClick={() => go('/subpackages/activities/pages/home/index')}>
          我的队伍与服务记录
        </Text>
      </View>
      {data.activities.items.length === 0 ? <EmptyState inline title="暂无近期志愿活动" /> : null}
      {data.activities.items.map((a) => (
        <ListItem
          key={a.id}
          testId="ev-activity"
          title={a.title}
          description={`${formatShanghai(a.startAt)} · ${a.placeName}`}
          meta={
            a.mySignup
              ? `${a.teamName} · 已报名`
              : `${a.teamName} · ${a.seatsLeft > 0 ? `还有 ${a.seatsLeft} 个名额` : '名额已满，可候补'}${a.audience === 'team' ? ' · 仅限队员' : ''}`
          }
          extra={a.distanceM == null ? undefined : distanceText(a.distanceM)}
          arrow
          onClick={() => go(`/subpackages/activities/pages/detail/index?id=${a.id}`)}
        />
      ))}
      <MoreButton
        page={data.activities}
        fetch={(cursor) => volunteersApi.activities({ cursor, near: here })}
        onPage={(activities) => setData({ ...data, activities })}
        label="更多志愿活动"
        testId="ev-more-activities"
      />
    </View>
  );
}

export default withCareMode(ActivitiesPage);
