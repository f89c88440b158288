import type { ActivityView } from '@shared/schemas/volunteers';

import { View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, ErrorState, LoadingState } from '../../../../components/ui';
import { auth } from '../../../../services/request';
import { hoursText, volunteersApi } from '../../../../services/volunteers.api';
import { decodeScene } from '../../../../utils/deep-link';
import { formatShanghai } from '../../../../utils/format';
import { useAttendance } from '../../use-attendance';
import '../../volunteers.scss';

/**
 * Where the printed mini-program code lands (scene = the activity id): check in or out with the phone's
 * position only — the server accepts that inside the activity's time window and geofence.
 */
export default function PrintedCheckIn() {
  const [id, setId] = useState('');
  const [activity, setActivity] = useState<ActivityView | null>(null);
  const [failed, setFailed] = useState(false);
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
    void load(activityId);
  });
  const attendance = useAttendance(id, () => void load(id));
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
        {!mine || mine.state !== 'confirmed'
          ? '你没有报名该活动（或在候补中）'
          : mine.checkOutAt
            ? `已签退 · 服务 ${hoursText(mine.minutes)}`
            : mine.checkInAt
              ? `已签到 ${formatShanghai(mine.checkInAt).slice(11)}`
              : '到达活动地点后点击签到'}
      </View>
      <View className="vl-actions">
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
