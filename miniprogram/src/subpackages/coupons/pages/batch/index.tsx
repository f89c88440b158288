import type { BatchView } from '@shared/schemas/coupons';
import { View } from '@tarojs/components';
import { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { ErrorState, LoadingState } from '../../../../components/ui';
import { couponsApi } from '../../../../services/coupons.api';
import { sharePath } from '../../../../utils/deep-link';
import { BatchCard } from '../../components/coupon-card';
import { useGrab } from '../../use-grab';
import '../../coupons.scss';

/** One batch (shared cards and mini-program codes open here): grab it, or see the lottery's recorded draw. */
export default function BatchPage() {
  const [id, setId] = useState('');
  const [batch, setBatch] = useState<BatchView | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async (batchId: string) => {
    try {
      setBatch((await couponsApi.batch(batchId)).batch);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    const batchId = params.id ?? '';
    setId(batchId);
    void load(batchId);
  });
  const grab = useGrab(() => void load(id));
  useShareAppMessage(() => ({ title: batch?.title ?? '领券', path: sharePath('cb', id) }));
  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!batch) return <LoadingState />;
  return (
    <View data-testid="cp-batch-page">
      <BatchCard batch={batch} busy={grab.busy === batch.id} onAction={() => void grab.act(batch)} />
      {batch.description ? <View className="cp-section">{batch.description}</View> : null}
      <View className="cp-section">
        {batch.validity.type === 'fixed' ? `有效期至 ${batch.validity.until.slice(0, 10)}` : `领取后 ${batch.validity.days} 天内有效`} ·{' '}
        {batch.issuer.type === 'government' ? `政府消费券，${batch.merchantIds.length} 家商户可用` : '本店可用'}
      </View>
    </View>
  );
}
