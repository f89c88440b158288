import { View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import type { ContestView } from '@shared/schemas/contests';
import { contestsApi, type ResultsResponse } from '../../../../services/contests.api';
import { ApiError } from '../../../../services/core/api-error';
import { formatShanghai } from '../../../../utils/format';
import { go } from '../../../../utils/navigate';
import '../../contests.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** Results: ranked entries with jury, public and final scores, awards, the formula and the tie-break rule. */
function ResultsPage() {
  const [id, setId] = useState('');
  const [data, setData] = useState<ResultsResponse | null>(null);
  const [failed, setFailed] = useState(false);
  /** Before release: the contest, to say when its results come out. */
  const [pending, setPending] = useState<ContestView | null>(null);
  const load = useCallback(async (contestId: string) => {
    try {
      setData(await contestsApi.results(contestId));
      setFailed(false);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'RESULTS_NOT_PUBLISHED') {
        const contest = await contestsApi.contest(contestId).catch(() => null);
        if (contest) {
          setPending(contest.contest);
          return;
        }
      }
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });
  if (pending) {
    const release = pending.rounds.find((r) => r.kind === 'results')?.startsAt;
    return (
      <EmptyState
        title="评选结果尚未公布"
        description={
          release
            ? `「${pending.title}」的结果将于 ${formatShanghai(release)} 公布，届时再来看看`
            : `「${pending.title}」评选结束后将在这里公布结果`
        }
        action={
          <Button type="primary" onClick={() => go(`/subpackages/contests/pages/index/index?id=${encodeURIComponent(pending.id)}`)}>
            去看参赛作品
          </Button>
        }
      />
    );
  }
  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!data) return <LoadingState />;
  return (
    <View data-testid="ct-results">
      <View className="ct-section">
        <View className="ct-title">{data.contest.title}</View>
        {data.rows.map((r) => (
          <View className="ct-row" key={r.entryId}>
            <View>
              {r.rank}. {r.title}（{r.authorName}）{r.award ? ` · ${r.award.label}` : ''}
            </View>
            <View>{r.finalScore.toFixed(2)}</View>
          </View>
        ))}
        <View className="ct-meta">{data.formula}</View>
        <View className="ct-meta">{data.tieBreakRule}</View>
      </View>
    </View>
  );
}

export default withCareMode(ResultsPage);
