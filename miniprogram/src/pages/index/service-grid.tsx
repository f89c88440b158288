import { Coupon, Edit, Gift, Heart, Message, Service, Star, Store } from '@nutui/icons-react-taro';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { useSession } from '../../hooks/use-session';
import { hasRole } from '../../utils/roles';
import { go } from '../../utils/navigate';

interface ServiceEntry {
  key: string;
  label: string;
  icon: ReactNode;
  /** Where it goes; absent: not built yet, the tap says so. */
  open?: () => void;
}

/** 即将上线: a friendly word instead of a dead link. */
const soon = () => void Taro.showToast({ title: '即将上线，敬请期待', icon: 'none' });

/** The home page's doors into the rest of the app: 问政, volunteering, points, coupons, filing a story… */
export function ServiceGrid() {
  const { user } = useSession();
  const entries: ServiceEntry[] = [
    { key: 'wenzheng', label: '问政', icon: <Message />, open: () => go('/subpackages/wenzheng/pages/home/index') },
    { key: 'volunteer', label: '志愿服务', icon: <Heart />, open: () => go('/subpackages/activities/pages/home/index') },
    { key: 'mall', label: '积分商城', icon: <Gift />, open: () => go('/subpackages/points/pages/mall/index') },
    { key: 'coupons', label: '领券中心', icon: <Coupon />, open: () => go('/subpackages/coupons/pages/center/index') },
    {
      key: 'file',
      label: '我要投稿',
      icon: <Edit />,
      // Correspondents go to their desk; anyone else applies to become one first.
      open: () => go(hasRole(user, 'correspondent') ? '/subpackages/newsroom/pages/desk/index' : '/subpackages/newsroom/pages/apply/index'),
    },
    { key: 'campaigns', label: '专题活动', icon: <Star />, open: () => void Taro.switchTab({ url: '/pages/activities/index' }) },
    { key: 'livelihood', label: '民生服务', icon: <Service /> },
    { key: 'merchants', label: '附近商家', icon: <Store />, open: () => void Taro.switchTab({ url: '/pages/merchants/index' }) },
  ];
  return (
    <View className="home-grid" data-testid="home-services">
      {entries.map((e) => (
        <View key={e.key} className="home-grid__item" data-testid={`home-service-${e.key}`} onClick={e.open ?? soon}>
          <View className="home-grid__icon">{e.icon}</View>
          <View className="home-grid__label">{e.label}</View>
        </View>
      ))}
    </View>
  );
}
