import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { PointsService } from '../points';
import type { GoodsStore } from './goods-store';
import { RedemptionModel, type GoodsDoc } from './mall.model';
import type { EntityState, PendingRedemption, RedeemGate } from './redeem-gate';
import { writeRedemptions, type RedeemWriterDeps } from './redeem-writer';

const LOAD_ATTEMPTS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface GateLoadingDeps {
  clock: Clock;
  logger: Logger;
  gate: RedeemGate;
  goods: GoodsStore;
  /** What writing pending redemptions needs (the gate, the logger and the ledger's transaction and debits). */
  writer: RedeemWriterDeps;
  points: Pick<PointsService, 'spendable' | 'expireLapsed'>;
}

export type GateLoading = ReturnType<typeof createGateLoading>;

/**
 * Filling the gate's caches from MongoDB and keeping them honest (the design note in mall.service.ts): a
 * load writes what is pending for its user or goods first and gives up its result if anything moved while
 * it read; a write outside the gate runs frozen.
 */
export function createGateLoading({ clock, logger, gate, goods, writer, points }: GateLoadingDeps) {
  async function writePending(items: PendingRedemption[]): Promise<void> {
    if (items.length > 0) await writeRedemptions(writer, items);
  }

  /**
   * Loads one cache (a user's account or goods' stock): reads the gate's state, writes what is pending for
   * it, waits while it is frozen, then `load` reads MongoDB and sets the cache under the generation read.
   * `load` answers null when the cache can't be set yet (try again), else what the caller wants.
   */
  async function loadWhenQuiet<T>(kind: 'u' | 'g', id: string, load: (st: EntityState) => Promise<T | null>): Promise<T> {
    for (let i = 0; i < LOAD_ATTEMPTS; i++) {
      const st = await gate.state(kind, id, Date.now());
      if (st.pending.length > 0) {
        await writePending(st.pending);
        continue;
      }
      if (st.busy) {
        await sleep(5 + Math.random() * 20);
        continue;
      }
      const loaded = await load(st);
      if (loaded !== null) return loaded;
    }
    throw new AppError('POINTS_BUSY');
  }

  return {
    writePending,

    /** The user's spendable balance into the gate, from MongoDB (after writing what is pending for them). */
    async loadAccount(userId: string): Promise<void> {
      await loadWhenQuiet('u', userId, async (st) => {
        const { balance, firstExpiry } = await points.spendable(userId);
        if (firstExpiry && firstExpiry <= clock.now()) {
          await points.expireLapsed(userId);
          return null;
        }
        const loaded = await gate.loadAccount(userId, st.gen, Date.now(), balance, firstExpiry?.getTime() ?? 0);
        return loaded >= 0 ? true : null;
      });
    },

    /** The goods' stock (and per-user counts when it has a limit) into the gate, from MongoDB. */
    loadGoods(goodsId: string): Promise<GoodsDoc> {
      return loadWhenQuiet('g', goodsId, async (st) => {
        const doc = await goods.mustGoods(goodsId);
        const held =
          doc.perUserLimit === null
            ? []
            : (
                await RedemptionModel.aggregate<{ _id: Types.ObjectId; n: number }>([
                  { $match: { goodsId: doc._id, status: { $ne: 'cancelled' } } },
                  { $group: { _id: '$userId', n: { $sum: 1 } } },
                ])
              ).map((h): [string, number] => [h._id.toHexString(), h.n]);
        const limits = { stock: doc.stock, price: doc.price, limit: doc.perUserLimit ?? 0 };
        const loaded = await gate.loadGoods(goodsId, st.gen, Date.now(), limits, held);
        return loaded >= 0 ? doc : null;
      });
    },

    /**
     * Runs a MongoDB write outside the gate for these users and goods, frozen: their caches dropped and not
     * reloaded until it is done, their pending redemptions written first (see the design note in mall.service.ts).
     */
    async frozen<T>(users: string[], goodsIds: string[], fn: () => Promise<T>): Promise<T> {
      const token = randomUUID();
      const pending = await gate.freeze(token, Date.now(), users, goodsIds);
      try {
        await writePending(pending);
        return await fn();
      } finally {
        await gate.thaw(token, users, goodsIds).catch((err: unknown) => logger.warn({ err }, 'mall gate thaw failed'));
      }
    },
  };
}
