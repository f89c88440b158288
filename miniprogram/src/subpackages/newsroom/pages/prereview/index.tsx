import type { CircleView, SubmissionView } from '@shared/schemas/newsroom';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { EmptyState, ListItem, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { go } from '../../../../utils/navigate';
import { hasRole } from '../../../../utils/roles';
import { PieceRow } from '../../components/piece-row';
import { deskApi } from '../../newsroom-api';
import '../../newsroom.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** 圈子管理 for circle leaders: the circles I lead, their pieces waiting for pre-review, and applications. */
function PreReviewPage() {
  const { user } = useSession();
  const leader = hasRole(user, 'circle_leader');
  const [circles, setCircles] = useState<CircleView[]>([]);
  // The server limits a leader's queue to their own circles (state `submitted`).
  const list = usePagedList<SubmissionView>(
    (cursor) => (leader ? deskApi.queue(cursor) : Promise.resolve({ items: [], nextCursor: null })),
    [leader],
  );
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.refresh();
    shown.current = true;
  });
  useEffect(() => {
    deskApi
      .circles()
      .then(setCircles)
      .catch(() => undefined);
  }, []);

  if (!leader) return <EmptyState title="圈子管理仅对圈长开放" />;
  const led = new Set(user?.roles.flatMap((g) => (g.role === 'circle_leader' && g.scope ? [g.scope.id] : [])) ?? []);
  const mine = circles.filter((c) => led.has(c.id));
  return (
    <View data-testid="nr-prereview">
      {mine.map((c) => (
        <ListItem key={c.id} title={c.name} description={c.description} meta={`${c.memberCount} 名通讯员`} />
      ))}
      <ListItem
        testId="nr-go-applications"
        title="通讯员申请审核"
        arrow
        onClick={() => go('/subpackages/newsroom/pages/applications/index')}
      />
      <View className="nr-label" style={{ padding: '0 16px' }}>
        待初审稿件
      </View>
      <PagedList
        testId="nr-prereview-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="没有待初审的稿件"
        renderItem={(s) => <PieceRow key={s.id} s={s} staff circleName={circles.find((c) => c.id === s.circleId)?.name} />}
      />
    </View>
  );
}

export default withCareMode(PreReviewPage);
