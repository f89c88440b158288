import { CONTEST_PHASE_TEXT, type ContestView, type EntryView } from '@shared/schemas/contests';

import { Image, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { contestsApi } from '../../../../services/contests.api';
import { formatShanghai } from '../../../../utils/format';
import '../../contests.scss';
import { LAZY_IMAGES } from '../../../../components/ui/lazy';
import { withCareMode } from '../../../../stores/care-mode';

/** Once the shortlist is made (voting, judging, results), the grid shows only the entries in the running. */
const inRunningOnly = (c: ContestView | null) => c?.phase === 'voting' || c?.phase === 'judging' || c?.phase === 'results';

/** Contest page: rules and rounds, the entries grid (paged as it scrolls; votes hidden until voting closes), my entries, results. */
function ContestPage() {
  const [id, setId] = useState('');
  const [contest, setContest] = useState<ContestView | null>(null);
  const [mineOnly, setMineOnly] = useState(false);
  const [failed, setFailed] = useState(false);
  const shortlisted = inRunningOnly(contest);
  // Waits for the contest: which entries show depends on its phase.
  const entries = usePagedList<EntryView>(
    (cursor) =>
      contest ? contestsApi.entries(contest.id, { mine: mineOnly, shortlisted, cursor }) : Promise.resolve({ items: [], nextCursor: null }),
    [contest?.id ?? null, mineOnly, shortlisted],
  );
  const load = useCallback(async (contestId: string) => {
    try {
      setContest((await contestsApi.contest(contestId)).contest);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });
  // Back from filing an entry or voting: the grid shows it.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current && id) {
      void load(id);
      void entries.refresh();
    }
    shown.current = true;
  });
  useShareAppMessage(() => ({ title: contest?.title ?? '比赛', path: `subpackages/contests/pages/index/index?id=${id}` }));

  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!contest) return <LoadingState />;
  const list = entries.state;
  const canFile = contest.phase === 'submission' && contest.entryKinds.includes('photo');
  return (
    <View data-testid="ct-contest">
      {contest.cover ? <Image src={contest.cover} mode="widthFix" style={{ width: '100%', display: 'block' }} /> : null}
      <View className="ct-section">
        <View className="ct-title">{contest.title}</View>
        <View className="ct-phase" data-testid="ct-phase">
          {CONTEST_PHASE_TEXT[contest.phase]}
        </View>
        <View className="ct-meta">{contest.description}</View>
      </View>
      <View className="ct-section" data-testid="ct-rules">
        <View className="ct-title">赛程与规则</View>
        {contest.rounds.map((r) => (
          <View className="ct-meta" key={r.kind}>
            {r.label}：{formatShanghai(r.startsAt)}
            {r.endsAt ? ` – ${formatShanghai(r.endsAt)}` : ''}
          </View>
        ))}
        <View className="ct-rules">
          每人每天 {contest.voting.perUserPerDay} 票，同一作品每天 {contest.voting.perEntryPerDay} 票；评委评分占 {contest.juryWeight}
          %，公众投票占 {contest.publicWeight}%。{contest.tieBreakRule}欢迎分享作品，请勿以奖励拉票。
        </View>
        {contest.awards.length > 0 ? (
          <View className="ct-rules">奖项：{contest.awards.map((a) => `${a.label} ${a.count} 名（${a.points} 积分）`).join('，')}</View>
        ) : null}
      </View>
      <View className="ct-actions">
        {canFile ? (
          <Button
            type="primary"
            data-testid="ct-file-open"
            onClick={() => void Taro.navigateTo({ url: `/subpackages/contests/pages/file/index?id=${id}` })}
          >
            我要参赛
          </Button>
        ) : null}
        <Button onClick={() => setMineOnly(!mineOnly)}>{mineOnly ? '全部作品' : '我的作品'}</Button>
        {contest.resultsPublished ? (
          <Button type="primary" onClick={() => void Taro.navigateTo({ url: `/subpackages/contests/pages/results/index?id=${id}` })}>
            查看结果
          </Button>
        ) : null}
      </View>
      {list.status === 'error' && list.items.length === 0 ? <ErrorState onRetry={entries.reload} /> : null}
      {list.status === 'idle' && list.items.length === 0 ? (
        <EmptyState
          title={mineOnly ? '你还没有参赛作品' : '还没有参赛作品'}
          description={canFile ? '点「我要参赛」上传你的作品' : undefined}
        />
      ) : null}
      <View className="ct-grid">
        {list.items.map((e) => (
          <View
            className="ct-card"
            key={e.id}
            data-testid="ct-entry-card"
            onClick={() => void Taro.navigateTo({ url: `/subpackages/contests/pages/entry/index?id=${e.id}` })}
          >
            {e.imageUrls[0] ? (
              <Image className="ct-card__img" src={e.imageUrls[0]} mode="aspectFill" lazyLoad={LAZY_IMAGES} />
            ) : (
              <View className="ct-card__img" />
            )}
            <View className="ct-card__body">
              <View>{e.title}</View>
              <View className="ct-meta">
                {e.authorName} · {e.votes === null ? '票数投票结束后公布' : `${e.votes} 票`}
              </View>
            </View>
          </View>
        ))}
      </View>
      {list.items.length > 0 ? (
        <View className="rm-footer-note" data-testid="list-footer">
          {list.status === 'loading-more' ? '加载中…' : list.done ? '— 没有更多了 —' : list.error ? '加载失败，上拉重试' : '上拉加载更多'}
        </View>
      ) : null}
    </View>
  );
}

export default withCareMode(ContestPage);
