import type { BatchView } from '@shared/schemas/coupons';
import type { MerchantView } from '@shared/schemas/merchants';
import { Input, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { Chips } from '../../../../components/form/fields';
import { Button, EmptyState } from '../../../../components/ui';
import { useFormSubmit } from '../../../../hooks/use-form-submit';
import { useSession } from '../../../../hooks/use-session';
import { couponValueText, merchantsApi, shanghaiTime } from '../../../../services/coupons.api';
import { hasRole } from '../../../../utils/roles';
import { BatchFields } from '../../../merchant/components/batch-fields';
import { buildBatchBody, emptyBatchForm, type BatchForm } from '../../../merchant/form';
import { merchantDeskApi } from '../../../merchant/merchant.api';
import '../../../merchant/merchant.scss';
import { withCareMode } from '../../../../stores/care-mode';

const MODE_OPTIONS = [
  ['grab', '先到先得'],
  ['lottery', '抽签'],
] as const;

/**
 * 发放政府消费券 (admins): the coupon itself (the shop form's fields), the participating shops, and the
 * release — 先到先得 (a grab through the gate) or 抽签 (sign up during the window, the admin draws after it).
 * Checked with the API's schema and rules before sending.
 */
function IssueGovernmentBatchPage() {
  const { user } = useSession();
  const [form, setForm] = useState<BatchForm>(() => ({ ...emptyBatchForm(new Date()), title: '', totalStock: '1000' }));
  const [mode, setMode] = useState<'grab' | 'lottery'>('grab');
  const [shops, setShops] = useState<MerchantView[] | null>(null);
  const [keyword, setKeyword] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const { error, busy, submit: send } = useFormSubmit('发放失败，请稍后再试');
  const [created, setCreated] = useState<BatchView | null>(null);

  useEffect(() => {
    merchantsApi
      .directory({ limit: 100 })
      .then(({ items }) => setShops(items))
      .catch(() => setShops([]));
  }, []);
  const shown = useMemo(() => {
    const k = keyword.trim();
    return (shops ?? []).filter((s) => !k || s.name.includes(k) || s.category.includes(k) || s.address.includes(k));
  }, [shops, keyword]);
  const toggle = (id: string) => setPicked((all) => (all.includes(id) ? all.filter((x) => x !== id) : [...all, id]));

  const checked = useMemo(() => buildBatchBody(form, { type: 'government', merchantIds: picked }, mode), [form, picked, mode]);

  const submit = async () => {
    // The same POST /api/v1/coupon-batches as the shop's 发券; the server decides by role and issuer.
    const answer = await send(checked, merchantDeskApi.createBatch);
    if (!answer) return;
    setCreated(answer.batch);
    void Taro.showToast({ title: '已发放', icon: 'success' });
  };

  if (!hasRole(user, 'admin')) return <EmptyState title="仅管理员可以发放政府消费券" />;
  if (created)
    return (
      <View data-testid="cp-issue-done">
        <View className="mc-done">
          <View className="mc-section__title">{created.mode === 'lottery' ? '已发布，等待报名' : '已发布'}</View>
          <View className="mc-preview">{couponValueText(created)}</View>
          <View>{created.title}</View>
          <View className="mc-hint">
            共 {created.totalStock} 张 · {created.merchantIds.length} 家商户可用 · {created.mode === 'lottery' ? '报名' : '领取'}{' '}
            {shanghaiTime(created.claimStartsAt)} 至 {shanghaiTime(created.claimEndsAt)}
            {created.mode === 'lottery' ? '，截止后在“政府消费券”页开奖' : ''}
          </View>
        </View>
        <View className="mc-actions">
          <Button block type="primary" data-testid="cp-issue-back" onClick={() => void Taro.navigateBack()}>
            返回
          </Button>
        </View>
      </View>
    );

  return (
    <View className="mc-form" data-testid="cp-issue-form">
      <View className="mc-section">
        <View className="mc-section__title">发放方式</View>
        <Chips prefix="mc" options={MODE_OPTIONS} value={mode} onChange={setMode} testId="cp-issue-mode" />
        <View className="mc-hint">
          {mode === 'lottery'
            ? '抽签：市民在报名时间内报名，截止后由管理员开奖，中签者每人一张，随机种子与名单公开可复核。'
            : '先到先得：领取时间内按先后领完为止，每人限领张数以下方设置为准。'}
        </View>
      </View>
      <BatchFields
        form={form}
        onChange={setForm}
        preview={checked.ok ? couponValueText(checked.body) : null}
        lottery={mode === 'lottery'}
        titlePlaceholder="如：2026 冬季家电消费券"
      />
      <View className="mc-section" data-testid="cp-issue-shops">
        <View className="mc-section__title">参与商户（已选 {picked.length} 家）</View>
        <Input
          className="mc-input"
          data-testid="cp-issue-shop-search"
          placeholder="按店名、类别或地址筛选"
          value={keyword}
          onInput={(e) => setKeyword(e.detail.value)}
        />
        <View className="mc-row">
          <View className="mc-grow mc-hint">{shops === null ? '正在加载商户…' : `共 ${shown.length} 家`}</View>
          <View
            className="mc-chip"
            data-testid="cp-issue-shop-all"
            onClick={() => setPicked((all) => [...new Set([...all, ...shown.map((s) => s.id)])])}
          >
            全选
          </View>
          <View className="mc-chip" onClick={() => setPicked([])}>
            清空
          </View>
        </View>
        <View className="mc-chips">
          {shown.map((s) => (
            <View
              key={s.id}
              className={`mc-chip ${picked.includes(s.id) ? 'mc-chip--on' : ''}`}
              data-testid="cp-issue-shop"
              onClick={() => toggle(s.id)}
            >
              {s.name}
            </View>
          ))}
        </View>
      </View>
      {error ? (
        <View className="mc-error" data-testid="cp-issue-error">
          {error}
        </View>
      ) : null}
      <View className="mc-actions">
        <Button block type="primary" loading={busy} disabled={busy} data-testid="cp-issue-submit" onClick={() => void submit()}>
          {mode === 'lottery' ? '发布并开放报名' : '发布消费券'}
        </Button>
      </View>
    </View>
  );
}

export default withCareMode(IssueGovernmentBatchPage);
