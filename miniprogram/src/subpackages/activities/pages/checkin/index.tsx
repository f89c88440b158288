import type { ActivityView } from '@shared/schemas/volunteers';

import { View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { auth } from '../../../../services/request';
import { hoursText, volunteersApi } from '../../../../services/volunteers.api';
import { decodeScene } from '../../../../utils/deep-link';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import { useAttendance } from '../../use-attendance';
import '../../volunteers.scss';
import { withCareMode } from '../../../../stores/care-mode';

/**
 * Where the printed mini-program code lands (scene = the activity id): check in or out with the phone's
 * position only — the server accepts that inside the activity's time window and geofence.
 */
function PrintedCheckIn() {
  const [id, setId] = useState('');
  const [activity, setActivity] = useState<ActivityView | null>(null);
  const [failed, setFailed] = useState(false);
  const [missing, setMissing] = useState(false);
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
    const activityId = (params.scene ? decodeScene(params.scene) : params.id) ?? '';
    setId(activityId);
    // Opened without an activity (a bad scan or a shared link cut short): say so instead of loading forever.
    if (!activityId) setMissing(true);
    else void load(activityId);
  });
  const attendance = useAttendance(id, () => void load(id));
  if (missing)
    return (
      <EmptyState
        title="没有找到要签到的活动"
        description="请重新扫描活动现场的签到码，或从近期活动里找到它"
        action={
          <Button type="primary" onClick={() => go('/subpackages/activities/pages/home/index')}>
            看看近期活动
          </Button>
        }
      />
    );
  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!activity) return <LoadingState />;
  const mine = activity.mySignup;
  return (
    <View data-testid="vl-printed-checkin">
      <View className="vl-section">
        <View className="vl-section__title">{activity.title}</View>
        <View className="vl-meta">
          {formatShanghai(activity.startAt)} · {activity.placeName}
        </View>
      </View>
      <View className={`vl-result${mine?.checkInAt ? ' vl-result--ok' : ''}`}>
        {!mine || (mine.state !== 'confirmed' && mine.state !== 'waitlisted')
          ? '你还没有报名这个活动，报名后才能签到'
          : mine.state === 'waitlisted'
            ? '你在候补名单中，有空位转为正式报名后才能签到'
            : mine.checkOutAt
              ? `已签退 · 服务 ${hoursText(mine.minutes)}`
              : mine.checkInAt
                ? `已签到 ${formatShanghai(mine.checkInAt).slice(11)}`
                : '到达活动地点后点击签到'}
      </View>
      <View className="vl-actions">
        {!mine || (mine.state !== 'confirmed' && mine.state !== 'waitlisted') ? (
          <Button
            type="primary"
            block
            data-testid="vl-go-signup"
            onClick={() => go(`/subpackages/activities/pages/detail/index?id=${encodeURIComponent(id)}`)}
          >
            去报名
          </Button>
        ) : null}
        {mine?.state === 'confirmed' && !mine.checkInAt ? (
          <Button type="primary" block loading={attendance.busy} onClick={() => void attendance.act('in', false)}>
            签到
          </Button>
        ) : null}
        {mine?.checkInAt && !mine.checkOutAt ? (
          <Button type="primary" block loading={attendance.busy} onClick={() => void attendance.act('out', false)}>
            签退
          </Button>
        ) : null}
      </View>
    </View>
  );
}

export default withCareMode(PrintedCheckIn);
