import { View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { contestsApi, type FlaggedVote } from '../../../../services/contests.api';
import { auth } from '../../../../services/request';
import { formatShanghai } from '../../../../utils/format';
import '../../contests.scss';
import { withCareMode } from '../../../../stores/care-mode';

const FLAG_TEXT: Record<string, string> = { new_account: '新注册账号', shared_device: '同一设备多账号' };

/** Flagged votes (admins): why each was flagged; void one with a reason and the tally follows. */
function FlaggedVotesPage() {
  const [id, setId] = useState('');
  const [votes, setVotes] = useState<FlaggedVote[] | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async (contestId: string) => {
    try {
      await auth.ensureLoggedIn();
      setVotes((await contestsApi.flagged(contestId)).items);
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
  if (!votes) return <LoadingState />;
  if (votes.length === 0) return <EmptyState title="暂无可疑投票" />;
  const voidOne = async (vote: FlaggedVote) => {
    // `editable` modals exist in WeChat (base library ≥ 2.17.1) but are missing from Taro's types.
    const option = { title: '作废这张票', editable: true, placeholderText: '作废理由（必填）' } as Taro.showModal.Option;
    const answer = (await Taro.showModal(option)) as Taro.showModal.SuccessCallbackResult & { content?: string };
    const reason = (answer.content ?? '').trim();
    if (!answer.confirm || !reason) return;
    try {
      await contestsApi.voidVote(id, vote.id, reason);
      await load(id);
    } catch {
      // toast shown by the client
    }
  };
  return (
    <View data-testid="ct-flagged">
      {votes.map((v) => (
        <View className="ct-section" key={v.id}>
          <View className="ct-meta">
            {formatShanghai(v.createdAt)} · {v.entryTitle || `作品 ${v.entryId.slice(-6)}`} · {v.voterName ?? `用户 ${v.userId.slice(-6)}`}
          </View>
          <View className="ct-meta">{v.flags.map((f) => FLAG_TEXT[f] ?? f).join('、')}</View>
          {v.deviceId ? <View className="ct-meta">设备 {v.deviceId}</View> : null}
          <Button size="small" type="danger" onClick={() => void voidOne(v)}>
            作废
          </Button>
        </View>
      ))}
    </View>
  );
}

export default withCareMode(FlaggedVotesPage);
