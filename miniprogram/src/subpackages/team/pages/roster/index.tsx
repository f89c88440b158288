import { View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, useLoad, usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import { Button, ErrorState, ListItem, LoadingState, MoreButton } from '../../../../components/ui';
import { hoursText, volunteersApi, type RosterResponse } from '../../../../services/volunteers.api';
import { formatShanghai } from '../../../../utils/format';
import '../../team.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** WeChat's modal can take text (editable); Taro's typings predate that option. */
const promptModal = Taro.showModal as unknown as (o: {
  title: string;
  content: string;
  editable: boolean;
  placeholderText: string;
}) => Promise<{ confirm: boolean; content?: string }>;
const hm = (iso: string | null) => (iso ? formatShanghai(iso).slice(11) : '—');

/** Live roster (refreshes every 10 s): signed up / checked in / checked out; correct a time; confirm hours (pays points once). */
function RosterPage() {
  const [id, setId] = useState('');
  const [tab, setTab] = useState<'confirmed' | 'waitlisted'>('confirmed');
  const [roster, setRoster] = useState<RosterResponse | null>(null);
  const [failed, setFailed] = useState(false);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  // The live refresh reloads the first page; once the leader has loaded 更多 it waits (pull down to refresh), so
  // the rows being read don't vanish every 10 s.
  const extended = useRef(false);
  const tabRef = useRef(tab);
  tabRef.current = tab;
  const load = useCallback(async (activityId: string, state = tabRef.current) => {
    try {
      setRoster(await volunteersApi.roster(activityId, state));
      extended.current = false;
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  const show = (state: 'confirmed' | 'waitlisted') => {
    setTab(state);
    setRoster(null);
    void load(id, state);
  };
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });
  useDidShow(() => {
    if (timer.current) clearInterval(timer.current);
    timer.current = setInterval(() => id && !extended.current && void load(id), 10_000);
  });
  useDidHide(() => {
    if (timer.current) clearInterval(timer.current);
  });
  usePullDownRefresh(() => void load(id).finally(() => Taro.stopPullDownRefresh()));

  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!roster) return <LoadingState />;
  const checkOutNow = async (userId: string) => {
    const res = await promptModal({ title: '补签退', content: '', editable: true, placeholderText: '更正理由（必填）' });
    if (!res.confirm || !res.content) return;
    await volunteersApi.correct(id, userId, { checkOutAt: new Date().toISOString(), reason: res.content });
    await load(id);
  };
  const confirm = async () => {
    const res = await volunteersApi.confirm(id);
    const paid = res.confirmed.filter((c) => c.payment === 'credited').length;
    void Taro.showToast({ title: `已确认 ${res.confirmed.length} 人，发放 ${paid} 人积分`, icon: 'none' });
    await load(id);
  };
  const c = roster.counts;
  return (
    <View data-testid="team-roster">
      <View className="tm-section">
        <View className="tm-counts">
          <View
            className={tab === 'confirmed' ? 'tm-counts__tab--on' : ''}
            data-testid="roster-tab-confirmed"
            onClick={() => show('confirmed')}
          >
            报名 {c.signedUp}
          </View>
          <View
            className={tab === 'waitlisted' ? 'tm-counts__tab--on' : ''}
            data-testid="roster-tab-waitlisted"
            onClick={() => show('waitlisted')}
          >
            候补 {c.waitlisted}
          </View>
          <View>签到 {c.checkedIn}</View>
          <View>签退 {c.checkedOut}</View>
          <View>已确认 {c.confirmed}</View>
        </View>
      </View>
      <View className="tm-section">
        {roster.items.map((e) => (
          <ListItem
            key={e.userId}
            title={e.nickname || '志愿者'}
            description={
              e.state === 'waitlisted'
                ? `候补第 ${e.waitlistPosition} 位`
                : `签到 ${hm(e.checkInAt)} · 签退 ${hm(e.checkOutAt)} · ${hoursText(e.minutes)}`
            }
            meta={
              e.corrections.length
                ? `更正：${e.corrections.map((x) => x.reason).join('；')}`
                : e.confirmedAt
                  ? `已确认 · ${e.pointsAwarded} 积分`
                  : undefined
            }
            extra={
              e.checkInAt && !e.checkOutAt && !e.confirmedAt ? (
                <Button size="small" onClick={() => void checkOutNow(e.userId)}>
                  补签退
                </Button>
              ) : undefined
            }
          />
        ))}
        <MoreButton
          page={roster}
          fetch={(cursor) => volunteersApi.roster(id, tab, cursor)}
          onPage={(page) => {
            extended.current = true;
            setRoster({ ...roster, ...page });
          }}
          testId="roster-more"
        />
      </View>
      <View className="tm-section">
        <Button type="primary" block onClick={() => void confirm()} data-testid="team-confirm">
          确认服务时长并发放积分
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(RosterPage);
