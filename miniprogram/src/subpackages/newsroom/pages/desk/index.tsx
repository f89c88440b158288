import type { AssignmentView, SubmissionState, SubmissionView } from '@shared/schemas/newsroom';
import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { Button, EmptyState, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import { hasRole } from '../../../../utils/roles';
import { PieceRow } from '../../components/piece-row';
import { deskApi } from '../../newsroom-api';
import '../../newsroom.scss';
import { withCareMode } from '../../../../stores/care-mode';

const TABS: Array<[SubmissionState | 'all', string]> = [
  ['all', '全部'],
  ['draft', '草稿'],
  ['returned', '退回修改'],
  ['published', '已发布'],
  ['rejected', '未采用'],
];

const TODO_STATES = ['open', 'accepted'] as const;

const ASSIGNMENT_LABELS: Record<AssignmentView['state'], string> = {
  open: '待接受',
  accepted: '已接受',
  filed: '已交稿',
  declined: '已拒绝',
};

/** 通讯员投稿: my pieces with their states, 写稿, and the topics (选题) editors assigned to me. */
function DeskPage() {
  const { user } = useSession();
  const [tab, setTab] = useState<SubmissionState | 'all'>('all');
  const list = usePagedList<SubmissionView>((cursor) => deskApi.mine(cursor, tab === 'all' ? undefined : tab), [tab]);
  // The topics still to do (open or accepted), newest first; the page's scroll belongs to the pieces, so 更多选题.
  const todo = usePagedList<AssignmentView>((cursor) => deskApi.myAssignments(cursor, TODO_STATES), [], { pageEvents: false });
  const assignments = todo.state.items;
  const shown = useRef(false);
  const loadAssignments = () => void todo.refresh();
  // Back from the editor or a piece: show what changed.
  useDidShow(() => {
    if (shown.current) {
      void list.refresh();
      loadAssignments();
    }
    shown.current = true;
  });

  async function answer(a: AssignmentView, accept: boolean) {
    try {
      await (accept ? deskApi.acceptAssignment(a.id) : deskApi.declineAssignment(a.id));
      void Taro.showToast({ title: accept ? '已接受选题' : '已拒绝选题', icon: 'success' });
    } catch {
      // toast shown by the API client
    }
    loadAssignments();
  }

  if (user && !hasRole(user, 'correspondent')) {
    return (
      <View data-testid="nr-desk">
        <EmptyState title="你还不是通讯员" description="申请加入一个通讯员圈子，审核通过后即可投稿" />
        <View className="nr-actions">
          <Button type="primary" data-testid="nr-go-apply" onClick={() => go('/subpackages/newsroom/pages/apply/index')}>
            申请成为通讯员
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View data-testid="nr-desk">
      <View className="nr-actions">
        <Button type="primary" data-testid="nr-write" onClick={() => go('/subpackages/newsroom/pages/edit/index')}>
          写稿
        </Button>
      </View>

      {assignments.length > 0 ? (
        <View className="nr-section" data-testid="nr-assignments">
          <View className="nr-label">我的选题</View>
          {assignments.map((a) => (
            <View key={a.id} className="nr-card" data-testid="nr-assignment">
              <View className="nr-text" style={{ fontWeight: 600 }}>
                {a.title} <View className="nr-state">{ASSIGNMENT_LABELS[a.state]}</View>
              </View>
              <View className="nr-text">{a.brief}</View>
              {a.dueAt ? <View className="nr-hint">截稿：{formatShanghai(a.dueAt)}</View> : null}
              <View className="nr-row">
                {a.state === 'open' ? (
                  <>
                    <Button size="mini" type="primary" data-testid="nr-assignment-accept" onClick={() => void answer(a, true)}>
                      接受
                    </Button>
                    <Button size="mini" onClick={() => void answer(a, false)}>
                      拒绝
                    </Button>
                  </>
                ) : (
                  <Button
                    size="mini"
                    type="primary"
                    data-testid="nr-assignment-write"
                    onClick={() => go(`/subpackages/newsroom/pages/edit/index?assignmentId=${a.id}&topic=${encodeURIComponent(a.title)}`)}
                  >
                    按选题写稿
                  </Button>
                )}
              </View>
            </View>
          ))}
          {todo.state.done ? null : (
            <Button
              size="mini"
              loading={todo.state.status === 'loading-more'}
              data-testid="nr-assignments-more"
              onClick={() => void todo.loadMore()}
            >
              更多选题
            </Button>
          )}
        </View>
      ) : null}

      <View className="nr-chips">
        {TABS.map(([key, label]) => (
          <View
            key={key}
            className={`nr-chip ${tab === key ? 'nr-chip--on' : ''}`}
            data-testid={`nr-tab-${key}`}
            onClick={() => setTab(key)}
          >
            {label}
          </View>
        ))}
      </View>
      <PagedList
        testId="nr-mine"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="还没有稿件"
        emptyDescription="点“写稿”记录身边的新鲜事"
        renderItem={(s) => <PieceRow key={s.id} s={s} />}
      />
    </View>
  );
}

export default withCareMode(DeskPage);
