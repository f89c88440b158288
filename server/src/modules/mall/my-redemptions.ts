import QRCode from 'qrcode';
import { oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { GateLoading } from './gate-loading';
import { RedemptionModel } from './mall.model';
import type { MallService } from './mall.types';
import { toRedemption } from './mall.views';
import type { RedeemGate } from './redeem-gate';
import type { RedemptionStore } from './redemption-store';

export interface MyRedemptionsDeps {
  gate: RedeemGate;
  loading: Pick<GateLoading, 'writePending'>;
  redemptions: RedemptionStore;
}

/** 我的兑换: a user's redemptions, one of them, and its pickup QR code (what the gate admitted is written first); the admin's list of all. */
export function createMyRedemptions({
  gate,
  loading,
  redemptions,
}: MyRedemptionsDeps): Pick<MallService, 'myRedemptions' | 'allRedemptions' | 'getRedemption' | 'qrCode'> {
  return {
    async myRedemptions(userId, { cursor, limit }) {
      // Just redeemed and its batch not written yet: write it now so the list shows it.
      if ((await gate.pendingCount(userId)) > 0) await loading.writePending((await gate.state('u', userId, Date.now())).pending);
      const { docs, nextCursor } = await pageByIdDesc(RedemptionModel, { userId: oid(userId) }, { cursor, limit });
      return { items: docs.map(toRedemption), nextCursor };
    },

    async allRedemptions({ status, deliveryMode, cursor, limit }) {
      const filter = { ...(status ? { status } : {}), ...(deliveryMode ? { deliveryMode } : {}) };
      const { docs, nextCursor } = await pageByIdDesc(RedemptionModel, filter, { cursor, limit });
      return { items: docs.map(toRedemption), nextCursor };
    },

    async getRedemption(actor, id) {
      const doc = await redemptions.mustRedemption(id);
      redemptions.assertOwnerOrAdmin(actor, doc);
      return toRedemption(doc);
    },

    async qrCode(actor, id) {
      const doc = await redemptions.mustRedemption(id);
      if (doc.userId.toHexString() !== actor.id) throw new AppError('REDEMPTION_NOT_FOUND');
      if (doc.status === 'cancelled') throw new AppError('REDEMPTION_CANCELLED');
      if (doc.status === 'fulfilled') throw new AppError('REDEMPTION_ALREADY_FULFILLED');
      return { code: doc.code, qrDataUrl: await QRCode.toDataURL(doc.code, { errorCorrectionLevel: 'M', margin: 2, width: 280 }) };
    },
  };
}
