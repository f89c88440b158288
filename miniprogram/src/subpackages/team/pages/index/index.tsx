import type { ActivityView, JoinRequestView, TeamView } from '@shared/schemas/volunteers';

import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, ListItem, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { auth } from '../../../../services/request';
import { volunteersApi } from '../../../../services/volunteers.api';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import '../../team.scss';
import { withCareMode } from '../../../../stores/care-mode';

interface Led {
  team: TeamView;
  activities: ActivityView[];
  requests: JoinRequestView[];
}

/** Team leader's desk: join requests to decide, the team's activities (code, roster), publish an activity (its own page). */
function TeamDesk() {
  const { user } = useSession();
  const [led, setLed] = useState<Led[] | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async () => {
    try {
      await auth.ensureLoggedIn();
      const scopes = new Set((user?.roles ?? []).filter((g) => g.role === 'team_leader' && g.scope).map((g) => g.scope?.id));
      const teams = (await volunteersApi.teams()).items.filter((t) => scopes.has(t.id));
      setLed(
        await Promise.all(
          teams.map(async (team) => ({
            team,
            activities: (await volunteersApi.activities({ teamId: team.id, include: 'all' })).items,
            requests: (await volunteersApi.joinRequests(team.id)).items,
          })),
        ),
      );
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [user]);
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (failed) return <ErrorState onRetry={() => void load()} />;
  if (!led) return <LoadingState />;
  if (led.length === 0) return <EmptyState title="你还不是任何队伍的队长" />;
  const decide = async (r: JoinRequestView, decision: 'approve' | 'decline') => {
    await volunteersApi.decide(r.id, decision);
    await load();
  };
  return (
    <View data-testid="team-desk">
      {led.map(({ team, activities, requests }) => (
        <View key={team.id} className="tm-section">
          <View className="tm-section__title">{team.name}</View>
          {requests.map((r) => (
            <ListItem
              key={r.id}
              title={`${r.nickname} 申请入队`}
              description={r.message || undefined}
              extra={
                <View className="tm-row">
                  <Button size="small" type="primary" onClick={() => void decide(r, 'approve')}>
                    通过
                  </Button>
                  <Button size="small" onClick={() => void decide(r, 'decline')}>
                    拒绝
                  </Button>
                </View>
              }
            />
          ))}
          {activities.map((a) => (
            <ListItem
              key={a.id}
              title={a.title}
              description={`${formatShanghai(a.startAt)} · ${a.placeName}`}
              meta={`报名 ${a.capacity - a.seatsLeft}/${a.capacity}${a.waitlisted ? ` · 候补 ${a.waitlisted}` : ''}`}
              extra={
                <View className="tm-row">
                  <Button size="small" type="primary" onClick={() => go(`/subpackages/team/pages/code/index?id=${a.id}`)}>
                    签到码
                  </Button>
                  <Button size="small" onClick={() => go(`/subpackages/team/pages/roster/index?id=${a.id}`)}>
                    名单
                  </Button>
                </View>
              }
            />
          ))}
          <Button
            type="primary"
            size="small"
            data-testid="tm-new-activity"
            onClick={() => go(`/subpackages/team/pages/create/index?teamId=${team.id}`)}
          >
            发布活动
          </Button>
        </View>
      ))}
    </View>
  );
}

export default withCareMode(TeamDesk);
