import { Switch, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { Button, EmptyState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { volunteersApi } from '../../../../services/volunteers.api';
import { leadsTeam } from '../../../../utils/roles';
import { buildActivityBody, emptyActivityForm, type ActivityForm } from '../../activity-form';
import { Chips, DateTimeField, InputField } from '../../../../components/form/fields';
import '../../team.scss';
import { withCareMode } from '../../../../stores/care-mode';

const IS_H5 = process.env.TARO_ENV === 'h5';
const AUDIENCE = [
  ['public', '所有人可报名'],
  ['team', '仅本队队员'],
] as const;
const POINTS = [
  ['per_hour', '按确认时长'],
  ['fixed', '固定积分'],
] as const;

/**
 * 发布志愿活动 (team leaders): every option of the API — place and check-in geofence (picked on the map),
 * start and end, capacity, sign-up deadline, who may sign up, how it pays points, when check-in opens.
 */
function CreateActivityPage() {
  const teamId = useRouter().params.teamId ?? '';
  const { user } = useSession();
  const [form, setForm] = useState<ActivityForm>(() => emptyActivityForm(new Date()));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ActivityForm>(key: K, value: ActivityForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const pickOnMap = async () => {
    try {
      const lat = Number(form.lat);
      const lng = Number(form.lng);
      const picked = await Taro.chooseLocation(form.lat && form.lng ? { latitude: lat, longitude: lng } : {});
      setForm((f) => ({
        ...f,
        useGeofence: true,
        lat: picked.latitude.toFixed(6),
        lng: picked.longitude.toFixed(6),
        placeName: f.placeName.trim() ? f.placeName : picked.name || picked.address || f.placeName,
      }));
    } catch (err) {
      const msg = String((err as { errMsg?: string })?.errMsg ?? '');
      if (!/cancel/i.test(msg)) void Taro.showToast({ title: '无法打开地图，请检查定位权限', icon: 'none' });
    }
  };

  const submit = async () => {
    const checked = buildActivityBody(form, teamId);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await volunteersApi.create(checked.body);
    } catch (err) {
      setError(isApiError(err) ? err.message : '发布失败，请稍后再试');
      setBusy(false);
      return;
    }
    // Published: the button stays busy until the page is gone, so a second tap cannot publish it twice.
    void Taro.showToast({ title: '已发布', icon: 'success' });
    // Opened directly (no page to go back to): the team desk instead.
    setTimeout(() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/subpackages/team/pages/index/index' })), 600);
  };

  if (!teamId) return <View className="tm-error">缺少队伍信息，请从志愿队管理进入</View>;
  // The API refuses anyone else; say so before they fill in the form.
  if (!leadsTeam(user, teamId)) return <EmptyState title="仅本队队长可以发布活动" description="队长由管理员任命" />;
  return (
    <View data-testid="tm-create">
      <View className="tm-section">
        <View className="tm-section__title">活动内容</View>
        <InputField
          prefix="tm"
          label="标题"
          testId="tm-title"
          placeholder="如：敬老院包饺子"
          maxlength={60}
          value={form.title}
          onInput={(v) => set('title', v)}
        />
        <View className="tm-label">介绍（可选）</View>
        <Textarea
          className="tm-textarea"
          data-testid="tm-description"
          maxlength={3000}
          placeholder="做什么、带什么、注意事项"
          value={form.description}
          onInput={(e) => set('description', e.detail.value)}
        />
      </View>

      <View className="tm-section">
        <View className="tm-section__title">地点与签到范围</View>
        <InputField
          prefix="tm"
          label="活动地点"
          testId="tm-place"
          placeholder="如：县社会福利院"
          maxlength={100}
          value={form.placeName}
          onInput={(v) => set('placeName', v)}
        />
        <Button size="small" data-testid="tm-pick-location" onClick={() => void pickOnMap()}>
          在地图上选择地点
        </Button>
        <View className="tm-row" style={{ alignItems: 'center', marginTop: '12px' }}>
          <View className="tm-grow">签到时核验位置</View>
          <Switch data-testid="tm-geofence" checked={form.useGeofence} onChange={(e) => set('useGeofence', e.detail.value)} />
        </View>
        {form.useGeofence ? (
          <View>
            {IS_H5 || form.lat ? (
              <View className="tm-row">
                <InputField prefix="tm" label="纬度" testId="tm-lat" type="digit" value={form.lat} onInput={(v) => set('lat', v)} grow />
                <InputField prefix="tm" label="经度" testId="tm-lng" type="digit" value={form.lng} onInput={(v) => set('lng', v)} grow />
              </View>
            ) : null}
            <InputField
              prefix="tm"
              label="签到半径（米，20–5000）"
              testId="tm-radius"
              type="number"
              value={form.radiusM}
              onInput={(v) => set('radiusM', v)}
            />
          </View>
        ) : (
          <View className="tm-hint">不核验位置时，只能扫描队长手机上的动态签到码签到。</View>
        )}
      </View>

      <View className="tm-section">
        <View className="tm-section__title">时间与名额</View>
        <DateTimeField prefix="tm" label="开始" value={form.start} onChange={(v) => set('start', v)} />
        <DateTimeField prefix="tm" label="结束" value={form.end} onChange={(v) => set('end', v)} />
        <DateTimeField prefix="tm" label="报名截止" value={form.deadline} onChange={(v) => set('deadline', v)} />
        <View className="tm-row">
          <InputField
            prefix="tm"
            label="名额（人）"
            testId="tm-capacity"
            type="number"
            value={form.capacity}
            onInput={(v) => set('capacity', v)}
            grow
          />
          <InputField
            prefix="tm"
            label="提前多少分钟开放签到"
            testId="tm-opens-before"
            type="number"
            value={form.checkInOpensMinutesBefore}
            onInput={(v) => set('checkInOpensMinutesBefore', v)}
            grow
          />
        </View>
        <View className="tm-hint">时间均为北京时间。满员后报名进入候补，有人取消时自动递补。</View>
      </View>

      <View className="tm-section">
        <View className="tm-section__title">报名范围与积分</View>
        <Chips prefix="tm" options={AUDIENCE} value={form.audience} onChange={(v) => set('audience', v)} testId="tm-audience" />
        <View className="tm-label">积分方式</View>
        <Chips prefix="tm" options={POINTS} value={form.pointsMode} onChange={(v) => set('pointsMode', v)} testId="tm-points-mode" />
        <InputField
          prefix="tm"
          label={form.pointsMode === 'per_hour' ? '每小时积分' : '每人积分'}
          testId="tm-points"
          type="number"
          value={form.points}
          onInput={(v) => set('points', v)}
        />
        <View className="tm-hint">积分在队长确认服务时长后发放，每人每个活动只发一次。</View>
      </View>

      {error ? (
        <View className="tm-error" data-testid="tm-error">
          {error}
        </View>
      ) : null}
      <View className="tm-section">
        <Button block type="primary" loading={busy} disabled={busy} data-testid="tm-submit" onClick={() => void submit()}>
          发布活动
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(CreateActivityPage);
