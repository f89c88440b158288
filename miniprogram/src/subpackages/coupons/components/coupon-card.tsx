import type { BatchView } from '@shared/schemas/coupons';
import { Text, View } from '@tarojs/components';
import { couponValueParts, shanghaiTime } from '../../../services/coupons.api';
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

/** The fixed-width value column of a coupon card: the big number and unit, the condition under it. */
export function CouponValue({ coupon }: { coupon: { kind: BatchView['kind']; value: number; threshold: number } }) {
  const { amount, unit, condition } = couponValueParts(coupon);
  return (
    <View className="cp-card__value">
      <View className="cp-card__amount">
        <Text className="cp-card__number">{amount}</Text>
        <Text className="cp-card__unit">{unit}</Text>
      </View>
      <View className="cp-card__condition">{condition}</View>
    </View>
  );
}

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
    <View className="cp-card cp-card--ticket" data-testid="cp-batch">
      <CouponValue coupon={batch} />
      <View className="cp-card__body" onClick={onOpen}>
        <View className="cp-card__title cp-card__title--one-line">{batch.title}</View>
        <View className="cp-card__meta">
          {batch.remaining === null ? `共 ${batch.totalStock} 张，报名后抽签` : `剩余 ${batch.remaining} / ${batch.totalStock} 张`} ·
          每人限领 {batch.perUserLimit} 张
        </View>
        <View className="cp-card__foot">
          <View className="cp-card__meta cp-card__when">
            {batch.phase === 'upcoming'
              ? `${shanghaiTime(batch.claimStartsAt)} ${batch.mode === 'lottery' ? '开始报名' : '开抢'}`
              : `${batch.mode === 'lottery' ? '报名截止' : '截止'} ${shanghaiTime(batch.claimEndsAt)}`}
          </View>
          {onAction && (
            <Button
              className="cp-card__action"
              size="mini"
              type="primary"
              data-testid="cp-grab"
              disabled={busy || batch.phase !== 'open' || soldOut || (lotteryOpen && signedUp)}
              onClick={(e) => {
                // The body opens the batch; the button only grabs.
                e.stopPropagation();
                onAction();
              }}
            >
              {label}
            </Button>
          )}
        </View>
      </View>
    </View>
  );
}
