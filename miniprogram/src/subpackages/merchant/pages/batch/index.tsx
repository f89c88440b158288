import type { BatchView } from '@shared/schemas/coupons';
import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import { Button, EmptyState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { useFormSubmit } from '../../../../hooks/use-form-submit';
import { couponValueText, shanghaiTime } from '../../../../services/coupons.api';
import { ownsMerchant } from '../../../../utils/roles';
import { BatchFields } from '../../components/batch-fields';
import { buildBatchBody, emptyBatchForm, type BatchForm } from '../../form';
import { merchantDeskApi } from '../../merchant.api';
import '../../merchant.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** 发券: an owner creates a coupon batch for the shop (checked with the API's own schema before sending). */
function CreateBatchPage() {
  const merchantId = useRouter().params.merchantId ?? '';
  const { user } = useSession();
  const [form, setForm] = useState<BatchForm>(() => emptyBatchForm(new Date()));
  const { error, busy, submit: send } = useFormSubmit('发布失败，请稍后再试');
  const [created, setCreated] = useState<BatchView | null>(null);

  const checked = useMemo(() => buildBatchBody(form, merchantId), [form, merchantId]);

  const submit = async () => {
    const answer = await send(checked, merchantDeskApi.createBatch);
    if (!answer) return;
    setCreated(answer.batch);
    void Taro.showToast({ title: '券已发布', icon: 'success' });
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

  return (
    <View className="mc-form" data-testid="mc-batch-form">
      <BatchFields form={form} onChange={setForm} preview={checked.ok ? couponValueText(checked.body) : null} />

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

export default withCareMode(CreateBatchPage);
