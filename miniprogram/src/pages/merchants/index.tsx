import type { MerchantView } from '@shared/schemas/merchants';
import { Input, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { Button, ListItem, PagedList } from '../../components/ui';
import { usePagedList } from '../../hooks/use-paged-list';
import { merchantsApi } from '../../services/coupons.api';
import { go } from '../../utils/navigate';
import './index.scss';

// Kept here rather than imported from @shared (zod would weigh on the main package).
const CATEGORIES = ['餐饮', '零售', '文旅', '家居家电', '汽车', '生活服务', '教育培训', '医疗健康', '其他'] as const;

const distanceText = (m: number | null) => (m === null ? '' : m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`);

/** 商家 tab: 企业之家 directory (category, keyword, nearest first when location is allowed), 领券中心, 我的券. */
export default function MerchantsPage() {
  const [category, setCategory] = useState<string | undefined>();
  const [keyword, setKeyword] = useState('');
  const [q, setQ] = useState<string | undefined>();
  const [here, setHere] = useState<{ lat: number; lng: number } | null>(null);

  useEffect(() => {
    Taro.getLocation({ type: 'gcj02' })
      .then((loc) => setHere({ lat: loc.latitude, lng: loc.longitude }))
      .catch(() => setHere(null));
  }, []);

  const list = usePagedList<MerchantView>(
    async () => ({ items: (await merchantsApi.directory({ category, q, limit: 50, ...(here ?? {}) })).items, nextCursor: null }),
    [category, q, here],
  );

  return (
    <View className="mc-page" data-testid="tab-merchants">
      <View className="mc-actions">
        <Button type="primary" size="mini" data-testid="mc-coupon-centre" onClick={() => go('/subpackages/coupons/pages/center/index')}>
          领券中心
        </Button>
        <Button size="mini" data-testid="mc-my-coupons" onClick={() => go('/subpackages/coupons/pages/mine/index')}>
          我的券
        </Button>
      </View>
      <View className="mc-search">
        <Input
          className="mc-search__input"
          placeholder="搜索店名、地址"
          value={keyword}
          confirmType="search"
          onInput={(e) => setKeyword(e.detail.value)}
          onConfirm={() => setQ(keyword.trim() || undefined)}
        />
      </View>
      <View className="mc-chips">
        {[undefined, ...CATEGORIES].map((c) => (
          <View key={c ?? 'all'} className={`mc-chip ${category === c ? 'mc-chip--on' : ''}`} onClick={() => setCategory(c)}>
            {c ?? '全部'}
          </View>
        ))}
      </View>
      <PagedList
        testId="mc-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="暂无商家"
        renderItem={(m) => (
          <ListItem
            key={m.id}
            testId="mc-merchant"
            title={m.name}
            thumb={m.photos[0] ?? null}
            description={m.address}
            meta={`${m.category} · ${m.hours}`}
            extra={distanceText(m.distanceM)}
            onClick={() => go(`/subpackages/merchants/pages/detail/index?id=${m.id}`)}
          />
        )}
      />
    </View>
  );
}
