import type { BatchView } from '@shared/schemas/coupons';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { couponsApi, shanghaiTime } from '../../../../services/coupons.api';
import { go } from '../../../../utils/navigate';
import { BatchCard } from '../../components/coupon-card';
import { governmentCouponsApi } from '../../government.api';
import { recentLotteries } from '../../lottery';
import { isSignedUp, useGrab } from '../../use-grab';
import '../../coupons.scss';
import { withCareMode } from '../../../../stores/care-mode';

const TABS: ReadonlyArray<['merchant' | 'government' | undefined, string]> = [
  [undefined, '全部'],
  ['government', '政府消费券'],
  ['merchant', '商家券'],
];

const openBatch = (b: BatchView) => go(`/subpackages/coupons/pages/batch/index?id=${b.id}`);

/**
 * 领券中心: open and upcoming batches with live stock; grab, or sign up for a lottery (the button then reads
 * 已报名); lotteries drawn in the last 30 days lead to their result. Tap a card for the batch page.
 */
function CouponCentrePage() {
  const [issuer, setIssuer] = useState<'merchant' | 'government' | undefined>();
  const list = usePagedList<BatchView>((cursor) => couponsApi.batches({ issuer, cursor }), [issuer]);
  const [results, setResults] = useState<BatchView[]>([]);
  const loadResults = () =>
    void governmentCouponsApi
      .endedLotteries()
      .then(({ items }) => setResults(recentLotteries(items, new Date())))
      .catch(() => setResults([]));
  useDidShow(loadResults);
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
      {issuer !== 'merchant' && results.length ? (
        <View className="cp-section" data-testid="cp-lottery-results">
          <View className="cp-card__title">抽签结果</View>
          {results.map((b) => (
            <View key={b.id} className="cp-result" data-testid="cp-lottery-result" onClick={() => openBatch(b)}>
              <View className="cp-result__title">{b.title}</View>
              <View className="cp-card__meta">{shanghaiTime(b.claimEndsAt)} 报名截止 · 查看结果</View>
            </View>
          ))}
        </View>
      ) : null}
      <PagedList
        testId="cp-centre-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="暂无可领的券"
        renderItem={(b) => (
          <BatchCard
            key={b.id}
            batch={b}
            busy={grab.busy === b.id}
            signedUp={b.mode === 'lottery' && isSignedUp(b.id)}
            onAction={() => void grab.act(b)}
            onOpen={() => openBatch(b)}
          />
        )}
      />
    </View>
  );
}

export default withCareMode(CouponCentrePage);
