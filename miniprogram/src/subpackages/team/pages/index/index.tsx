import type { ActivityView, JoinRequestView, TeamView } from '@shared/schemas/volunteers';

import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, ListItem, LoadingState, MoreButton, type CursorPage } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { auth } from '../../../../services/request';
import { volunteersApi } from '../../../../services/volunteers.api';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import '../../team.scss';
import { withCareMode } from '../../../../stores/care-mode';

interface Led {
  team: TeamView;
  activities: CursorPage<ActivityView>;
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
      // The teams this user leads, each asked by id (the team list pages, and a leader's teams may be on any page).
      // A scope whose team is gone (404) is left out, as the filtered list used to.
      const found = await Promise.all(
        [...scopes]
          .filter((s): s is string => Boolean(s))
          .map((teamId) =>
            volunteersApi.team(teamId).then(
              (r) => r.team,
              (err: unknown) => {
                if (isApiError(err) && err.status === 404) return null;
                throw err;
              },
            ),
          ),
      );
      const teams = found.filter((t): t is TeamView => t !== null);
      setLed(
        await Promise.all(
          teams.map(async (team) => ({
            team,
            activities: await volunteersApi.activities({ teamId: team.id, include: 'all' }),
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
          {activities.items.map((a) => (
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
          <MoreButton
            page={activities}
            fetch={(cursor) => volunteersApi.activities({ teamId: team.id, include: 'all', cursor })}
            onPage={(page) => setLed((all) => all?.map((l) => (l.team.id === team.id ? { ...l, activities: page } : l)) ?? all)}
            label="更多活动"
            testId="tm-more-activities"
          />
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
