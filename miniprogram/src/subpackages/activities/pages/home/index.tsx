import type { ActivityView, TeamView } from '@shared/schemas/volunteers';

import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, ListItem, LoadingState, MoreButton, type CursorPage } from '../../../../components/ui';
import { auth } from '../../../../services/request';
import { volunteersApi } from '../../../../services/volunteers.api';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import '../../volunteers.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** 志愿 home: my teams, upcoming activities, teams to discover and join, my service record. */
function VolunteersHome() {
  const [data, setData] = useState<{ mine: TeamView[]; teams: CursorPage<TeamView>; activities: CursorPage<ActivityView> } | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async () => {
    try {
      await auth.ensureLoggedIn();
      const [mine, teams, activities] = await Promise.all([volunteersApi.myTeams(), volunteersApi.teams(), volunteersApi.activities()]);
      setData({ mine: mine.items, teams, activities });
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (failed) return <ErrorState onRetry={() => void load()} />;
  if (!data) return <LoadingState />;
  const mineIds = new Set(data.mine.map((t) => t.id));
  const join = async (team: TeamView) => {
    await volunteersApi.join(team.id);
    void Taro.showToast({ title: '已提交申请，等待队长审核', icon: 'none' });
  };
  return (
    <View data-testid="vl-home">
      <View className="vl-actions">
        <Button type="primary" size="small" onClick={() => go('/subpackages/activities/pages/record/index')}>
          我的服务记录
        </Button>
      </View>
      <View className="vl-section">
        <View className="vl-section__title">我的队伍</View>
        {data.mine.length === 0 ? <EmptyState inline title="还没有加入队伍" /> : null}
        {data.mine.map((t) => (
          <ListItem key={t.id} title={t.name} description={`${t.area} · ${t.memberCount} 名队员`} />
        ))}
      </View>
      <View className="vl-section">
        <View className="vl-section__title">近期活动</View>
        {data.activities.items.length === 0 ? <EmptyState inline title="暂无近期活动" /> : null}
        {data.activities.items.map((a) => (
          <ListItem
            key={a.id}
            title={a.title}
            description={`${formatShanghai(a.startAt)} · ${a.placeName}`}
            meta={`${a.teamName} · 余 ${a.seatsLeft}/${a.capacity}${a.audience === 'team' ? ' · 队内' : ''}`}
            onClick={() => go(`/subpackages/activities/pages/detail/index?id=${a.id}`)}
          />
        ))}
        <MoreButton
          page={data.activities}
          fetch={(cursor) => volunteersApi.activities({ cursor })}
          onPage={(activities) => setData({ ...data, activities })}
          label="更多活动"
          testId="vl-more-activities"
        />
      </View>
      <View className="vl-section">
        <View className="vl-section__title">发现队伍</View>
        {data.teams.items
          .filter((t) => !mineIds.has(t.id))
          .map((t) => (
            <ListItem
              key={t.id}
              title={t.name}
              description={t.description || t.area}
              extra={
                <Button size="small" onClick={() => void join(t)}>
                  申请加入
                </Button>
              }
            />
          ))}
        <MoreButton
          page={data.teams}
          fetch={(cursor) => volunteersApi.teams(cursor)}
          onPage={(teams) => setData({ ...data, teams })}
          label="更多队伍"
          testId="vl-more-teams"
        />
      </View>
    </View>
  );
}

export default withCareMode(VolunteersHome);
