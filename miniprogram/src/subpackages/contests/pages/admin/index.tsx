import type { CampaignView } from '@shared/schemas/campaigns';
import { ROUND_LABELS, type ContestView } from '@shared/schemas/contests';

import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useRef } from 'react';
import { Button, EmptyState, ErrorState, ListItem, LoadingState } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { contestsAdminApi } from '../../../../services/contests-admin.api';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import { hasRole } from '../../../../utils/roles';
import '../../contests.scss';
import { withCareMode } from '../../../../stores/care-mode';

const CAMPAIGN_STATUS = { upcoming: '未开始', running: '进行中', ended: '已结束' } as const;
/** The admin's list names the round itself (ROUND_LABELS), and 未开始 before the first. */
const PHASE_TEXT = { upcoming: '未开始', ...ROUND_LABELS } as const;

/**
 * 专题与比赛 (admins and editors): campaigns and contests with links to their pages; admins also launch a
 * campaign, configure a contest and review flagged votes; jurors (often editors) open jury scoring. Both lists
 * page: contests as the page scrolls, campaigns behind 更多专题 (the page's scroll belongs to one list).
 */
function ContestsAdminPage() {
  const { user } = useSession();
  const campaigns = usePagedList<CampaignView>((cursor) => contestsAdminApi.campaigns(cursor), [], { pageEvents: false });
  const contests = usePagedList<ContestView>((cursor) => contestsAdminApi.contests(cursor), []);
  // Back from a form: the new campaign or contest shows up.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) {
      void campaigns.refresh();
      void contests.refresh();
    }
    shown.current = true;
  });

  if (!hasRole(user, 'admin', 'editor')) return <EmptyState title="仅管理员和编辑可以使用" />;
  if (campaigns.state.status === 'error' || contests.state.status === 'error')
    return (
      <ErrorState
        onRetry={() => {
          void campaigns.reload();
          void contests.reload();
        }}
      />
    );
  if (campaigns.state.status === 'loading' || contests.state.status === 'loading') return <LoadingState />;
  const data = { campaigns: campaigns.state.items, contests: contests.state.items };
  const admin = hasRole(user, 'admin');
  return (
    <View data-testid="ct-admin">
      {admin ? (
        <View className="ct-actions">
          <Button type="primary" onClick={() => go('/subpackages/campaigns/pages/launch/index')} data-testid="ct-admin-launch">
            发起专题
          </Button>
          <Button type="primary" onClick={() => go('/subpackages/contests/pages/configure/index')} data-testid="ct-admin-configure">
            配置比赛
          </Button>
        </View>
      ) : null}
      <View className="ct-section">
        <View className="ct-title">专题活动</View>
        {data.campaigns.length === 0 ? <View className="ct-meta">暂无专题</View> : null}
      </View>
      {data.campaigns.map((c) => (
        <ListItem
          key={c.id}
          testId="ct-admin-campaign"
          title={c.title}
          description={`话题「${c.tag}」 · ${CAMPAIGN_STATUS[c.status]}`}
          meta={`${formatShanghai(c.startsAt)} – ${formatShanghai(c.endsAt)}`}
          arrow
          onClick={() => go(`/subpackages/campaigns/pages/detail/index?id=${c.id}`)}
        />
      ))}
      {!campaigns.state.done && data.campaigns.length > 0 ? (
        <View className="ct-actions">
          <Button
            size="small"
            loading={campaigns.state.status === 'loading-more'}
            onClick={() => void campaigns.loadMore()}
            data-testid="ct-admin-more-campaigns"
          >
            更多专题
          </Button>
        </View>
      ) : null}
      <View className="ct-section">
        <View className="ct-title">比赛</View>
        {data.contests.length === 0 ? <View className="ct-meta">暂无比赛</View> : null}
      </View>
      {data.contests.map((c) => {
        const juror = c.jurorIds.includes(user?.id ?? '');
        return (
          <View className="ct-section" key={c.id} data-testid="ct-admin-contest">
            <View className="ct-title" onClick={() => go(`/subpackages/contests/pages/index/index?id=${c.id}`)}>
              {c.title}
            </View>
            <View className="ct-meta">
              {PHASE_TEXT[c.phase]} · {c.rounds.map((r) => r.label).join(' → ')} · 评委 {c.jurorIds.length} 人
            </View>
            <View className="ct-chips" style={{ marginTop: '16px' }}>
              <View className="ct-chip" onClick={() => go(`/subpackages/contests/pages/index/index?id=${c.id}`)}>
                比赛页
              </View>
              {admin && c.phase === 'upcoming' && c.advancedTo === 'upcoming' ? (
                <View
                  className="ct-chip"
                  data-testid="ct-admin-edit"
                  onClick={() => go(`/subpackages/contests/pages/configure/index?id=${c.id}`)}
                >
                  修改配置
                </View>
              ) : null}
              {juror || admin ? (
                <View className="ct-chip" onClick={() => go(`/subpackages/contests/pages/jury/index?id=${c.id}`)}>
                  评委打分
                </View>
              ) : null}
              {admin ? (
                <View className="ct-chip" onClick={() => go(`/subpackages/contests/pages/flagged/index?id=${c.id}`)}>
                  可疑投票
                </View>
              ) : null}
              {c.resultsPublished ? (
                <View className="ct-chip" onClick={() => go(`/subpackages/contests/pages/results/index?id=${c.id}`)}>
                  结果
                </View>
              ) : null}
            </View>
          </View>
        );
      })}
      {data.contests.length > 0 ? (
        <View className="rm-footer-note" data-testid="list-footer">
          {contests.state.status === 'loading-more' ? '加载中…' : contests.state.done ? '— 没有更多了 —' : '上拉加载更多'}
        </View>
      ) : null}
    </View>
  );
}

export default withCareMode(ContestsAdminPage);
