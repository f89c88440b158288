import { Map, View } from '@tarojs/components';
import pin from '../../assets/map/shop-marker.png';
import { colors } from '../../components/ui/theme';
import { useCareMode } from '../../stores/care-mode';
import { distanceText } from '../../utils/distance';
import type { ShopMapProps } from './shop-map';

// 城关街道 (the county seat), where the map opens when neither the phone's position nor any shop is known.
const COUNTY_SEAT = { lat: 26.8382, lng: 116.3251 };

/**
 * 商家 on the map (WeChat; H5 uses the list in shop-map.tsx): a marker per shop with its name; tapping the
 * marker's bubble opens the shop. Centred on the person when the position is known, else on the first shop.
 */
export function ShopMap({ shops, here, onOpen }: ShopMapProps) {
  // The bubbles are drawn by WeChat's native map, out of reach of the page's styles: 关怀模式 is applied here.
  const [care] = useCareMode();
  const centre = here ?? (shops[0] ? shops[0].location : COUNTY_SEAT);
  const markers = shops.map((m, i) => ({
    id: i,
    latitude: m.location.lat,
    longitude: m.location.lng,
    title: m.name,
    iconPath: pin as string,
    width: 28,
    height: 36,
    callout: {
      content: `${m.name}${m.distanceM === null ? '' : ` · ${distanceText(m.distanceM)}`}`,
      color: colors.text,
      fontSize: care ? 18 : 14,
      borderRadius: 8,
      bgColor: colors.surface,
      padding: 8,
      display: 'ALWAYS' as const,
      textAlign: 'center' as const,
      anchorX: 0,
      anchorY: 0,
      borderWidth: 0,
      borderColor: colors.border,
    },
  }));
  const open = (e: { detail: { markerId: number | string } }) => {
    const shop = shops[Number(e.detail.markerId)];
    if (shop) onOpen(shop);
  };
  return (
    <View data-testid="mt-map">
      <Map
        className="mt-map"
        latitude={centre.lat}
        longitude={centre.lng}
        scale={14}
        markers={markers}
        showLocation={here !== null}
        onMarkerTap={open}
        onCallOutTap={open}
        // Required by the typings; a map that fails to draw leaves the 列表 view one tap away.
        onError={() => undefined}
      />
    </View>
  );
}
