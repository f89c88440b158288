import type { Types } from 'mongoose';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import { shanghaiDateTime } from '../../core/time';
import type { NotificationsService } from '../notifications';
import { DAY_MS } from './coupon-rules';
import { CouponModel, type CouponDoc } from './coupons.model';

export interface ExpiryDeps {
  clock: Clock;
  logger: Logger;
  notifications: Pick<NotificationsService, 'raise'>;
}

/** Coupons that lapse: marked expired, and their holders reminded the day before. */
export function createExpiry({ clock, logger, notifications }: ExpiryDeps) {
  return {
    /**
     * The expiry job's work: lapsed unused coupons become expired, and holders of coupons lapsing within
     * a day get one subscribe message each (remindedAt is set first, atomically, so a coupon is announced once).
     */
    async expireAndRemind(now: Date = clock.now()): Promise<{ expired: number; reminded: number }> {
      const expired = await CouponModel.updateMany(
        { status: 'unused', validUntil: { $lte: now } },
        { $set: { status: 'expired', expiredAt: now } },
      );
      const soon = await CouponModel.find(
        { status: 'unused', validUntil: { $gt: now, $lte: new Date(now.getTime() + DAY_MS) }, remindedAt: { $exists: false } },
        { _id: 1 },
      )
        .limit(5000)
        .lean<Array<{ _id: Types.ObjectId }>>();
      let reminded = 0;
      for (const { _id } of soon) {
        const doc = await CouponModel.findOneAndUpdate(
          { _id, remindedAt: { $exists: false } },
          { $set: { remindedAt: now } },
          { returnDocument: 'after' },
        ).lean<CouponDoc>();
        if (!doc) continue;
        try {
          const { subscribe } = await notifications.raise({
            userId: doc.userId.toHexString(),
            kind: 'coupons',
            key: `coupons:expiry:${doc._id.toHexString()}`,
            title: '优惠券明天到期',
            body: `你的「${doc.title}」将于 ${shanghaiDateTime(doc.validUntil)} 到期，请尽快使用`,
            link: 'subpackages/coupons/pages/mine/index',
            subscribe: {
              templateKey: 'couponExpiry',
              data: { title: doc.title, expiresAt: doc.validUntil, hint: '优惠券明天到期，请尽快使用' },
            },
          });
          if (subscribe === 'sent') reminded += 1;
        } catch (err) {
          // remindedAt is set: the coupon page still shows the date; a lost in-app notice is logged, not retried.
          logger.warn({ err, couponId: doc._id.toHexString() }, 'coupon expiry reminder not raised');
        }
      }
      return { expired: expired.modifiedCount, reminded };
    },
  };
}
