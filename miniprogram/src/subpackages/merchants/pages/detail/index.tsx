import type { BatchView } from '@shared/schemas/coupons';
import type { MerchantView, PromotionView } from '@shared/schemas/merchants';
import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { EmptyState, ErrorState, IconLine, LoadingState, MoreButton } from '../../../../components/ui';
import { couponsApi, merchantsApi, type Page } from '../../../../services/coupons.api';
import { sharePath } from '../../../../utils/deep-link';
import { BatchCard } from '../../../coupons/components/coupon-card';
import { useGrab } from '../../../coupons/use-grab';
import '../../../coupons/coupons.scss';
import '../../merchants.scss';
import { Location, Phone } from '@nutui/icons-react-taro';
import { withCareMode } from '../../../../stores/care-mode';

const EMPTY = { items: [], nextCursor: null };

/** A merchant's page: its photos (swipe, tap to enlarge), profile, its coupons (grab here) and published promotions. */
function MerchantDetailPage() {
  const [id, setId] = useState('');
  const [merchant, setMerchant] = useState<MerchantView | null>(null);
  const [promotions, setPromotions] = useState<Page<PromotionView>>(EMPTY);
  const [batches, setBatches] = useState<Page<BatchView>>(EMPTY);
  const [failed, setFailed] = useState(false);
  const [shown, setShown] = useState(0);
  const load = useCallback(async (merchantId: string) => {
    try {
      const [m, p, b] = await Promise.all([
        merchantsApi.get(merchantId),
        merchantsApi.promotions(merchantId),
        couponsApi.batches({ merchantId }),
      ]);
      setMerchant(m.merchant);
      setPromotions(p);
      setBatches(b);
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
  const preview = (current: string) => void Taro.previewImage({ current, urls: merchant.photos }).catch(() => undefined);
  return (
    <View className="sh-page" data-testid="mc-detail">
      {merchant.photos.length > 0 ? (
        <View className="sh-gallery">
          <Swiper className="sh-photos" circular onChange={(e) => setShown(e.detail.current)}>
            {merchant.photos.map((url) => (
              <SwiperItem key={url}>
                <Image className="sh-photos__img" src={url} mode="aspectFill" data-testid="mc-detail-photo" onClick={() => preview(url)} />
              </SwiperItem>
            ))}
          </Swiper>
          {merchant.photos.length > 1 ? (
            <View className="sh-count">
              {shown + 1}/{merchant.photos.length}
            </View>
          ) : null}
        </View>
      ) : null}
      <View className="sh-head">
        <View className="sh-head__name">{merchant.name}</View>
        <View className="sh-head__meta">
          <Text className="rm-tag">{merchant.category}</Text>
          营业时间 {merchant.hours}
        </View>
        <View
          className="sh-head__line"
          onClick={() =>
            void Taro.openLocation({
              latitude: merchant.location.lat,
              longitude: merchant.location.lng,
              name: merchant.name,
              address: merchant.address,
            }).catch(() => undefined)
          }
        >
          <IconLine icon={<Location />}>{merchant.address}</IconLine>
        </View>
        <View className="sh-head__line" onClick={() => void Taro.makePhoneCall({ phoneNumber: merchant.phone }).catch(() => undefined)}>
          <IconLine icon={<Phone />}>{merchant.phone}（点击拨打）</IconLine>
        </View>
        {merchant.intro ? <View className="sh-head__intro">{merchant.intro}</View> : null}
      </View>
      {batches.items.length > 0 ? <View className="sh-title">本店优惠券</View> : null}
      {batches.items.map((b) => (
        <BatchCard key={b.id} batch={b} busy={grab.busy === b.id} onAction={() => void grab.act(b)} />
      ))}
      <MoreButton
        page={batches}
        fetch={(cursor) => couponsApi.batches({ merchantId: id, cursor })}
        onPage={setBatches}
        label="更多优惠券"
        testId="mc-more-batches"
      />
      <View className="sh-title">店铺活动</View>
      {promotions.items.length === 0 ? <EmptyState inline title="这家店暂时没有活动" /> : null}
      {promotions.items.map((p) => (
        <View key={p.id} className="sh-promo" data-testid="mc-promotion">
          <View className="sh-promo__title">
            <Text className="rm-tag">{p.kind}</Text>
            {p.title}
          </View>
          <View className="sh-promo__body">{p.body}</View>
          {p.photos.length > 0 ? (
            <View className="sh-promo__photos">
              {p.photos.slice(0, 3).map((url) => (
                <Image
                  key={url}
                  className="sh-promo__photo"
                  src={url}
                  mode="aspectFill"
                  onClick={() => void Taro.previewImage({ current: url, urls: p.photos }).catch(() => undefined)}
                />
              ))}
            </View>
          ) : null}
        </View>
      ))}
      <MoreButton
        page={promotions}
        fetch={(cursor) => merchantsApi.promotions(id, cursor)}
        onPage={setPromotions}
        label="更多活动"
        testId="mc-more-promotions"
      />
    </View>
  );
}

export default withCareMode(MerchantDetailPage);
