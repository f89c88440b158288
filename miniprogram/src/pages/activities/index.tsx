import { View } from '@tarojs/components';
import { EmptyState } from '../../components/ui';

/** 活动: volunteering and contests. The volunteers/contests features fill this tab (their own subpackages). */
export default function ActivitiesPage() {
  return (
    <View className="activities-page" data-testid="tab-activities">
      <EmptyState title="志愿活动与评选" description="近期活动将在这里发布，敬请期待" />
    </View>
  );
}
