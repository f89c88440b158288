import type { Goods } from '@shared/schemas/points';
import { View } from '@tarojs/components';
import { PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { pointsApi } from '../../../../services/points.api';
import { go } from '../../../../utils/navigate';
import '../../points.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** 积分商城: goods on sale now; tap one for its detail and the redeem button. */
function MallPage() {
  const list = usePagedList<Goods>((cursor) => pointsApi.goods(cursor));
  return (
    <View data-testid="pt-mall">
      <PagedList
        testId="pt-goods-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="暂无可兑换的商品"
        renderItem={(g) => (
          <View
            key={g.id}
            className="pt-card"
            data-testid="pt-goods"
            onClick={() => go(`/subpackages/points/pages/goods/index?id=${g.id}`)}
          >
            <View className="pt-card__title">{g.name}</View>
            <View className="pt-card__price">{g.price} 积分</View>
            <View className="pt-card__meta">
              {g.stock > 0 ? `剩余 ${g.stock} 件` : '已兑完'} · {g.deliveryMode === 'pickup' ? '到柜台领取' : '邮寄'}
            </View>
          </View>
        )}
      />
    </View>
  );
}

export default withCareMode(MallPage);
