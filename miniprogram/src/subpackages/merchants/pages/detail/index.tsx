import type { BatchView } from '@shared/schemas/coupons';
import type { MerchantView, PromotionView } from '@shared/schemas/merchants';
import { Image, View } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { ErrorState, LoadingState, IconLine } from '../../../../components/ui';
import { couponsApi, merchantsApi } from '../../../../services/coupons.api';
import { sharePath } from '../../../../utils/deep-link';
import { BatchCard } from '../../../coupons/components/coupon-card';
import { useGrab } from '../../../coupons/use-grab';
import '../../../coupons/coupons.scss';
import { Location, Phone } from '@nutui/icons-react-taro';

/** A merchant's page: profile, its published promotions and its coupons (grab here). */
export default function MerchantDetailPage() {
  const [id, setId] = useState('');
  const [merchant, setMerchant] = useState<MerchantView | null>(null);
  const [promotions, setPromotions] = useState<PromotionView[]>([]);
  const [batches, setBatches] = useState<BatchView[]>([]);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async (merchantId: string) => {
    try {
      const [m, p, b] = await Promise.all([
        merchantsApi.get(merchantId),
        merchantsApi.promotions(merchantId),
        couponsApi.batches({ merchantId }),
      ]);
      setMerchant(m.merchant);
      setPromotions(p.items);
      setBatches(b.items);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });
  const grab = useGrab(() => void load(id));
  useShareAppMessage(() => ({ title: merchant?.name ?? '企业之家', path: sharePath('m', id) }));

  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!merchant) return <LoadingState />;
  return (
    <View data-testid="mc-detail">
      {merchant.photos[0] ? <Image src={merchant.photos[0]} mode="aspectFill" style={{ width: '100%', height: '360px' }} /> : null}
      <View className="cp-section">
        <View className="cp-card__title">{merchant.name}</View>
        <View className="cp-card__meta">
          {merchant.category} · {merchant.hours}
        </View>
        <View
          className="cp-card__meta"
          onClick={() =>
            void Taro.openLocation({
              latitude: merchant.location.lat,
              longitude: merchant.location.lng,
              name: merchant.name,
              address: merchant.address,
            })
          }
        >
          <IconLine icon={<Location />}>{merchant.address}</IconLine>
        </View>
        <View className="cp-card__meta" onClick={() => void Taro.makePhoneCall({ phoneNumber: merchant.phone })}>
          <IconLine icon={<Phone />}>{merchant.phone}</IconLine>
        </View>
        {merchant.intro ? <View className="cp-card__meta">{merchant.intro}</View> : null}
      </View>
      {batches.map((b) => (
        <BatchCard key={b.id} batch={b} busy={grab.busy === b.id} onAction={() => void grab.act(b)} />
      ))}
      {promotions.map((p) => (
        <View key={p.id} className="cp-section" data-testid="mc-promotion">
          <View className="cp-card__title">
            【{p.kind}】{p.title}
          </View>
          <View className="cp-card__meta">{p.body}</View>
        </View>
      ))}
    </View>
  );
}
