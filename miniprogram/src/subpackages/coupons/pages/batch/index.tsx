import type { BatchView, DrawView } from '@shared/schemas/coupons';
import { View } from '@tarojs/components';
import { useLoad, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { ErrorState, LoadingState } from '../../../../components/ui';
import { couponsApi, shanghaiTime } from '../../../../services/coupons.api';
import { sharePath } from '../../../../utils/deep-link';
import { go } from '../../../../utils/navigate';
import { BatchCard } from '../../components/coupon-card';
import { governmentCouponsApi } from '../../government.api';
import { lotteryStatus, lotteryStatusText } from '../../lottery';
import { currentUserId, isSignedUp, signups, useGrab } from '../../use-grab';
import '../../coupons.scss';
import { withCareMode } from '../../../../stores/care-mode';

/** One batch (shared cards and mini-program codes open here): grab it, or sign up for the lottery and see its recorded draw. */
function BatchPage() {
  const [id, setId] = useState('');
  const [batch, setBatch] = useState<BatchView | null>(null);
  const [draw, setDraw] = useState<DrawView | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(async (batchId: string) => {
    try {
      const loaded = (await couponsApi.batch(batchId)).batch;
      setDraw(loaded.mode === 'lottery' && loaded.phase === 'ended' ? await governmentCouponsApi.drawOf(batchId) : null);
      // Signed up on another phone (or before a reinstall): the server says so, and this phone remembers it.
      const userId = currentUserId();
      if (loaded.mode === 'lottery' && userId && !signups.has(userId, batchId)) {
        const mine = await governmentCouponsApi.signupStatus(batchId).catch(() => null);
        if (mine?.signedUp) signups.add(userId, batchId);
      }
      setBatch(loaded);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, []);
  useLoad((params: Record<string, string | undefined>) => {
    const batchId = params.id ?? '';
    setId(batchId);
    void load(batchId);
  });
  const grab = useGrab(() => void load(id));
  useShareAppMessage(() => ({ title: batch?.title ?? '领券', path: sharePath('cb', id) }));
  if (failed) return <ErrorState onRetry={() => void load(id)} />;
  if (!batch) return <LoadingState />;
  const signedUp = batch.mode === 'lottery' && isSignedUp(batch.id);
  const status = batch.mode === 'lottery' ? lotteryStatus(batch, draw, currentUserId(), signedUp) : null;
  return (
    <View data-testid="cp-batch-page">
      <BatchCard batch={batch} busy={grab.busy === batch.id} signedUp={signedUp} onAction={() => void grab.act(batch)} />
      {status ? (
        <View className="cp-section" data-testid="cp-lottery">
          <View className="cp-lottery__status" data-testid="cp-lottery-status">
            {lotteryStatusText(status)}
          </View>
          <View className="cp-card__meta">
            报名时间 {shanghaiTime(batch.claimStartsAt)} 至 {shanghaiTime(batch.claimEndsAt)}，截止后公开抽签，共 {batch.totalStock}{' '}
            张，每人最多中 1 张
          </View>
          {status.kind === 'won' ? (
            <View className="cp-card__meta" onClick={() => go('/subpackages/coupons/pages/mine/index')}>
              去“我的券”查看
            </View>
          ) : null}
          {draw ? (
            <View className="cp-lottery__seed" data-testid="cp-lottery-seed">
              {shanghaiTime(draw.drawnAt)} 开奖 · 随机种子 {draw.seed}（报名名单与中签名单已公开，可凭种子复核）
            </View>
          ) : null}
        </View>
      ) : null}
      {batch.description ? <View className="cp-section">{batch.description}</View> : null}
      <View className="cp-section">
        {batch.validity.type === 'fixed' ? `有效期至 ${batch.validity.until.slice(0, 10)}` : `领取后 ${batch.validity.days} 天内有效`} ·{' '}
        {batch.issuer.type === 'government' ? `政府消费券，${batch.merchantIds.length} 家商户可用` : '本店可用'}
      </View>
    </View>
  );
}

export default withCareMode(BatchPage);
