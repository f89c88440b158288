import type { ActivityView } from '@shared/schemas/volunteers';

import { Input, View } from '@tarojs/components';
import { useDidShow, useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, ErrorState, LoadingState } from '../../../../components/ui';
import { auth } from '../../../../services/request';
import { askConsent, CONSENT_FOR, preloadTemplates } from '../../../../services/subscribe';
import { hoursText, volunteersApi } from '../../../../services/volunteers.api';
import { sharePath } from '../../../../utils/deep-link';
import { formatShanghai } from '../../../../utils/format';
import { useAttendance } from '../../use-attendance';
import '../../volunteers.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** H5 (the console in a browser) has no camera scanner: the code is pasted instead. */
const IS_H5 = process.env.TARO_ENV === 'h5';
const STATE_TEXT = { confirmed: '已报名', waitlisted: '候补中', cancelled: '已取消' } as const;

/** Activity detail: what, where, when, seats; sign up / cancel; 扫码签到 and 扫码签退 once signed up. */
function ActivityDetail() {
  const [id, setId] = useState('');
  const [activity, setActivity] = useState<ActivityView | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState('');
  const load = useCallback(async (activityId: string) => {
    try {
      await auth.ensureLoggedIn();
      setActivity((await volunteersApi.activity(activityId)).activity);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });
  // The template ids must be at hand when 报名 is tapped: WeChat asks for consent only from the tap itself.
  useDidShow(() => void preloadTemplates());
  useShareAppMessage(() => ({ title: activity?.title ?? '志愿活动', path: sharePath('act', id) }));
  const attendance = useAttendance(id, () => {
    setTyped('');
    void load(id);
  });

  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!activity) return <LoadingState />;
  const mine = activity.mySignup;
  const signUp = async (cancel: boolean) => {
    setBusy(true);
    try {
      // Reminders (a day and an hour before) and 候补成功 reach WeChat only if accepted here; sign-up goes ahead either way.
      if (!cancel) await askConsent(CONSENT_FOR.activitySignUp);
      await (cancel ? volunteersApi.cancel(id) : volunteersApi.signUp(id));
      await load(id);
    } catch {
      // toast shown by the client
    } finally {
      setBusy(false);
    }
  };
  const points = activity.points.mode === 'fixed' ? `${activity.points.amount} 积分` : `每小时 ${activity.points.perHour} 积分`;
  return (
    <View data-testid="vl-detail">
      <View className="vl-section">
        <View className="vl-section__title">{activity.title}</View>
        <View className="vl-meta">
          {formatShanghai(activity.startAt)} – {formatShanghai(activity.endAt).slice(11)}
        </View>
        <View className="vl-meta">
          {activity.placeName}
          {activity.geofence ? `（${activity.geofence.radiusM} 米内签到）` : ''}
        </View>
        <View className="vl-meta">
          {activity.teamName} · {activity.audience === 'team' ? '仅限队员' : '公开招募'} · {points}
        </View>
        <View className="vl-meta">
          名额 {activity.capacity}，剩余 {activity.seatsLeft}
          {activity.waitlisted ? `，候补 ${activity.waitlisted} 人` : ''} · 报名截止 {formatShanghai(activity.signUpDeadline)}
        </View>
        {activity.description ? <View className="vl-meta">{activity.description}</View> : null}
      </View>
      {mine && mine.state !== 'cancelled' ? (
        <View className="vl-section" data-testid="vl-my-signup">
          <View className="vl-big">
            {STATE_TEXT[mine.state]}
            {mine.waitlistPosition ? `（第 ${mine.waitlistPosition} 位）` : ''}
          </View>
          {mine.checkInAt ? <View className="vl-meta">签到 {formatShanghai(mine.checkInAt)}</View> : null}
          {mine.checkOutAt ? (
            <View className="vl-meta">
              签退 {formatShanghai(mine.checkOutAt)} · 服务 {hoursText(mine.minutes)}
            </View>
          ) : null}
          {mine.confirmedAt ? <View className="vl-meta">已确认，获得 {mine.pointsAwarded} 积分</View> : null}
        </View>
      ) : null}
      {IS_H5 && mine?.state === 'confirmed' && !mine.checkOutAt ? (
        <Input
          className="vl-code-input"
          data-testid="vl-code-input"
          placeholder="粘贴队长出示的签到码"
          value={typed}
          onInput={(e) => setTyped(e.detail.value)}
        />
      ) : null}
      <View className="vl-actions">
        {!mine || mine.state === 'cancelled' ? (
          <Button type="primary" loading={busy} onClick={() => void signUp(false)} data-testid="vl-signup">
            报名
          </Button>
        ) : null}
        {mine && mine.state !== 'cancelled' && !mine.checkInAt ? (
          <Button loading={busy} onClick={() => void signUp(true)}>
            取消报名
          </Button>
        ) : null}
        {mine?.state === 'confirmed' && !mine.checkInAt ? (
          <Button type="primary" loading={attendance.busy} onClick={() => void attendance.act('in', true, typed)} data-testid="vl-checkin">
            扫码签到
          </Button>
        ) : null}
        {mine?.checkInAt && !mine.checkOutAt ? (
          <Button
            type="primary"
            loading={attendance.busy}
            onClick={() => void attendance.act('out', true, typed)}
            data-testid="vl-checkout"
          >
            扫码签退
          </Button>
        ) : null}
      </View>
    </View>
  );
}

export default withCareMode(ActivityDetail);
