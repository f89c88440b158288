import type { CircleView } from '@shared/schemas/newsroom';

import { Input, Textarea, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { Button, EmptyState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { contestsAdminApi } from '../../../../services/contests-admin.api';
import { hasRole } from '../../../../utils/roles';
import { apiErrorText, checkCampaign, emptyCampaignForm, toggle, type CampaignForm } from '../../../contests/admin-form';
import { CoverPicker } from '../../../contests/components/cover-picker';
import '../../../contests/contests.scss';
import { Check } from '@nutui/icons-react-taro';
import { withCareMode } from '../../../../stores/care-mode';

/**
 * 发起专题 (admins): title, description, cover, tag, dates, target circles and bonus points. Checked with the
 * server's schema before sending; launching notifies the target circles' correspondents, then opens the
 * campaign page.
 */
function LaunchCampaignPage() {
  const { user } = useSession();
  const [form, setForm] = useState<CampaignForm>(() => emptyCampaignForm(Date.now()));
  const [circles, setCircles] = useState<CircleView[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // Any change clears the last refusal: it described the form as it was.
  const set = <K extends keyof CampaignForm>(key: K, value: CampaignForm[K]) => {
    setError('');
    setForm((f) => ({ ...f, [key]: value }));
  };

  useLoad(() => {
    contestsAdminApi
      .circles()
      .then(setCircles)
      .catch(() => setCircles([]));
  });

  if (!hasRole(user, 'admin')) return <EmptyState title="仅管理员可以发起专题" />;

  async function submit() {
    const checked = checkCampaign(form);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    setError('');
    setBusy(true);
    try {
      const res = await contestsAdminApi.launchCampaign(checked.body);
      void Taro.showToast({ title: `已发起，通知 ${res.notified} 人`, icon: 'none' });
      await Taro.redirectTo({ url: `/subpackages/campaigns/pages/detail/index?id=${res.campaign.id}` });
    } catch (err) {
      setError(apiErrorText(err));
    } finally {
      setBusy(false);
    }
  }

  const field = (key: 'title' | 'tag' | 'startsAt' | 'endsAt' | 'bonusPoints', label: string, placeholder: string, max = 60) => (
    <>
      <View className="ct-label">{label}</View>
      <Input
        className="ct-input"
        data-testid={`cp-${key}`}
        type={key === 'bonusPoints' ? 'number' : 'text'}
        maxlength={max}
        placeholder={placeholder}
        value={form[key]}
        onInput={(e) => set(key, e.detail.value)}
      />
    </>
  );

  return (
    <View data-testid="cp-launch">
      <View className="ct-section">
        {field('title', '标题', '例如：春三月 · 寻找身边的春天', 40)}
        <View className="ct-label">活动说明</View>
        <Textarea
          className="ct-textarea"
          data-testid="cp-description"
          maxlength={2000}
          placeholder="征集什么、怎么参与、评选方式…"
          value={form.description}
          onInput={(e) => set('description', e.detail.value)}
        />
        <View className="ct-label">封面（可选）</View>
        <CoverPicker value={form.cover} onChange={(url) => set('cover', url)} testId="cp-cover" />
        {field('tag', '话题标签（通讯员投稿时填写）', '例如：春三月', 30)}
      </View>
      <View className="ct-section">
        {field('startsAt', '开始时间（北京时间）', 'YYYY-MM-DD HH:mm', 16)}
        {field('endsAt', '结束时间（北京时间）', 'YYYY-MM-DD HH:mm', 16)}
        {field('bonusPoints', '审核通过的稿件额外奖励积分', '0', 5)}
      </View>
      <View className="ct-section">
        <View className="ct-label">目标圈子（发起后通知这些圈子的通讯员；可多选）</View>
        {circles === null ? <View className="ct-meta">加载中…</View> : null}
        {circles?.length === 0 ? <View className="ct-meta">暂无圈子</View> : null}
        <View className="ct-chips">
          {circles?.map((c) => {
            const on = form.targetCircleIds.includes(c.id);
            return (
              <View
                key={c.id}
                className={`ct-chip${on ? ' ct-chip--on' : ''}`}
                data-testid="cp-circle"
                onClick={() => set('targetCircleIds', toggle(form.targetCircleIds, c.id))}
              >
                {on ? <Check className="rm-chip-check" /> : null}
                {c.name}
              </View>
            );
          })}
        </View>
      </View>
      {error ? (
        <View className="ct-error" data-testid="cp-error">
          {error}
        </View>
      ) : null}
      <View className="ct-actions">
        <Button type="primary" block loading={busy} disabled={busy} onClick={() => void submit()} data-testid="cp-submit">
          发起专题
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(LaunchCampaignPage);
