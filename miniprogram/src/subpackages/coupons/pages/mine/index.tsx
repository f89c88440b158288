import type { CouponStatus, CouponView } from '@shared/schemas/coupons';
import { Image, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { couponsApi, shanghaiTime } from '../../../../services/coupons.api';
import { CouponValue } from '../../components/coupon-card';
import '../../coupons.scss';
import { withCareMode } from '../../../../stores/care-mode';

const TABS: ReadonlyArray<[CouponStatus, string]> = [
  ['unused', '未使用'],
  ['used', '已使用'],
  ['expired', '已过期'],
];

/** 我的券: each coupon with its expiry; tap an unused one to show its QR code to the clerk. */
function MyCouponsPage() {
  const [status, setStatus] = useState<CouponStatus>('unused');
  const [open, setOpen] = useState<{ id: string; dataUrl: string } | null>(null);
  const list = usePagedList<CouponView>((cursor) => couponsApi.mine(status, cursor), [status]);
  useDidShow(() => list.reload());

  const toggle = async (c: CouponView) => {
    if (c.status !== 'unused') return;
    if (open?.id === c.id) return setOpen(null);
    const qr = await couponsApi.qrCode(c.id);
    setOpen({ id: c.id, dataUrl: qr.dataUrl });
  };

  return (
    <View data-testid="cp-mine">
      <View className="cp-tabs">
        {TABS.map(([value, label]) => (
          <View key={value} className={`cp-tab ${status === value ? 'cp-tab--on' : ''}`} onClick={() => setStatus(value)}>
            {label}
          </View>
        ))}
      </View>
      <PagedList
        testId="cp-mine-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="这里还没有券"
        renderItem={(c) => (
          <View key={c.id}>
            <View className="cp-card cp-card--ticket" data-testid="cp-coupon" onClick={() => void toggle(c)}>
              <CouponValue coupon={c} />
              <View className="cp-card__body">
                <View className="cp-card__title cp-card__title--one-line">{c.title}</View>
                <View className="cp-card__meta">
                  {c.status === 'used' && c.redeemedAt
                    ? `已于 ${shanghaiTime(c.redeemedAt)} 使用`
                    : `有效期至 ${shanghaiTime(c.validUntil)}`}
                </View>
                {c.status === 'unused' ? <View className="cp-card__meta">点击出示券码</View> : null}
              </View>
            </View>
            {open?.id === c.id ? (
              <View className="cp-qr" data-testid="cp-qr">
                <Image className="cp-qr__image" src={open.dataUrl} />
                <View className="cp-qr__hint">请向店员出示此码，核销后即失效</View>
              </View>
            ) : null}
          </View>
        )}
      />
    </View>
  );
}

export default withCareMode(MyCouponsPage);
