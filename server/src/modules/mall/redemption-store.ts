import { Types } from 'mongoose';
import { can, type Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import type { GateLoading } from './gate-loading';
import { isOutletStaff } from './mall-rules';
import { RedemptionModel, type RedemptionDoc } from './mall.model';
import type { RedeemGate } from './redeem-gate';

export type RedemptionStore = ReturnType<typeof createRedemptionStore>;

/** Looking up redemptions, including those the gate admitted whose durable write has not landed yet (written first). */
export function createRedemptionStore({ gate, loading }: { gate: RedeemGate; loading: Pick<GateLoading, 'writePending'> }) {
  /** A redemption by id; one admitted but not yet in MongoDB is written first. */
  async function mustRedemption(id: string): Promise<RedemptionDoc> {
    if (!Types.ObjectId.isValid(id)) throw new AppError('REDEMPTION_NOT_FOUND');
    let doc = await RedemptionModel.findById(id).lean<RedemptionDoc>();
    if (!doc) {
      const pending = await gate.pendingById([id]);
      if (pending.length === 0) throw new AppError('REDEMPTION_NOT_FOUND');
      await loading.writePending(pending);
      doc = await RedemptionModel.findById(id).lean<RedemptionDoc>();
    }
    if (!doc) throw new AppError('REDEMPTION_NOT_FOUND');
    return doc;
  }

  return {
    mustRedemption,

    /** The holder or an admin; anyone else is told it does not exist. */
    assertOwnerOrAdmin(actor: Actor, doc: RedemptionDoc): void {
      if (doc.userId.toHexString() === actor.id) return;
      if (can(actor, { role: 'admin' })) return;
      // Someone else's redemption is reported as absent: its code must not leak.
      throw new AppError('REDEMPTION_NOT_FOUND');
    },

    /** The redemption a scanned code names, for staff of its outlet only. */
    async byCodeForStaff(staff: Actor, code: string): Promise<RedemptionDoc> {
      let doc = await RedemptionModel.findOne({ code }).lean<RedemptionDoc>();
      if (!doc) {
        // Scanned before its durable write landed: write it now.
        const id = await gate.pendingIdByCode(code);
        if (id) doc = await mustRedemption(id).catch(() => null);
      }
      if (!doc) throw new AppError('REDEMPTION_CODE_INVALID');
      if (!isOutletStaff(staff, doc.outletId)) throw new AppError('REDEMPTION_WRONG_OUTLET');
      return doc;
    },
  };
}
