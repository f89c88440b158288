import type { EntryView } from '@shared/schemas/contests';

import { Input, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { Button, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { contestsApi } from '../../../../services/contests.api';
import { auth } from '../../../../services/request';
import '../../contests.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** Jury scoring (appointed jurors): a 0–100 score per shortlisted entry, paged as it scrolls; the server refuses non-jurors. */
function JuryPage() {
  const [id, setId] = useState('');
  const [scores, setScores] = useState<Record<string, string>>({});
  const entries = usePagedList<EntryView>(
    async (cursor) => {
      if (!id) return { items: [], nextCursor: null };
      await auth.ensureLoggedIn();
      return contestsApi.entries(id, { shortlisted: true, cursor });
    },
    [id],
  );
  useLoad((params: Record<string, string | undefined>) => setId(params.id ?? ''));
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
      <PagedList
        state={entries.state}
        onRetry={entries.reload}
        emptyTitle="暂无入围作品"
        renderItem={(e) => (
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
        )}
      />
    </View>
  );
}

export default withCareMode(JuryPage);
