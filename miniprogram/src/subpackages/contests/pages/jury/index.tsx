import type { EntryView } from '@shared/schemas/contests';

import { Input, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { contestsApi } from '../../../../services/contests.api';
import { auth } from '../../../../services/request';
import '../../contests.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** Jury scoring (appointed jurors): a 0–100 score per shortlisted entry; the server refuses non-jurors. */
function JuryPage() {
  const [id, setId] = useState('');
  const [entries, setEntries] = useState<EntryView[] | null>(null);
  const [scores, setScores] = useState<Record<string, string>>({});
  const [failed, setFailed] = useState(false);
  const load = useCallback(async (contestId: string) => {
    try {
      await auth.ensureLoggedIn();
      setEntries((await contestsApi.entries(contestId)).items.filter((e) => e.shortlisted));
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
  if (!entries) return <LoadingState />;
  if (entries.length === 0) return <EmptyState title="暂无入围作品" />;
  const save = async (entryId: string) => {
    const score = Number(scores[entryId]);
    if (!Number.isInteger(score) || score < 0 || score > 100) {
      void Taro.showToast({ title: '请输入 0–100 的整数', icon: 'none' });
      return;
    }
    try {
      await contestsApi.score(id, entryId, score);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch {
      // toast shown by the client
    }
  };
  return (
    <View data-testid="ct-jury">
      {entries.map((e) => (
        <View className="ct-section" key={e.id}>
          <View className="ct-title">{e.title}</View>
          <View className="ct-meta">{e.authorName}</View>
          <Input
            type="number"
            placeholder="评分 0–100"
            value={scores[e.id] ?? ''}
            onInput={(ev) => setScores({ ...scores, [e.id]: ev.detail.value })}
          />
          <Button size="small" type="primary" onClick={() => void save(e.id)}>
            保存评分
          </Button>
        </View>
      ))}
    </View>
  );
}

export default withCareMode(JuryPage);
