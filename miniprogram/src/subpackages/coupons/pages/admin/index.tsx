import type { BatchView, DrawView } from '@shared/schemas/coupons';
import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { Button, EmptyState, PagedList } from '../../../../components/ui';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { useSession } from '../../../../hooks/use-session';
import { isApiError } from '../../../../services/core/api-error';
import { couponValueText, shanghaiTime } from '../../../../services/coupons.api';
import { go } from '../../../../utils/navigate';
import { hasRole } from '../../../../utils/roles';
import { governmentCouponsApi } from '../../government.api';
import '../../coupons.scss';
import { withCareMode } from '../../../../stores/care-mode';

const PHASE = { upcoming: '未开始', open: '进行中', ended: '已结束' } as const;

/**
 * 政府消费券 (admins; editors may look): every government batch, 先到先得 or 抽签, with its window; an
 * admin issues a new one and, once a lottery's sign-up has closed, draws it (the seed is recorded and public).
 */
function GovernmentCouponsPage() {
  const { user } = useSession();
  const [draws, setDraws] = useState<Record<string, DrawView | null>>({});
  const [busy, setBusy] = useState<string | null>(null);
  // Each page brings the draws of its ended lotteries along, so a card never shows 开奖 for a drawn batch.
  const list = usePagedList<BatchView>(async (cursor) => {
    const page = await governmentCouponsApi.batches(cursor);
    const ended = page.items.filter((b) => b.mode === 'lottery' && b.phase === 'ended');
    const drawn = await Promise.all(ended.map(async (b) => [b.id, await governmentCouponsApi.drawOf(b.id)] as const));
    setDraws((all) => ({ ...all, ...Object.fromEntries(drawn) }));
    return page;
  });
  // Back from 发放: the new batch shows up.
  useDidShow(() => list.reload());

  const draw = async (b: BatchView) => {
    const ok = await Taro.showModal({ title: '开奖', content: `现在为“${b.title}”抽签？抽签结果公开且不能重来。` });
    if (!ok.confirm) return;
    setBusy(b.id);
    try {
      const { draw: d } = await governmentCouponsApi.draw(b.id);
      setDraws((all) => ({ ...all, [b.id]: d }));
      void Taro.showToast({ title: `已开奖，中签 ${d.winners.length} 人`, icon: 'none' });
    } catch (err) {
      if (isApiError(err) && err.code === 'COUPON_ALREADY_DRAWN') {
        // The minute job (or another admin) drew it first: show that draw.
        void Taro.showToast({ title: '已由系统开奖', icon: 'none' });
        const drawn = await governmentCouponsApi.drawOf(b.id);
        setDraws((all) => ({ ...all, [b.id]: drawn }));
        return;
      }
      void Taro.showToast({ title: isApiError(err) ? err.message : '开奖失败，请稍后再试', icon: 'none' });
    } finally {
      setBusy(null);
    }
  };

  if (!hasRole(user, 'admin', 'editor')) return <EmptyState title="仅管理员和编辑可以使用" />;
  const admin = hasRole(user, 'admin');
  return (
    <View data-testid="cp-admin">
      {admin ? (
        <View className="cp-section">
          <Button type="primary" block data-testid="cp-admin-issue" onClick={() => go('/subpackages/coupons/pages/issue/index')}>
            发放政府消费券
          </Button>
        </View>
      ) : (
        <View className="cp-section cp-card__meta">发放和开奖由管理员操作</View>
      )}
      <PagedList
        testId="cp-admin-list"
        state={list.state}
        onRetry={list.reload}
        emptyTitle="还没有政府消费券"
        renderItem={(b) => {
          const d = draws[b.id];
          return (
            <View key={b.id} className="cp-section" data-testid="cp-admin-batch">
              <View className="cp-card__title" onClick={() => go(`/subpackages/coupons/pages/batch/index?id=${b.id}`)}>
                {b.title}
              </View>
              <View className="cp-card__meta">
                {couponValueText(b)} · 共 {b.totalStock} 张 · {b.merchantIds.length} 家商户 · {b.mode === 'lottery' ? '抽签' : '先到先得'} ·{' '}
                {PHASE[b.phase]}
              </View>
              <View className="cp-card__meta">
                {b.mode === 'lottery' ? '报名' : '领取'} {shanghaiTime(b.claimStartsAt)} 至 {shanghaiTime(b.claimEndsAt)}
                {b.remaining !== null ? ` · 剩余 ${b.remaining} 张` : ''}
              </View>
              {b.mode === 'lottery' && b.phase === 'ended' ? (
                d ? (
                  <View className="cp-lottery__seed" data-testid="cp-admin-drawn">
                    已于 {shanghaiTime(d.drawnAt)} 开奖：报名 {d.entrants.length} 人，中签 {d.winners.length} 人 · 种子 {d.seed}
                  </View>
                ) : admin ? (
                  <View className="cp-card__meta">
                    报名截止后一分钟内系统自动开奖，也可现在开奖{' '}
                    <Button size="small" type="primary" loading={busy === b.id} data-testid="cp-admin-draw" onClick={() => void draw(b)}>
                      开奖
                    </Button>
                  </View>
                ) : (
                  <View className="cp-card__meta">待开奖（报名截止后一分钟内自动开奖）</View>
                )
              ) : null}
            </View>
          );
        }}
      />
    </View>
  );
}

export default withCareMode(GovernmentCouponsPage);
