import { Location } from '@nutui/icons-react-taro';
import type { MerchantView } from '@shared/schemas/merchants';
import { View } from '@tarojs/components';
import { IconLine, ListItem } from '../../components/ui';
import { distanceText } from '../../utils/distance';

export interface ShopMapProps {
  shops: readonly MerchantView[];
  here: { lat: number; lng: number } | null;
  onOpen: (shop: MerchantView) => void;
}

/**
 * The map view's fallback (H5: Taro has no map component on the web; WeChat uses shop-map.weapp.tsx): the
 * same shops as a list of places, nearest first when the position is known, each with its address.
 */
export function ShopMap({ shops, here, onOpen }: ShopMapProps) {
  const sorted = here ? [...shops].sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity)) : shops;
  return (
    <View data-testid="mt-map-fallback">
      <View className="mt-note">
        <IconLine icon={<Location />}>
          {here ? '网页版不能显示地图，下面按离你从近到远列出' : '网页版不能显示地图，下面列出各家店的地址'}
        </IconLine>
      </View>
      {sorted.map((m) => (
        <ListItem
          key={m.id}
          testId="mt-place"
          title={m.name}
          description={m.address}
          extra={distanceText(m.distanceM)}
          icon={<Location />}
          arrow
          onClick={() => onOpen(m)}
        />
      ))}
    </View>
  );
}
