import { Close, Coupon, List, Location, Search, Store, Wallet } from '@nutui/icons-react-taro';
import type { MerchantView } from '@shared/schemas/merchants';
import { Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { ListItem, PagedList } from '../../components/ui';
import { usePagedList } from '../../hooks/use-paged-list';
import { useSession } from '../../hooks/use-session';
import { merchantsApi } from '../../services/coupons.api';
import { go } from '../../utils/navigate';
import { currentPosition } from '../../utils/position';
import { distanceText } from '../../utils/distance';
import { ShopMap } from './shop-map';
import './index.scss';
import { withCareMode } from '../../stores/care-mode';

// Kept here rather than imported from @shared (zod would weigh on the main package).
const CATEGORIES = ['餐饮', '零售', '文旅', '家居家电', '汽车', '生活服务', '教育培训', '医疗健康', '其他'] as const;

type Here = { lat: number; lng: number };

/**
 * 商家 tab: 企业之家 directory — search by name, address or introduction (the server's `q`), category, shop
 * photos, nearest first with the distance when the phone's position is allowed (refused or unavailable: no
 * distance, no error), a map view (WeChat; a list of places in H5); 领券中心, 我的券 and 商户入驻 / 我的店铺.
 */
function MerchantsPage() {
  const { user } = useSession();
  const [category, setCategory] = useState<string | undefined>();
  const [keyword, setKeyword] = useState('');
  const [q, setQ] = useState<string | undefined>();
  const [here, setHere] = useState<Here | null>(null);
  const [view, setView] = useState<'list' | 'map'>('list');

  useEffect(() => {
    void currentPosition().then(setHere);
  }, []);

  const list = usePagedList<MerchantView>(
    async () => ({ items: (await merchantsApi.directory({ category, q, limit: 50, ...(here ?? {}) })).items, nextCursor: null }),
    [category, q, here],
  );

  const search = (text = keyword) => setQ(text.trim() || undefined);
  const clear = () => {
    setKeyword('');
    setQ(undefined);
  };
  const open = (m: MerchantView) => go(`/subpackages/merchants/pages/detail/index?id=${m.id}`);
  const hasShop = user?.roles.some((g) => g.role === 'merchant_owner' || g.role === 'merchant_clerk') ?? false;
  const shops = list.state.items;

  return (
    <View className="mt-page" data-testid="tab-merchants">
      <View className="mt-top">
        <View className="mt-search" data-testid="mt-search">
          <Search className="mt-search__icon" />
          <Input
            className="mt-search__input"
            data-testid="mt-search-input"
            placeholder="搜店名、地址，如：米粉"
            value={keyword}
            confirmType="search"
            onInput={(e) => setKeyword(e.detail.value)}
            onConfirm={(e) => search(e.detail.value)}
          />
          {keyword ? (
            <View className="mt-search__clear" data-testid="mt-search-clear" onClick={clear}>
              <Close />
            </View>
          ) : null}
          <Text className="mt-search__go" data-testid="mt-search-go" onClick={() => search()}>
            搜索
          </Text>
        </View>
      </View>

      <View className="mt-entries">
        <View className="mt-entry" data-testid="mc-coupon-centre" onClick={() => go('/subpackages/coupons/pages/center/index')}>
          <Coupon className="mt-entry__icon" />
          <Text>领券中心</Text>
        </View>
        <View className="mt-entry" data-testid="mc-my-coupons" onClick={() => go('/subpackages/coupons/pages/mine/index')}>
          <Wallet className="mt-entry__icon" />
          <Text>我的券</Text>
        </View>
        <View
          className="mt-entry"
          data-testid="mt-apply"
          onClick={() => go(hasShop ? '/subpackages/merchants/pages/shop/index' : '/subpackages/merchants/pages/apply/index')}
        >
          <Store className="mt-entry__icon" />
          <Text>{hasShop ? '我的店铺' : '商户入驻'}</Text>
        </View>
      </View>

      <View className="mt-chips">
        {[undefined, ...CATEGORIES].map((c) => (
          <View
            key={c ?? 'all'}
            className={`mt-chip ${category === c ? 'mt-chip--on' : ''}`}
            data-testid={`mt-category-${c ?? 'all'}`}
            onClick={() => setCategory(c)}
          >
            {c ?? '全部'}
          </View>
        ))}
      </View>

      <View className="mt-bar">
        <Text className="mt-bar__text" data-testid="mt-summary">
          {list.state.status === 'idle' ? `${q ? `“${q}” ` : ''}共 ${shops.length} 家${here ? ' · 离你近的在前' : ''}` : ''}
        </Text>
        <View className="mt-switch">
          <View
            className={`mt-switch__item ${view === 'list' ? 'mt-switch__item--on' : ''}`}
            data-testid="mt-view-list"
            onClick={() => setView('list')}
          >
            <List className="mt-switch__icon" />
            列表
          </View>
          <View
            className={`mt-switch__item ${view === 'map' ? 'mt-switch__item--on' : ''}`}
            data-testid="mt-view-map"
            onClick={() => setView('map')}
          >
            <Location className="mt-switch__icon" />
            地图
          </View>
        </View>
      </View>

      {view === 'map' && list.state.status === 'idle' && shops.length > 0 ? (
        <ShopMap shops={shops} here={here} onOpen={open} />
      ) : (
        <PagedList
          testId="mc-list"
          state={list.state}
          onRetry={list.reload}
          emptyTitle={q ? `没有找到“${q}”相关的商家` : '这个类别还没有商家'}
          emptyDescription={q ? '换个词试试，比如店名里的一两个字' : '可以看看其他类别'}
          renderItem={(m) => (
            <ListItem
              key={m.id}
              testId="mc-merchant"
              title={m.name}
              thumb={m.photos[0] ?? null}
              icon={m.photos[0] ? undefined : <Store />}
              description={m.address}
              meta={`${m.category} · 营业 ${m.hours}`}
              extra={distanceText(m.distanceM)}
              onClick={() => open(m)}
            />
          )}
        />
      )}
    </View>
  );
}

export default withCareMode(MerchantsPage);
