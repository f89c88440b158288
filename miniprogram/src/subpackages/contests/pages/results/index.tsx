import { View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { ErrorState, LoadingState } from '../../../../components/ui';
import { contestsApi, type ResultsResponse } from '../../../../services/contests.api';
import '../../contests.scss';

/** Results: ranked entries with jury, public and final scores, awards, the formula and the tie-break rule. */
export default function ResultsPage() {
  const [id, setId] = useState('');
  const [data, setData] = useState<ResultsResponse | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async (contestId: string) => {
    try {
      setData(await contestsApi.results(contestId));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });
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
