import type { BatchStats } from '@shared/schemas/coupons';
import type { MerchantDetail, PromotionView } from '@shared/schemas/merchants';
import { Image, Input, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { Button, EmptyState, LoadingState, MoreButton } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { couponsApi, merchantsApi, shanghaiTime } from '../../../../services/coupons.api';
import { createRetryKeys, sendWithKey } from '../../../../services/core/retry-keys';
import { go } from '../../../../utils/navigate';
import { ownsMerchant } from '../../../../utils/roles';
import { merchantDeskApi } from '../../merchant.api';
import '../../../coupons/coupons.scss';
import '../../merchant.scss';
import { withCareMode } from '../../../../stores/care-mode';

// One key per scanned code until its answer settles (module scope outlives the page): scanning the same
// code again after a lost answer resends the key, so the server answers 核销成功 again, not 已核销.
const scanKeys = createRetryKeys();

const PROMOTION_STATE: Record<PromotionView['state'], string> = { pending: '待审核', published: '已发布', rejected: '未通过' };

/**
 * 商户工作台 (owners and clerks): pick the shop, scan a coupon to redeem it, per-batch stats, the shop's
 * promotions with their review state (未通过 with the editor's reason); owners also issue coupons and post
 * promotions (the API allows only them).
 */
function MerchantConsolePage() {
  const { user } = useSession();
  const [shops, setShops] = useState<MerchantDetail[] | null>(null);
  const [shopId, setShopId] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [stats, setStats] = useState<BatchStats[]>([]);
  const [promotions, setPromotions] = useState<PromotionView[] | null>(null);
  const [promotionsCursor, setPromotionsCursor] = useState<string | null>(null);

  const loadStats = async (merchantId: string) => {
    void merchantDeskApi
      .ownPromotions(merchantId)
      .then(({ items, nextCursor }) => {
        setPromotions(items);
        setPromotionsCursor(nextCursor);
      })
      .catch(() => setPromotions(null));
    setStats((await couponsApi.merchantStats(merchantId).catch(() => ({ items: [] }))).items);
  };
  useDidShow(() => {
    void merchantsApi.mine().then(({ items }) => {
      const approved = items.filter((m) => m.state === 'approved');
      setShops(approved);
      const first = shopId ?? approved[0]?.id ?? null;
      setShopId(first);
      if (first) void loadStats(first);
    });
  });

  const redeem = async (scanned: string) => {
    if (!shopId || !scanned) return;
    try {
      const merchantId = shopId;
      const { coupon } = await sendWithKey(scanKeys, `${merchantId}|${scanned}`, (_, key) =>
        couponsApi.redeem({ code: scanned, merchantId }, key),
      );
      void Taro.showModal({ title: '核销成功', content: coupon.title, showCancel: false });
      setCode('');
      void loadStats(shopId);
    } catch {
      // Shown by the request wrapper: 已核销 / 已过期 / 不能在本店使用 …
    }
  };
  const scan = async () => {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] }).catch(() => null);
    if (res?.result) await redeem(res.result);
  };

  if (shops === null) return <LoadingState />;
  if (shops.length === 0) return <EmptyState title="还没有可管理的商户" description="入驻审核通过或接受店主邀请后可用" />;
  return (
    <View data-testid="merchant-console">
      <View className="cp-tabs">
        {shops.map((s) => (
          <View
            key={s.id}
            className={`cp-tab ${shopId === s.id ? 'cp-tab--on' : ''}`}
            onClick={() => {
              setShopId(s.id);
              void loadStats(s.id);
            }}
          >
            {s.name}
          </View>
        ))}
      </View>
      {ownsMerchant(user, shopId) ? (
        <View className="cp-section">
          <Button
            type="primary"
            data-testid="merchant-new-batch"
            onClick={() => go(`/subpackages/merchant/pages/batch/index?merchantId=${shopId}`)}
          >
            发券
          </Button>
          <Button
            data-testid="merchant-new-promotion"
            onClick={() => go(`/subpackages/merchant/pages/promotion/index?merchantId=${shopId}`)}
          >
            发布活动（开业/促销/庆典）
          </Button>
        </View>
      ) : null}
      <View className="cp-section">
        <Button type="primary" data-testid="merchant-scan" onClick={() => void scan()}>
          扫码核销
        </Button>
        <Input placeholder="或输入券码" value={code} onInput={(e) => setCode(e.detail.value)} data-testid="merchant-code" />
        <Button size="mini" data-testid="merchant-redeem" onClick={() => void redeem(code.trim())}>
          核销
        </Button>
      </View>
      {stats.map((s) => (
        <View key={s.batchId} className="cp-section" data-testid="merchant-stats">
          <View className="cp-card__title">{s.title}</View>
          <View className="cp-card__meta">
            发放 {s.totalStock} · 已领 {s.claimed} · 已核销 {s.redeemed}
            {s.redeemedHere !== null ? `（本店 ${s.redeemedHere}）` : ''} · 已过期 {s.expired}
          </View>
        </View>
      ))}
      <View className="cp-section" data-testid="merchant-promotions">
        <View className="mc-section__title">本店活动</View>
        {promotions === null ? (
          <View className="cp-card__meta">活动列表暂时无法加载</View>
        ) : promotions.length === 0 ? (
          <View className="cp-card__meta">还没有发布过活动</View>
        ) : (
          promotions.map((p) => (
            <View key={p.id} className="mc-promo" data-testid="merchant-promotion">
              <View className="mc-row">
                <View className="mc-grow cp-card__title">
                  【{p.kind}】{p.title}
                </View>
                <View className={`mc-state mc-state--${p.state}`} data-testid="merchant-promotion-state">
                  {PROMOTION_STATE[p.state]}
                </View>
              </View>
              {p.photos.length ? (
                <View className="mc-row mc-promo__photos">
                  {p.photos.slice(0, 3).map((url) => (
                    <Image key={url} className="mc-promo__photo" src={url} mode="aspectFill" data-testid="merchant-promotion-photo" />
                  ))}
                  {p.photos.length > 3 ? <View className="cp-card__meta">共 {p.photos.length} 张</View> : null}
                </View>
              ) : null}
              <View className="cp-card__meta">
                {shanghaiTime(p.createdAt)} 提交{p.textSafety === 'review' && p.state === 'pending' ? ' · 需人工复核' : ''}
              </View>
              {p.state === 'rejected' && p.reason ? (
                <View className="mc-error" data-testid="merchant-promotion-reason">
                  未通过原因：{p.reason}
                </View>
              ) : null}
            </View>
          ))
        )}
        {promotions && shopId ? (
          <MoreButton
            page={{ items: promotions, nextCursor: promotionsCursor }}
            fetch={(cursor) => merchantDeskApi.ownPromotions(shopId, cursor)}
            onPage={(p) => {
              setPromotions(p.items);
              setPromotionsCursor(p.nextCursor);
            }}
            label="更多活动"
            testId="merchant-promotions-more"
          />
        ) : null}
      </View>
    </View>
  );
}

export default withCareMode(MerchantConsolePage);
