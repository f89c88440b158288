import type { ActivityView, JoinRequestView, TeamView } from '@shared/schemas/volunteers';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { Input, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { EmptyState, ErrorState, ListItem, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { auth } from '../../../../services/request';
import { volunteersApi } from '../../../../services/volunteers.api';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import '../../team.scss';

interface Led {
  team: TeamView;
  activities: ActivityView[];
  requests: JoinRequestView[];
}

/** Team leader's desk: join requests to decide, the team's activities (code, roster), publish an activity. */
export default function TeamDesk() {
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
          <CreateActivity teamId={team.id} onCreated={() => void load()} />
        </View>
      ))}
    </View>
  );
}

/** A short form: title, place, start (YYYY-MM-DD HH:mm, Beijing time), hours, capacity; geofence from the leader's current position. */
function CreateActivity({ teamId, onCreated }: { teamId: string; onCreated: () => void }) {
  const [title, setTitle] = useState('');
  const [place, setPlace] = useState('');
  const [start, setStart] = useState('');
  const [hours, setHours] = useState('2');
  const [capacity, setCapacity] = useState('20');
  const submit = async () => {
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(start.trim());
    if (!m) {
      void Taro.showToast({ title: '开始时间格式：2026-12-06 09:00', icon: 'none' });
      return;
    }
    const startAt = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 8, +m[5]!));
    const endAt = new Date(startAt.getTime() + Number(hours) * 3600_000);
    let geofence: { lat: number; lng: number; radiusM: number } | undefined;
    try {
      const loc = await Taro.getLocation({ type: 'gcj02' });
      geofence = { lat: loc.latitude, lng: loc.longitude, radiusM: 300 };
    } catch {
      geofence = undefined;
    }
    try {
      await volunteersApi.create({
        teamId,
        title,
        placeName: place,
        ...(geofence ? { geofence } : {}),
        startAt: startAt.toISOString(),
        endAt: endAt.toISOString(),
        capacity: Number(capacity),
        signUpDeadline: startAt.toISOString(),
        audience: 'public',
        points: { mode: 'per_hour', perHour: 10 },
      });
      void Taro.showToast({ title: '已发布', icon: 'success' });
      setTitle('');
      onCreated();
    } catch {
      // toast shown by the client
    }
  };
  return (
    <View className="tm-form">
      <View className="tm-section__title">发布活动</View>
      <Input className="tm-input" placeholder="活动标题" value={title} onInput={(e) => setTitle(e.detail.value)} />
      <Input
        className="tm-input"
        placeholder="活动地点（在现场发布将以当前位置为签到中心）"
        value={place}
        onInput={(e) => setPlace(e.detail.value)}
      />
      <Input className="tm-input" placeholder="开始时间 2026-12-06 09:00" value={start} onInput={(e) => setStart(e.detail.value)} />
      <Input className="tm-input" type="digit" placeholder="时长（小时）" value={hours} onInput={(e) => setHours(e.detail.value)} />
      <Input className="tm-input" type="number" placeholder="名额" value={capacity} onInput={(e) => setCapacity(e.detail.value)} />
      <Button type="primary" size="small" onClick={() => void submit()}>
        发布
      </Button>
    </View>
  );
}
