import { View } from '@tarojs/components';
import { EmptyState, ListItem } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { hasRole, roleLabels } from '../../../../utils/roles';
import { go } from '../../../../utils/navigate';
import { withCareMode } from '../../../../stores/care-mode';

/**
 * The staff console landing: one entry per tool the user's roles allow. Feature helpers add their tools
 * (review queue, audit log, question inbox…) as entries here and pages in their own subpackages.
 */
const TOOLS = [
  { key: 'review', title: '稿件审核', roles: ['editor'] as const, url: '/subpackages/newsroom/pages/review/index' },
  { key: 'wenzheng-triage', title: '问政审核与转办', roles: ['editor'] as const, url: '/subpackages/wenzheng/pages/queue/index' },
  { key: 'questions', title: '问政回复', roles: ['department_staff'] as const, url: '/subpackages/wenzheng/pages/queue/index' },
  {
    key: 'wenzheng-boards',
    title: '问政榜单',
    roles: ['editor', 'department_staff'] as const,
    url: '/subpackages/wenzheng/pages/boards/index',
  },
  { key: 'merchants-review', title: '企业之家审核', roles: ['editor'] as const, url: '/subpackages/merchants/pages/review/index' },
  {
    key: 'contests-admin',
    title: '专题与比赛',
    roles: ['admin', 'editor'] as const,
    url: '/subpackages/contests/pages/admin/index',
  },
  { key: 'gov-coupons', title: '政府消费券', roles: ['admin', 'editor'] as const, url: '/subpackages/coupons/pages/admin/index' },
  { key: 'users', title: '用户与角色', roles: ['admin'] as const, url: '/subpackages/admin/pages/users/index' },
];

function StaffHomePage() {
  const { user } = useSession();
  const tools = TOOLS.filter((t) => hasRole(user, ...t.roles));
  return (
    <View data-testid="staff-home">
      <ListItem title={user?.nickname ?? '未登录'} description={roleLabels(user).join(' · ')} />
      {tools.length === 0 ? (
        <EmptyState title="暂无可用的工作台功能" />
      ) : (
        tools.map((t) => <ListItem key={t.key} title={t.title} arrow onClick={() => go(t.url)} />)
      )}
    </View>
  );
}

export default withCareMode(StaffHomePage);
