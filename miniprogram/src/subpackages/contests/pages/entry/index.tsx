import type { EntryView } from '@shared/schemas/contests';

import { Image, Video, View } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, ErrorState, LoadingState } from '../../../../components/ui';
import { contestsApi } from '../../../../services/contests.api';
import { auth } from '../../../../services/request';
import { sharePath } from '../../../../utils/deep-link';
import { voteErrorText } from '../../vote-note';
import '../../contests.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** Entry page: the work, a vote button (limits answered by the server's message) and a share card. */
function EntryPage() {
  const [id, setId] = useState('');
  const [entry, setEntry] = useState<EntryView | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const load = useCallback(async (entryId: string) => {
    try {
      setEntry((await contestsApi.entry(entryId)).entry);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });
  // Sharing an entry page is allowed; nothing rewards it (WeChat forbids rewarded canvassing).
  useShareAppMessage(() => ({ title: entry ? `「${entry.title}」参赛作品` : '参赛作品', path: sharePath('ce', id) }));

  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!entry) return <LoadingState />;
  const vote = async () => {
    setBusy(true);
    try {
      await auth.ensureLoggedIn();
      const result = await contestsApi.vote(entry.contestId, entry.id);
      setNote(`投票成功，今天还可投 ${result.remainingToday} 票`);
      void Taro.showToast({ title: '投票成功', icon: 'success' });
      await load(id);
    } catch (err) {
      // The client already showed the server's message (e.g. 今天已为该作品投过票); keep it on the page too.
      setNote(voteErrorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View data-testid="ct-entry">
      <View className="ct-section">
        <View className="ct-title">{entry.title}</View>
        <View className="ct-meta">
          {entry.authorName} · {entry.votes === null ? '票数投票结束后公布' : `${entry.votes} 票`}
        </View>
        {entry.imageUrls.map((url) => (
          <Image key={url} src={url} mode="widthFix" style={{ width: '100%', marginTop: '12px' }} />
        ))}
        {entry.videoUrl ? <Video src={entry.videoUrl} style={{ width: '100%' }} /> : null}
        {entry.description ? <View className="ct-meta">{entry.description}</View> : null}
      </View>
      <View className="ct-actions">
        <Button type="primary" loading={busy} disabled={!entry.shortlisted} onClick={() => void vote()} data-testid="ct-vote">
          投票
        </Button>
        <Button openType="share">分享</Button>
      </View>
      {note ? (
        <View className="ct-section ct-meta" data-testid="ct-vote-note">
          {note}
        </View>
      ) : null}
    </View>
  );
}

export default withCareMode(EntryPage);
