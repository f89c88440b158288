import type { Types } from 'mongoose';
import type { Clock } from '../../core/clock';
import { isAppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { shanghaiDateTime } from '../../core/time';
import type { WechatClient } from '../../core/wechat';
import type { UsersService } from '../users';
import { DAY_MS } from './coupon-rules';
import { CouponModel, type CouponDoc } from './coupons.model';

export interface ExpiryDeps {
  clock: Clock;
  logger: Logger;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  users: Pick<UsersService, 'openidOf'>;
  /** Subscribe-message template for "your coupon expires tomorrow" (the mini-program asks for it when a coupon is claimed). */
  expiryTemplateId: string;
}

/** Coupons that lapse: marked expired, and their holders reminded the day before. */
export function createExpiry({ clock, logger, wechat, users, expiryTemplateId }: ExpiryDeps) {
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
        const openid = await users.openidOf(doc.userId.toHexString());
        if (!openid) continue;
        try {
          await wechat.sendSubscribeMessage({
            touser: openid,
            templateId: expiryTemplateId,
            data: {
              thing1: doc.title.slice(0, 20),
              time2: shanghaiDateTime(doc.validUntil),
              thing3: '优惠券明天到期，请尽快使用',
            },
          });
          reminded += 1;
        } catch (err) {
          // No subscription left is the user's choice, not a failure of the job.
          if (!(isAppError(err) && err.code === 'WECHAT_SUBSCRIPTION_REFUSED')) logger.warn({ err }, 'coupon expiry reminder not sent');
        }
      }
      return { expired: expired.modifiedCount, reminded };
    },
  };
}
