import type { Goods } from '@shared/schemas/points';

import { Image, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { pointsApi } from '../../../../services/points.api';
import '../../points.scss';
import { Button, LoadingState } from '../../../../components/ui';
import { withCareMode } from '../../../../stores/care-mode';

/** Goods detail and redemption with a confirmation step; afterwards 我的兑换 shows the code. */
function GoodsPage() {
  const { params } = useRouter();
  const [goods, setGoods] = useState<Goods | null>(null);
  const [busy, setBusy] = useState(false);
  const [balance, setBalance] = useState<number | null>(null);

  useEffect(() => {
    if (params.id)
      void pointsApi.goodsDetail(params.id).then(
        (r) => setGoods(r.goods),
        () => setGoods(null),
      );
    void pointsApi.balance().then(
      (r) => setBalance(r.balance),
      () => setBalance(null),
    );
  }, [params.id]);

  const redeem = async () => {
    if (!goods || busy) return;
    const after = balance === null ? '' : `，兑换后剩 ${balance - goods.price} 分`;
    const confirm = await Taro.showModal({ title: '确认兑换', content: `用 ${goods.price} 积分兑换「${goods.name}」${after}。` });
    if (!confirm.confirm) return;
    let shipping: { name: string; phone: string; address: string } | undefined;
    if (goods.deliveryMode === 'ship') {
      const address = await Taro.chooseAddress().catch(() => null);
      if (!address) return;
      shipping = {
        name: address.userName,
        phone: address.telNumber,
        address: `${address.provinceName}${address.cityName}${address.countyName}${address.detailInfo}`,
      };
    }
    setBusy(true);
    try {
      await pointsApi.redeem(goods.id, shipping);
      void Taro.showToast({ title: '兑换成功', icon: 'success' });
      void Taro.redirectTo({ url: '/subpackages/points/pages/redemptions/index' });
    } catch (err) {
      void Taro.showToast({ title: err instanceof Error ? err.message : '兑换失败', icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  if (!goods) return <LoadingState rows={2} />;
  // Offered only when it can succeed: with too few points the button says so instead of asking to confirm.
  const short = balance !== null && balance < goods.price ? goods.price - balance : 0;
  return (
    <View data-testid="pt-goods-detail">
      {goods.images[0] ? <Image src={goods.images[0]} mode="widthFix" style={{ width: '100%' }} /> : null}
      <View className="pt-card">
        <View className="pt-card__title">{goods.name}</View>
        <View className="pt-card__price">{goods.price} 积分</View>
        <View className="pt-card__meta">
          {goods.deliveryMode === 'pickup' ? '兑换后凭兑换码到柜台领取' : '兑换后邮寄'}
          {goods.perUserLimit ? ` · 每人限兑 ${goods.perUserLimit} 件` : ''} · 剩余 {goods.stock} 件
        </View>
        <View className="pt-card__meta">{goods.description}</View>
      </View>
      <View className="pt-button">
        <Button
          type="primary"
          block
          disabled={!goods.active || goods.stock <= 0 || short > 0 || busy}
          onClick={() => void redeem()}
          data-testid="pt-redeem"
        >
          {goods.stock <= 0 ? '已兑完' : !goods.active ? '不在兑换时间' : short > 0 ? `积分不足（还差 ${short} 分）` : '立即兑换'}
        </Button>
        {balance !== null ? (
          <View className="pt-card__meta" data-testid="pt-goods-balance">
            我的积分：{balance} 分
          </View>
        ) : null}
      </View>
    </View>
  );
}

export default withCareMode(GoodsPage);
