import { View } from '@tarojs/components';
import { EmptyState } from '../../components/ui';

/** 商家: 企业之家 and coupons. The merchants/coupons features fill this tab (their own subpackages). */
export default function MerchantsPage() {
  return (
    <View className="merchants-page" data-testid="tab-merchants">
      <EmptyState title="企业之家" description="本地商家与优惠券即将上线" />
    </View>
  );
}
