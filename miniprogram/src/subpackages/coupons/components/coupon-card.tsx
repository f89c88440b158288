import type { BatchView } from '@shared/schemas/coupons';
import { View } from '@tarojs/components';
import { couponValueText, shanghaiTime } from '../../../services/coupons.api';
import { Button } from '../../../components/ui';

interface Props {
  batch: BatchView;
  busy?: boolean;
  onAction?: () => void;
  /** A lottery batch this user signed up for: the button reads 已报名. */
  signedUp?: boolean;
  /** Tapping the card's text opens the batch (details, the lottery's status and draw). */
  onOpen?: () => void;
}

const ACTION: Record<BatchView['phase'], string> = { upcoming: '即将开抢', open: '立即领取', ended: '已结束' };
const LOTTERY_ACTION: Record<BatchView['phase'], string> = { upcoming: '即将报名', open: '报名抽签', ended: '报名截止' };

/** A batch in 领券中心 / on a merchant page: value, title, live stock, and the grab (or sign-up) button. */
export function BatchCard({ batch, busy, onAction, signedUp = false, onOpen }: Props) {
  const soldOut = batch.remaining === 0;
  const lotteryOpen = batch.mode === 'lottery' && batch.phase === 'open';
  const label = lotteryOpen
    ? signedUp
      ? '已报名'
      : '报名抽签'
    : soldOut && batch.phase === 'open'
      ? '已抢完'
      : batch.mode === 'lottery'
        ? LOTTERY_ACTION[batch.phase]
        : ACTION[batch.phase];
  return (
    <View className="cp-card" data-testid="cp-batch">
      <View className="cp-card__value">{couponValueText(batch)}</View>
      <View className="cp-card__body" onClick={onOpen}>
        <View className="cp-card__title">{batch.title}</View>
        <View className="cp-card__meta">
          {batch.remaining === null ? `共 ${batch.totalStock} 张，报名后抽签` : `剩余 ${batch.remaining} / ${batch.totalStock} 张`} ·
          每人限领 {batch.perUserLimit} 张
        </View>
        <View className="cp-card__meta">
          {batch.phase === 'upcoming'
            ? `${shanghaiTime(batch.claimStartsAt)} ${batch.mode === 'lottery' ? '开始报名' : '开抢'}`
            : `${batch.mode === 'lottery' ? '报名截止' : '截止'} ${shanghaiTime(batch.claimEndsAt)}`}
        </View>
      </View>
      {onAction && (
        <Button
          size="mini"
          type="primary"
          data-testid="cp-grab"
          disabled={busy || batch.phase !== 'open' || soldOut || (lotteryOpen && signedUp)}
          onClick={onAction}
        >
          {label}
        </Button>
      )}
    </View>
  );
}
