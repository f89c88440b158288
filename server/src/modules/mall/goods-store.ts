import { Types } from 'mongoose';
import { AppError } from '../../core/errors';
import { GoodsModel, type GoodsDoc } from './mall.model';
import type { RedeemGate } from './redeem-gate';

const GOODS_CACHE_MS = 2_000;

export type GoodsStore = ReturnType<typeof createGoodsStore>;

/**
 * Stored goods and the redeem path's copy of them. Goods change rarely: a short in-process cache keeps
 * MongoDB out of the hot path (the price charged is checked against the gate's, loaded from MongoDB; name
 * and window may lag another process's edit ≤ 2 s).
 */
export function createGoodsStore(gate: RedeemGate) {
  const goodsCache = new Map<string, { doc: GoodsDoc; at: number }>();

  async function mustGoods(id: string): Promise<GoodsDoc> {
    if (!Types.ObjectId.isValid(id)) throw new AppError('GOODS_NOT_FOUND');
    const doc = await GoodsModel.findById(id).lean<GoodsDoc>();
    if (!doc || doc.archivedAt) throw new AppError('GOODS_NOT_FOUND');
    goodsCache.set(id, { doc, at: Date.now() });
    return doc;
  }

  return {
    /** Unarchived goods from MongoDB (GOODS_NOT_FOUND otherwise); the read refreshes the cache. */
    mustGoods,

    /** The cached copy while fresh, else mustGoods. */
    async cachedGoods(id: string): Promise<GoodsDoc> {
      const hit = goodsCache.get(id);
      if (hit && Date.now() - hit.at < GOODS_CACHE_MS) return hit.doc;
      return mustGoods(id);
    },

    /** Drops this process's copy (after a stock change, whose gate cache the freeze already dropped). */
    forget(id: string): void {
      goodsCache.delete(id);
    },

    /** After an edit of goods: the gate reloads price, limit and stock from MongoDB on its next request. */
    async changed(id: string): Promise<void> {
      goodsCache.delete(id);
      await gate.invalidate([], [id]);
    },
  };
}
