import { View } from '@tarojs/components';
import { EmptyState, ListItem } from '../../components/ui';
import { go } from '../../utils/navigate';

/** 活动: volunteering and contests. The volunteers/contests features fill this tab (their own subpackages). */
export default function ActivitiesPage() {
  return (
    <View className="activities-page" data-testid="tab-activities">
      <ListItem
        testId="tab-activities-volunteers"
        title="志愿服务"
        description="我的队伍 · 近期活动 · 报名与扫码签到 · 服务记录"
        onClick={() => go('/subpackages/activities/pages/home/index')}
      />
      <EmptyState title="评选活动" description="近期活动将在这里发布，敬请期待" />
    </View>
  );
}
