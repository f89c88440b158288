import { Image, View } from '@tarojs/components';
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Button, EmptyState, ErrorState, LoadingState } from '../../../../components/ui';
import { useSession } from '../../../../hooks/use-session';
import { hasRole } from '../../../../utils/roles';
import { go } from '../../../../utils/navigate';
import { contestsApi, type CampaignPage } from '../../../../services/contests.api';
import { formatShanghai } from '../../../../utils/format';
import '../../../contests/contests.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** Campaign page: what it is about, live figures (pieces, participants, reads) and the approved pieces. */
function CampaignDetail() {
  const [id, setId] = useState('');
  const [data, setData] = useState<CampaignPage | null>(null);
  const [failed, setFailed] = useState(false);
  const { user } = useSession();
  const load = useCallback(async (campaignId: string) => {
    try {
      setData(await contestsApi.campaign(campaignId));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    void load(params.id ?? '');
  });
  useShareAppMessage(() => ({ title: data?.campaign.title ?? '专题活动', path: `subpackages/campaigns/pages/detail/index?id=${id}` }));
  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!data) return <LoadingState />;
  const { campaign, figures, pieces } = data;
  return (
    <View data-testid="cp-detail">
      {campaign.cover ? <Image src={campaign.cover} mode="widthFix" style={{ width: '100%', display: 'block' }} /> : null}
      <View className="ct-section">
        <View className="ct-title">{campaign.title}</View>
        <View className="ct-meta">
          话题「{campaign.tag}」 · {formatShanghai(campaign.startsAt)} – {formatShanghai(campaign.endsAt)}
        </View>
        <View className="ct-meta">{campaign.description}</View>
        {campaign.bonusPoints > 0 ? <View className="ct-meta">审核通过的稿件额外奖励 {campaign.bonusPoints} 积分</View> : null}
      </View>
      {campaign.status === 'running' ? (
        <View className="ct-actions">
          <Button
            type="primary"
            block
            data-testid="cp-file"
            onClick={() =>
              go(
                // Correspondents write straight into the campaign; anyone else first applies to become one.
                hasRole(user, 'correspondent')
                  ? `/subpackages/newsroom/pages/edit/index?campaign=${encodeURIComponent(campaign.tag)}`
                  : '/subpackages/newsroom/pages/apply/index',
              )
            }
          >
            我要投稿
          </Button>
        </View>
      ) : null}
      <View className="ct-section ct-figures">
        {[
          ['稿件', figures.pieces],
          ['参与人数', figures.participants],
          ['阅读量', figures.reads],
        ].map(([label, n]) => (
          <View key={label}>
            <View className="ct-figure__num">{n}</View>
            <View className="ct-meta">{label}</View>
          </View>
        ))}
      </View>
      <View className="ct-section">
        {pieces.length === 0 ? <EmptyState /> : null}
        {pieces.map((p) => (
          <View
            className="ct-row"
            key={p.id}
            onClick={() => {
              if (p.articleId) void Taro.navigateTo({ url: `/subpackages/news/pages/article/index?id=${p.articleId}` });
            }}
          >
            <View>{p.title}</View>
            <View className="ct-meta">{p.authorName}</View>
          </View>
        ))}
      </View>
    </View>
  );
}

export default withCareMode(CampaignDetail);
