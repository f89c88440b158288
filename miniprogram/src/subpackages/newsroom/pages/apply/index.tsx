import { applyBodySchema, type ApplicationView, type CircleView } from '@shared/schemas/newsroom';
import type { UserView } from '@shared/schemas/users';
import { Picker, Textarea, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { Button, LoadingState } from '../../../../components/ui';
import { InputField } from '../../../../components/form/fields';
import { isApiError } from '../../../../services/core/api-error';
import { auth, tokens } from '../../../../services/request';
import { askConsent, CONSENT_FOR, preloadTemplates } from '../../../../services/subscribe';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import { check } from '../../forms';
import { deskApi } from '../../newsroom-api';
import '../../newsroom.scss';
import { withCareMode } from '../../../../stores/care-mode';

const isH5 = process.env.TARO_ENV === 'h5';
const STATE_LABELS: Record<ApplicationView['state'], string> = { pending: '审核中', approved: '已通过', declined: '未通过' };

/** 申请成为通讯员: the form (real name, bound phone, circle, district, system, domain, intro, samples) and my applications. */
function ApplyPage() {
  const [me, setMe] = useState<UserView | null>(null);
  const [circles, setCircles] = useState<CircleView[]>([]);
  const [applications, setApplications] = useState<ApplicationView[] | null>(null);
  const [realName, setRealName] = useState('');
  const [circleIndex, setCircleIndex] = useState(-1);
  const [district, setDistrict] = useState('');
  const [system, setSystem] = useState('');
  const [domain, setDomain] = useState('');
  const [intro, setIntro] = useState('');
  const [samples, setSamples] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The user (phone, roles) and my applications, fresh each time the page shows (an approval grants the role).
  const refresh = async () => {
    if (!(await auth.ensureLoggedIn())) return;
    const [user, mine] = await Promise.all([deskApi.me().catch(() => null), deskApi.myApplications().catch(() => null)]);
    if (user) {
      setMe(user.user);
      const current = tokens.get();
      if (current) tokens.set({ ...current, user: user.user });
      if (!district && user.user.district) setDistrict(user.user.district);
    }
    setApplications(mine?.items ?? []);
  };
  useDidShow(() => {
    void refresh();
    void preloadTemplates();
  });
  useEffect(() => {
    deskApi
      .circles()
      .then(setCircles)
      .catch(() => undefined);
  }, []);

  async function bindPhone(code: string | undefined) {
    if (!code) return void Taro.showToast({ title: '需要授权手机号才能申请', icon: 'none' });
    try {
      setMe((await deskApi.bindPhone(code)).user);
    } catch {
      // toast shown by the API client
    }
  }

  async function submit() {
    const input = {
      realName,
      circleId: circles[circleIndex]?.id ?? '',
      district,
      system,
      domain,
      intro,
      samples: samples
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    };
    if (!input.circleId) return setError('请选择要加入的圈子');
    if (!me?.phone) {
      // Bound meanwhile (another page, another device)? Ask once more before refusing.
      const fresh = await deskApi.me().catch(() => null);
      if (fresh) setMe(fresh.user);
      if (!fresh?.user.phone) return setError('请先绑定手机号');
    }
    const c = check(applyBodySchema, input);
    if (!c.ok) return setError(c.message);
    setError(null);
    setBusy(true);
    try {
      // The decision reaches WeChat only if accepted here; the application goes in either way.
      await askConsent(CONSENT_FOR.correspondentApply);
      const { application } = await deskApi.apply(c.value);
      setApplications((a) => [application, ...(a ?? [])]);
      void Taro.showToast({ title: '已提交申请', icon: 'success' });
    } catch (err) {
      setError(isApiError(err) ? err.message : '提交失败');
    } finally {
      setBusy(false);
    }
  }

  if (!applications) return <LoadingState />;
  const pending = applications.find((a) => a.state === 'pending');
  const approved = applications.find((a) => a.state === 'approved');
  const circleName = (id: string) => circles.find((c) => c.id === id)?.name ?? '';

  return (
    <View data-testid="nr-apply">
      {applications.length > 0 ? (
        <View className="nr-section" data-testid="nr-my-applications">
          <View className="nr-label">我的申请</View>
          {applications.map((a) => (
            <View key={a.id} className="nr-timeline-item" data-testid="nr-my-application">
              <View className="nr-text">
                {circleName(a.circleId)} <View className="nr-state">{STATE_LABELS[a.state]}</View>
              </View>
              {a.state === 'declined' && a.reason ? <View className="nr-text">理由：{a.reason}</View> : null}
              <View className="nr-hint">
                提交于 {formatShanghai(a.createdAt)}
                {a.decidedAt ? ` · 审核于 ${formatShanghai(a.decidedAt)}` : ''}
              </View>
            </View>
          ))}
          {approved ? (
            <View className="nr-actions" style={{ padding: '12px 0 0' }}>
              <Button type="primary" size="mini" onClick={() => go('/subpackages/newsroom/pages/desk/index')}>
                去投稿
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}

      {pending ? (
        <View className="nr-note">你的申请正在审核中，圈长或编辑审核后会在这里显示结果。</View>
      ) : (
        <View className="nr-section" data-testid="nr-apply-form">
          <InputField prefix="nr" label="真实姓名" testId="nr-real-name" maxlength={20} value={realName} onInput={setRealName} />
          <View className="nr-label">手机号</View>
          <View className="nr-row">
            <View className="nr-text" data-testid="nr-phone">
              {me?.phone ?? '未绑定'}
            </View>
            {!me?.phone ? (
              isH5 ? (
                <View className="nr-hint">请在微信小程序中绑定手机号</View>
              ) : (
                <Button size="mini" openType="getPhoneNumber" onGetPhoneNumber={(e) => void bindPhone(e.detail.code)}>
                  绑定手机号
                </Button>
              )
            ) : null}
          </View>
          <View className="nr-label">申请加入的圈子</View>
          <Picker mode="selector" range={circles.map((c) => c.name)} onChange={(e) => setCircleIndex(Number(e.detail.value))}>
            <View className="nr-input" data-testid="nr-circle">
              {circles[circleIndex]?.name ?? '请选择圈子'}
            </View>
          </Picker>
          <InputField
            prefix="nr"
            label="片区"
            testId="nr-district"
            placeholder="如：青溪镇"
            maxlength={30}
            value={district}
            onInput={setDistrict}
          />
          <InputField
            prefix="nr"
            label="系统"
            testId="nr-system"
            placeholder="如：教育、卫健、政法"
            maxlength={30}
            value={system}
            onInput={setSystem}
          />
          <InputField
            prefix="nr"
            label="垂直领域"
            testId="nr-domain"
            placeholder="如：校园新闻、摄影"
            maxlength={30}
            value={domain}
            onInput={setDomain}
          />
          <View className="nr-label">个人简介</View>
          <Textarea
            className="nr-textarea"
            style={{ minHeight: '140px' }}
            data-testid="nr-intro"
            maxlength={500}
            value={intro}
            onInput={(e) => setIntro(e.detail.value)}
          />
          <View className="nr-label">代表作品（每行一件：链接或简介，最多 5 件）</View>
          <Textarea
            className="nr-textarea"
            style={{ minHeight: '140px' }}
            data-testid="nr-samples"
            maxlength={1600}
            value={samples}
            onInput={(e) => setSamples(e.detail.value)}
          />
          {error ? (
            <View className="nr-error" data-testid="nr-apply-error">
              {error}
            </View>
          ) : null}
          <View className="nr-actions" style={{ padding: '12px 0 0' }}>
            <Button type="primary" data-testid="nr-apply-submit" loading={busy} disabled={busy} onClick={() => void submit()}>
              提交申请
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}

export default withCareMode(ApplyPage);
