import type { Redemption } from '@shared/schemas/points';
import { Image, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { REDEMPTION_STATUS_LABELS, pointsApi, shanghaiTime } from '../../../../services/points.api';
import '../../points.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** 我的兑换: each redemption; tap a pending one to show its code as a QR to the counter staff. */
function MyRedemptionsPage() {
  const list = usePagedList<Redemption>((cursor) => pointsApi.redemptions(cursor));
  const [open, setOpen] = useState<{ id: string; code: string; dataUrl: string } | null>(null);
  useDidShow(() => list.reload());

  const toggle = async (r: Redemption) => {
    if (r.status !== 'pending') return;
    if (open?.id === r.id) return setOpen(null);
    const qr = await pointsApi.qr(r.id);
    setOpen({ id: r.id, code: qr.code, dataUrl: qr.qrDataUrl });
  };
  const cancel = async (r: Redemption) => {
    const ok = await Taro.showModal({ title: '取消兑换', content: `取消后 ${r.price} 积分将退回，确定取消？` });
    if (!ok.confirm) return;
    try {
      await pointsApi.cancel(r.id);
      void Taro.showToast({ title: '已取消，积分已退回', icon: 'none' });
      void list.reload();
    } catch (err) {
      void Taro.showToast({ title: err instanceof Error ? err.message : '取消失败', icon: 'none' });
    }
  };

  return (
    <View data-testid="pt-redemptions">
      <PagedList
        testId="pt-redemption-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="还没有兑换记录"
        renderItem={(r) => (
          <View key={r.id} className="pt-card" data-testid="pt-redemption">
            <View onClick={() => void toggle(r)}>
              <View className="pt-card__title">{r.goodsName}</View>
              <View className="pt-card__meta">
                {r.price} 积分 · {REDEMPTION_STATUS_LABELS[r.status]} · {shanghaiTime(r.createdAt)}
              </View>
              {r.status === 'pending' && r.deliveryMode === 'pickup' ? <View className="pt-card__meta">点击出示兑换码</View> : null}
            </View>
            {open?.id === r.id ? (
              <View className="pt-qr" data-testid="pt-qr">
                <Image className="pt-qr__image" src={open.dataUrl} />
                <View className="pt-qr__code">{open.code}</View>
              </View>
            ) : null}
            {r.status === 'pending' ? (
              <View className="pt-card__meta" onClick={() => void cancel(r)}>
                取消兑换
              </View>
            ) : null}
          </View>
        )}
      />
    </View>
  );
}

export default withCareMode(MyRedemptionsPage);
