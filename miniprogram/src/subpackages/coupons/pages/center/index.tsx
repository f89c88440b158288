import type { BatchView } from '@shared/schemas/coupons';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { couponsApi } from '../../../../services/coupons.api';
import { BatchCard } from '../../components/coupon-card';
import { useGrab } from '../../use-grab';
import '../../coupons.scss';

const TABS: ReadonlyArray<['merchant' | 'government' | undefined, string]> = [
  [undefined, '全部'],
  ['government', '政府消费券'],
  ['merchant', '商家券'],
];

/** 领券中心: open and upcoming batches with live stock; grab or sign up for the lottery. */
export default function CouponCentrePage() {
  const [issuer, setIssuer] = useState<'merchant' | 'government' | undefined>();
  const list = usePagedList<BatchView>(async () => ({ items: (await couponsApi.batches({ issuer })).items, nextCursor: null }), [issuer]);
  const grab = useGrab(list.reload);
  return (
    <View data-testid="cp-centre">
      <View className="cp-tabs">
        {TABS.map(([value, label]) => (
          <View key={label} className={`cp-tab ${issuer === value ? 'cp-tab--on' : ''}`} onClick={() => setIssuer(value)}>
            {label}
          </View>
        ))}
      </View>
      <PagedList
        testId="cp-centre-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="暂无可领的券"
        renderItem={(b) => <BatchCard key={b.id} batch={b} busy={grab.busy === b.id} onAction={() => void grab.act(b)} />}
      />
    </View>
  );
}
