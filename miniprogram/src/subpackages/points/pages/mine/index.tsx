import type { BalanceResponse, PointsEntry } from '@shared/schemas/points';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { pointsApi, shanghaiTime } from '../../../../services/points.api';
import { go } from '../../../../utils/navigate';
import '../../points.scss';
import { formatDateCn } from '../../../../utils/format';
import { withCareMode } from '../../../../stores/care-mode';

/** 我的积分: balance, what expires within 7 days, and every entry with its reason (infinite scroll). */
function MyPointsPage() {
  const [balance, setBalance] = useState<BalanceResponse | null>(null);
  const ledger = usePagedList<PointsEntry>((cursor) => pointsApi.ledger(cursor));
  useDidShow(() => {
    void pointsApi.balance().then(setBalance, () => setBalance(null));
  });

  return (
    <View data-testid="pt-mine">
      <View className="pt-head">
        <View className="pt-head__balance" data-testid="pt-balance">
          {balance ? balance.balance : '—'}
        </View>
        <View className="pt-head__meta">当前积分</View>
        {balance && balance.expiringSoon.amount > 0 ? (
          <View className="pt-head__meta" data-testid="pt-expiring">
            {balance.expiringSoon.amount} 分将于 {formatDateCn(balance.expiringSoon.firstAt ?? '')}起陆续过期，请尽快使用
          </View>
        ) : null}
        <View className="pt-head__links">
          <View onClick={() => go('/subpackages/points/pages/mall/index')}>积分商城</View>
          <View onClick={() => go('/subpackages/points/pages/redemptions/index')}>我的兑换</View>
        </View>
      </View>
      <PagedList
        testId="pt-ledger"
        state={ledger.state}
        onRetry={ledger.reload}
        emptyTitle="还没有积分记录"
        renderItem={(e) => (
          <View key={e.id} className="pt-row" data-testid="pt-entry">
            <View className="pt-row__body">
              <View className="pt-row__title">{e.reason}</View>
              <View className="pt-row__meta">
                {e.sourceLabel} · {shanghaiTime(e.createdAt)}
                {e.expiresAt && e.remaining ? ` · 其中 ${e.remaining} 分将于 ${formatDateCn(e.expiresAt)}到期` : ''}
              </View>
            </View>
            <View className={`pt-row__amount ${e.amount > 0 ? 'pt-row__amount--plus' : ''}`}>
              {e.amount > 0 ? `+${e.amount}` : e.amount}
            </View>
          </View>
        )}
      />
    </View>
  );
}

export default withCareMode(MyPointsPage);
