import type { CircleView, SubmissionState, SubmissionView } from '@shared/schemas/newsroom';
import { Picker, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { EmptyState, ListItem, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { go } from '../../../../utils/navigate';
import { hasRole } from '../../../../utils/roles';
import { PieceRow } from '../../components/piece-row';
import { deskApi, type QueueFilters } from '../../newsroom-api';
import { allPages } from '../../../../services/core/all-pages';
import '../../newsroom.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** Queue tabs: what waits for an editor at each step. */
const TABS: Array<[SubmissionState | 'waiting', string]> = [
  ['waiting', '待审'],
  ['in_review', '审核中'],
  ['approved', '待发布'],
  ['scheduled', '定时发布'],
];
const AGES: Array<[number | undefined, string]> = [
  [undefined, '不限时长'],
  [24, '等待超过 1 天'],
  [72, '等待超过 3 天'],
  [168, '等待超过 7 天'],
];

/** 编辑审稿: the editors' queue with filters (circle, campaign, waiting time, flagged by the content check). */
function ReviewPage() {
  const { user } = useSession();
  const [tab, setTab] = useState<SubmissionState | 'waiting'>('waiting');
  const [circles, setCircles] = useState<CircleView[]>([]);
  const [campaigns, setCampaigns] = useState<string[]>([]);
  const [circleId, setCircleId] = useState<string | undefined>();
  const [campaign, setCampaign] = useState<string | undefined>();
  const [age, setAge] = useState<number | undefined>();
  const [flagged, setFlagged] = useState(false);
  const editor = hasRole(user, 'editor', 'admin');

  const filters: QueueFilters = {
    ...(tab === 'waiting' ? {} : { state: tab }),
    circleId,
    campaign,
    minAgeHours: age,
    ...(flagged ? { flagged: true } : {}),
  };
  const list = usePagedList<SubmissionView>(
    (cursor) => (editor ? deskApi.queue(cursor, filters) : Promise.resolve({ items: [], nextCursor: null })),
    [tab, circleId, campaign, age, flagged, editor],
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
    allPages((cursor) => deskApi.campaigns({ cursor }))
      .then((items) => setCampaigns(items.map((c) => c.tag)))
      .catch(() => undefined);
  }, []);

  if (!editor) return <EmptyState title="编辑审稿仅对编辑开放" />;
  const circleName = (id: string | null) => circles.find((c) => c.id === id)?.name;
  const circleRange = ['全部圈子', ...circles.map((c) => c.name)];
  const campaignRange = ['全部活动', ...campaigns];
  return (
    <View data-testid="nr-review-queue">
      <ListItem
        testId="nr-go-applications"
        title="通讯员申请审核"
        arrow
        onClick={() => go('/subpackages/newsroom/pages/applications/index')}
      />
      <View className="nr-chips">
        {TABS.map(([key, label]) => (
          <View
            key={key}
            className={`nr-chip ${tab === key ? 'nr-chip--on' : ''}`}
            data-testid={`nr-queue-${key}`}
            onClick={() => setTab(key)}
          >
            {label}
          </View>
        ))}
      </View>
      <View className="nr-chips" style={{ paddingTop: 0 }}>
        <Picker mode="selector" range={circleRange} onChange={(e) => setCircleId(circles[Number(e.detail.value) - 1]?.id)}>
          <View className={`nr-chip ${circleId ? 'nr-chip--on' : ''}`} data-testid="nr-filter-circle">
            {circleName(circleId ?? null) ?? '全部圈子'} ▾
          </View>
        </Picker>
        <Picker mode="selector" range={campaignRange} onChange={(e) => setCampaign(campaigns[Number(e.detail.value) - 1])}>
          <View className={`nr-chip ${campaign ? 'nr-chip--on' : ''}`} data-testid="nr-filter-campaign">
            {campaign ? `#${campaign}` : '全部活动'} ▾
          </View>
        </Picker>
        <Picker mode="selector" range={AGES.map(([, l]) => l)} onChange={(e) => setAge(AGES[Number(e.detail.value)]?.[0])}>
          <View className={`nr-chip ${age ? 'nr-chip--on' : ''}`} data-testid="nr-filter-age">
            {AGES.find(([h]) => h === age)?.[1] ?? '不限时长'} ▾
          </View>
        </Picker>
        <View className={`nr-chip ${flagged ? 'nr-chip--on' : ''}`} data-testid="nr-filter-flagged" onClick={() => setFlagged((f) => !f)}>
          仅看需复核
        </View>
      </View>
      <PagedList
        testId="nr-queue-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="队列里没有稿件"
        renderItem={(s) => <PieceRow key={s.id} s={s} staff circleName={circleName(s.circleId)} />}
      />
    </View>
  );
}

export default withCareMode(ReviewPage);
