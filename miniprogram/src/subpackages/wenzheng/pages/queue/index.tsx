import type { CaseView } from '@shared/schemas/wenzheng';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { EmptyState, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { wenzhengApi } from '../../../../services/wenzheng.api';
import { hasRole } from '../../../../utils/roles';
import { CaseRow } from '../../components/case-row';
import '../../wenzheng.scss';
import { withCareMode } from '../../../../stores/care-mode';

type Tab = 'triage' | 'queue' | 'overdue' | 'copied';

/** Staff queues: the editors' triage queue, a department's (or grid's) cases with their deadlines, overdue ones. */
function QueuePage() {
  const { user } = useSession();
  const editor = hasRole(user, 'editor', 'admin');
  const handler = hasRole(user, 'department_staff', 'grid_leader');
  const leader = user?.roles.some((g) => g.role === 'county_leader') ?? false;
  const tabs: [Tab, string][] = [
    ...(editor ? ([['triage', '待审核']] as [Tab, string][]) : []),
    ...(handler
      ? ([
          ['queue', '本部门待办'],
          ['overdue', '已超期'],
        ] as [Tab, string][])
      : []),
    ...(leader ? ([['copied', '抄送给我']] as [Tab, string][]) : []),
  ];
  const [tab, setTab] = useState<Tab>(editor ? 'triage' : handler ? 'queue' : 'copied');
  const list = usePagedList<CaseView>(
    (cursor) =>
      tab === 'triage'
        ? wenzhengApi.triage(cursor)
        : tab === 'copied'
          ? wenzhengApi.copied(cursor)
          : wenzhengApi.queue(cursor, tab === 'overdue' ? true : undefined),
    [tab],
  );
  if (tabs.length === 0) return <EmptyState title="问政工作台仅对编辑、部门工作人员和县领导开放" />;
  return (
    <View data-testid="wz-queue">
      <View className="wz-chips">
        {tabs.map(([key, label]) => (
          <View
            key={key}
            data-testid={`wz-tab-${key}`}
            className={`wz-chip ${tab === key ? 'wz-chip--on' : ''}`}
            onClick={() => setTab(key)}
          >
            {label}
          </View>
        ))}
      </View>
      <PagedList
        testId="wz-queue-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="没有待办事项"
        renderItem={(c) => <CaseRow key={c.id} c={c} staff />}
      />
    </View>
  );
}

export default withCareMode(QueuePage);
