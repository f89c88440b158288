import { Types } from 'mongoose';
import QRCode from 'qrcode';
import { COUPON_QR_PREFIX, type CouponStatus, type CouponView } from '@shared/schemas/coupons';
import { assertOwner, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid, pageByKey } from '../../core/db';
import { AppError } from '../../core/errors';
import { toCouponView } from './coupon-views';
import { CouponModel, type CouponDoc } from './coupons.model';
import type { DurableWriter } from './durable-writer';

export interface MyCouponsDeps {
  clock: Clock;
  durable: DurableWriter;
}

/** 我的券: a holder's coupons and the QR code shown at the counter (both wait for records still being written). */
export function createMyCoupons({ clock, durable }: MyCouponsDeps) {
  return {
    /** The holder's coupons, the latest claimed first, a page at a time. */
    async mine(
      actor: RoleHolder,
      { status, cursor, limit }: { status?: CouponStatus; cursor?: string; limit: number },
    ): Promise<{ items: CouponView[]; nextCursor: string | null }> {
      // A coupon answered a moment ago may still be in the writer's current batch.
      await durable.idle();
      const filter: Record<string, unknown> = { userId: oid(actor.id) };
      if (status) filter.status = status;
      const { docs, nextCursor } = await pageByKey(CouponModel, filter, { cursor, limit }, { key: 'claimedAt', order: -1 });
      return { items: docs.map(toCouponView), nextCursor };
    },

    /** The QR code a holder shows at the counter (only its holder may see it). */
    async qrCode(actor: RoleHolder, couponId: string): Promise<{ payload: string; dataUrl: string; validUntil: string }> {
      const find = () => (Types.ObjectId.isValid(couponId) ? CouponModel.findById(couponId).lean<CouponDoc>() : null);
      // Shown right after the grab, the record may still be in the writer's current batch.
      const doc = (await find()) ?? (await durable.idle().then(find));
      if (!doc || doc.userId.toHexString() !== actor.id) throw new AppError('COUPON_NOT_FOUND');
      assertOwner(actor, doc.userId);
      if (doc.status === 'used') throw new AppError('COUPON_ALREADY_USED');
      if (doc.status === 'expired' || doc.validUntil <= clock.now()) throw new AppError('COUPON_EXPIRED');
      const payload = `${COUPON_QR_PREFIX}${doc.code}`;
      const dataUrl = await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, width: 320 });
      return { payload, dataUrl, validUntil: doc.validUntil.toISOString() };
    },
  };
}
