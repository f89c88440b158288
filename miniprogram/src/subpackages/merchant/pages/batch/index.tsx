import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import { COUPON_KIND_LABELS, COUPON_KINDS, type BatchView, type CouponKind } from '@shared/schemas/coupons';
import { Input, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import { EmptyState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { couponValueText, shanghaiTime } from '../../../../services/coupons.api';
import { ownsMerchant } from '../../../../utils/roles';
import { Chips, DateTimeField } from '../../../../components/form/fields';
import { addDays, buildBatchBody, emptyBatchForm, type BatchForm } from '../../form';
import { merchantDeskApi } from '../../merchant.api';
import '../../merchant.scss';

const KIND_OPTIONS = COUPON_KINDS.map((k) => [k, COUPON_KIND_LABELS[k]] as const);
const VALIDITY_OPTIONS = [
  ['relative', '领取后 N 天内有效'],
  ['fixed', '固定日期'],
] as const;

/** 发券: an owner creates a coupon batch for the shop (checked with the API's own schema before sending). */
export default function CreateBatchPage() {
  const merchantId = useRouter().params.merchantId ?? '';
  const { user } = useSession();
  const [form, setForm] = useState<BatchForm>(() => emptyBatchForm(new Date()));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<BatchView | null>(null);
  const set = <K extends keyof BatchForm>(key: K, value: BatchForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const checked = useMemo(() => buildBatchBody(form, merchantId), [form, merchantId]);
  const preview = checked.ok ? couponValueText(checked.body) : null;

  const submit = async () => {
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { batch } = await merchantDeskApi.createBatch(checked.body);
      setCreated(batch);
      void Taro.showToast({ title: '券已发布', icon: 'success' });
    } catch (err) {
      setError(isApiError(err) ? err.message : '发布失败，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  if (!merchantId) return <View className="mc-error">缺少商户信息，请从商户工作台进入</View>;
  // The API refuses anyone else; say so before they fill in the form.
  if (!ownsMerchant(user, merchantId))
    return <EmptyState title="仅本店负责人可以发券" description="店员可以扫码核销，发券请联系店铺负责人" />;
  if (created)
    return (
      <View data-testid="mc-batch-done">
        <View className="mc-done">
          <View className="mc-section__title">券已发布</View>
          <View className="mc-preview">{couponValueText(created)}</View>
          <View>{created.title}</View>
          <View className="mc-hint">
            共 {created.totalStock} 张 · 每人限领 {created.perUserLimit} 张 · {shanghaiTime(created.claimStartsAt)} 至{' '}
            {shanghaiTime(created.claimEndsAt)} 可领
          </View>
        </View>
        <View className="mc-actions">
          <Button block type="primary" data-testid="mc-batch-back" onClick={() => void Taro.navigateBack()}>
            返回工作台
          </Button>
        </View>
      </View>
    );

  const kind = form.kind;
  return (
    <View className="mc-form" data-testid="mc-batch-form">
      <View className="mc-section">
        <View className="mc-section__title">券的内容</View>
        <View className="mc-label">标题</View>
        <Input
          className="mc-input"
          data-testid="mc-batch-title"
          maxlength={40}
          placeholder="如：开业酬宾 满 50 减 10"
          value={form.title}
          onInput={(e) => set('title', e.detail.value)}
        />
        <View className="mc-label">类型</View>
        <Chips<CouponKind> prefix="mc" options={KIND_OPTIONS} value={kind} onChange={(v) => set('kind', v)} testId="mc-batch-kind" />
        <View className="mc-label">{kind === 'discount' ? '折扣（折）' : '减免金额（元）'}</View>
        <Input
          className="mc-input"
          data-testid="mc-batch-value"
          type="digit"
          placeholder={kind === 'discount' ? '如 8.8 表示 8.8 折' : '如 10'}
          value={form.value}
          onInput={(e) => set('value', e.detail.value)}
        />
        <View className="mc-label">{kind === 'spend_x_save_y' ? '满多少元可用（必填）' : '使用门槛（元，可不填）'}</View>
        <Input
          className="mc-input"
          data-testid="mc-batch-threshold"
          type="digit"
          placeholder={kind === 'spend_x_save_y' ? '如 50' : '不设门槛留空'}
          value={form.threshold}
          onInput={(e) => set('threshold', e.detail.value)}
        />
        <View className="mc-label">使用说明（可选）</View>
        <Textarea
          className="mc-textarea"
          data-testid="mc-batch-description"
          maxlength={500}
          placeholder="适用商品、不可与其他优惠同享等"
          value={form.description}
          onInput={(e) => set('description', e.detail.value)}
        />
        {preview ? (
          <View className="mc-preview" data-testid="mc-batch-preview">
            {preview}
          </View>
        ) : null}
      </View>

      <View className="mc-section">
        <View className="mc-section__title">数量</View>
        <View className="mc-row">
          <View className="mc-grow">
            <View className="mc-label">发放总量（张）</View>
            <Input
              className="mc-input"
              data-testid="mc-batch-stock"
              type="number"
              value={form.totalStock}
              onInput={(e) => set('totalStock', e.detail.value)}
            />
          </View>
          <View className="mc-grow">
            <View className="mc-label">每人限领（张）</View>
            <Input
              className="mc-input"
              data-testid="mc-batch-limit"
              type="number"
              value={form.perUserLimit}
              onInput={(e) => set('perUserLimit', e.detail.value)}
            />
          </View>
        </View>
      </View>

      <View className="mc-section">
        <View className="mc-section__title">领取时间</View>
        <DateTimeField
          prefix="mc"
          label="开始"
          value={form.claimStarts}
          onChange={(v) => set('claimStarts', v)}
          testId="mc-batch-claim-start"
        />
        <DateTimeField prefix="mc" label="结束" value={form.claimEnds} onChange={(v) => set('claimEnds', v)} testId="mc-batch-claim-end" />
      </View>

      <View className="mc-section">
        <View className="mc-section__title">有效期</View>
        <Chips
          prefix="mc"
          options={VALIDITY_OPTIONS}
          value={form.validity}
          onChange={(v) => {
            set('validity', v);
            if (v === 'fixed') setForm((f) => ({ ...f, validity: v, validFrom: f.claimStarts, validUntil: addDays(f.claimEnds, 30) }));
          }}
          testId="mc-batch-validity"
        />
        {form.validity === 'relative' ? (
          <View>
            <View className="mc-label">领取后有效天数</View>
            <Input
              className="mc-input"
              data-testid="mc-batch-days"
              type="number"
              value={form.validDays}
              onInput={(e) => set('validDays', e.detail.value)}
            />
          </View>
        ) : (
          <View>
            <DateTimeField
              prefix="mc"
              label="生效"
              value={form.validFrom}
              onChange={(v) => set('validFrom', v)}
              testId="mc-batch-valid-from"
            />
            <DateTimeField
              prefix="mc"
              label="失效"
              value={form.validUntil}
              onChange={(v) => set('validUntil', v)}
              testId="mc-batch-valid-until"
            />
          </View>
        )}
        <View className="mc-hint">时间均为北京时间。券发布后不能修改，请仔细核对。</View>
      </View>

      {error ? (
        <View className="mc-error" data-testid="mc-batch-error">
          {error}
        </View>
      ) : null}
      <View className="mc-actions">
        <Button block type="primary" loading={busy} disabled={busy} data-testid="mc-batch-submit" onClick={() => void submit()}>
          发布优惠券
        </Button>
      </View>
    </View>
  );
}
