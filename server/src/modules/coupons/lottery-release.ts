import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { DrawView } from '@shared/schemas/coupons';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { duplicateKeysOnly, isDuplicateKey, oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { workDue } from '../../core/work-due';
import type { BatchStore } from './batch-store';
import { couponRecord } from './coupon-rules';
import { toDrawView } from './coupon-views';
import { CouponBatchModel, CouponModel, LotteryEntryModel, type CouponBatchDoc } from './coupons.model';
import { drawWinners } from './lottery';

/** Gives a drawn batch's winners their coupons; a re-run skips those who hold one already. Returns how many were written. */
export async function issueLotteryCoupons(batch: CouponBatchDoc): Promise<number> {
  const draw = batch.draw;
  if (!draw) return 0;
  const docs = draw.winners.map((w) => couponRecord(batch, new Types.ObjectId(), w.toHexString(), 1, draw.drawnAt, 'lottery'));
  if (docs.length === 0) return 0;
  try {
    await CouponModel.collection.insertMany(docs, { ordered: false });
    return docs.length;
  } catch (err) {
    // A re-run after a crash: winners already holding their coupon hit (batchId, userId, seq) and are skipped.
    const skipped = duplicateKeysOnly(err);
    if (skipped === null) throw err;
    return docs.length - skipped;
  }
}

export interface LotteryReleaseDeps {
  clock: Clock;
  store: BatchStore;
}

/** Lottery releases (government coupons): sign-up during the window, then one recorded, reproducible draw. */
export function createLotteryRelease({ clock, store }: LotteryReleaseDeps) {
  async function mustFindLottery(batchId: string, cached = false): Promise<CouponBatchDoc> {
    const batch = await store.mustFindBatch(batchId, cached);
    if (batch.mode !== 'lottery') throw new AppError('COUPON_NOT_LOTTERY');
    return batch;
  }

  /** Draws a lottery batch once (admin's 开奖 or the job): seed and sorted entrants recorded, winners get coupons. */
  async function drawBatch(batch: CouponBatchDoc, drawnBy: string | null, seed?: string): Promise<DrawView> {
    if (batch.mode !== 'lottery') throw new AppError('COUPON_NOT_LOTTERY');
    const now = clock.now();
    if (now < batch.claimEndsAt) throw new AppError('COUPON_DRAW_NOT_READY');
    if (batch.draw) throw new AppError('COUPON_ALREADY_DRAWN');
    const entries = await LotteryEntryModel.find({ batchId: batch._id }, { userId: 1 }).lean<Array<{ userId: Types.ObjectId }>>();
    const entrants = entries.map((e) => e.userId.toHexString()).sort();
    const drawSeed = seed ?? randomBytes(32).toString('hex');
    const winners = drawWinners(drawSeed, entrants, batch.totalStock);
    const draw = {
      seed: drawSeed,
      entrants: entrants.map(oid),
      winners: winners.map(oid),
      drawnAt: now,
      ...(drawnBy ? { drawnBy: oid(drawnBy) } : {}),
    };
    const updated = await CouponBatchModel.findOneAndUpdate(
      { _id: batch._id, draw: { $exists: false } },
      { $set: { draw } },
      { returnDocument: 'after' },
    ).lean<CouponBatchDoc>();
    if (!updated) throw new AppError('COUPON_ALREADY_DRAWN');
    store.forget(batch._id.toHexString());
    await issueLotteryCoupons(updated);
    return toDrawView(updated);
  }

  return {
    async signUp(actor: RoleHolder, batchId: string): Promise<{ signedUp: true; entrants: number }> {
      const batch = await mustFindLottery(batchId, true);
      const now = clock.now();
      if (now < batch.claimStartsAt || now >= batch.claimEndsAt)
        throw new AppError('COUPON_SIGNUP_CLOSED', {
          details: { startsAt: batch.claimStartsAt.toISOString(), endsAt: batch.claimEndsAt.toISOString() },
        });
      try {
        await LotteryEntryModel.create({ batchId: batch._id, userId: oid(actor.id), createdAt: now });
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('COUPON_ALREADY_SIGNED_UP');
        throw err;
      }
      return { signedUp: true, entrants: await LotteryEntryModel.countDocuments({ batchId: batch._id }) };
    },

    /** Whether this user is signed up for a lottery batch (any device shows the same 已报名), and how many are. */
    async signupStatus(actor: RoleHolder, batchId: string): Promise<{ signedUp: boolean; entrants: number }> {
      const batch = await mustFindLottery(batchId, true);
      const [mine, entrants] = await Promise.all([
        LotteryEntryModel.exists({ batchId: batch._id, userId: oid(actor.id) }),
        LotteryEntryModel.countDocuments({ batchId: batch._id }),
      ]);
      return { signedUp: mine !== null, entrants };
    },

    /** The draw (admin, after sign-up closes): a fresh seed is recorded with the entrants, then winners get coupons. */
    async draw(actor: RoleHolder, batchId: string, seed?: string): Promise<DrawView> {
      authorize(actor, { role: 'admin' });
      return drawBatch(await store.mustFindBatch(batchId), actor.id, seed);
    },

    /**
     * The cron job's part: every lottery whose sign-up closed and that nobody drew yet is drawn now, by the
     * system (drawnBy empty). Several processes may run it: the recorded draw is set only where none is, so a
     * batch is drawn once whoever gets there first (an admin's 开奖 included).
     */
    async drawDue(now: Date = clock.now()): Promise<{ drawn: number }> {
      const due = await CouponBatchModel.find({ mode: 'lottery', claimEndsAt: { $lte: now }, draw: { $exists: false } })
        .limit(50)
        .lean<CouponBatchDoc[]>();
      return { drawn: await workDue(due, (batch) => drawBatch(batch, null), 'COUPON_ALREADY_DRAWN') };
    },

    async getDraw(batchId: string): Promise<DrawView> {
      const batch = await mustFindLottery(batchId);
      if (!batch.draw) throw new AppError('NOT_FOUND', { message: '尚未抽签' });
      return toDrawView(batch);
    },

    drawView: toDrawView,
  };
}
