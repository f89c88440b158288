import { Types, type QueryFilter } from 'mongoose';
import type { Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { GateLoading } from './gate-loading';
import type { GoodsStore } from './goods-store';
import type { MallAudit } from './mall-audit';
import { checkGoods, mergedGoodsWindow } from './mall-rules';
import { GoodsModel, type GoodsDoc } from './mall.model';
import type { MallService } from './mall.types';
import { toGoods } from './mall.views';

export interface GoodsAdminDeps {
  clock: Clock;
  goods: GoodsStore;
  loading: Pick<GateLoading, 'frozen'>;
  audit: MallAudit;
}

type GoodsAdmin = Pick<
  MallService,
  'createGoods' | 'updateGoods' | 'adjustStock' | 'archiveGoods' | 'listGoods' | 'getGoods' | 'goodsNames'
>;

/** The goods on offer: listed and shown, and (admin) created, edited, restocked and archived, each edit audited. */
export function createGoodsAdmin({ clock, goods, loading, audit }: GoodsAdminDeps): GoodsAdmin {
  return {
    async createGoods(actor: Actor, body) {
      checkGoods(body);
      const now = clock.now();
      const doc = await GoodsModel.create({
        ...body,
        activeFrom: body.activeFrom ? new Date(body.activeFrom) : null,
        activeUntil: body.activeUntil ? new Date(body.activeUntil) : null,
        createdBy: oid(actor.id),
        createdAt: now,
        updatedAt: now,
      });
      await audit(actor, 'mall.goods.create', doc._id.toHexString(), { name: body.name, price: body.price, stock: body.stock });
      return toGoods(doc.toObject(), now);
    },

    async updateGoods(actor, id, patch) {
      const before = await goods.mustGoods(id);
      const { stock, ...rest } = patch;
      if (stock !== undefined) throw new AppError('GOODS_INVALID', { message: '库存请用增减库存接口修改' });
      checkGoods(mergedGoodsWindow(before, rest));
      const set: Record<string, unknown> = { ...rest, updatedAt: clock.now() };
      if (rest.activeFrom !== undefined) set.activeFrom = rest.activeFrom ? new Date(rest.activeFrom) : null;
      if (rest.activeUntil !== undefined) set.activeUntil = rest.activeUntil ? new Date(rest.activeUntil) : null;
      const doc = await GoodsModel.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after', lean: true });
      await goods.changed(id);
      await audit(actor, 'mall.goods.update', id, { fields: Object.keys(rest) });
      return toGoods(doc as GoodsDoc, clock.now());
    },

    async adjustStock(actor, id, delta) {
      await goods.mustGoods(id);
      // Frozen: units the gate already gave out are written first, so "never below zero" is about real stock.
      const doc = await loading.frozen([], [id], async () => {
        const filter: QueryFilter<GoodsDoc> = { _id: oid(id) };
        if (delta < 0) filter.stock = { $gte: -delta };
        return GoodsModel.findOneAndUpdate(
          filter,
          { $inc: { stock: delta }, $set: { updatedAt: clock.now() } },
          { returnDocument: 'after', lean: true },
        );
      });
      goods.forget(id);
      if (!doc) throw new AppError('GOODS_INVALID', { message: '库存不足以扣减' });
      await audit(actor, 'mall.goods.stock', id, { delta, stockAfter: doc.stock });
      return toGoods(doc as GoodsDoc, clock.now());
    },

    async archiveGoods(actor, id) {
      await goods.mustGoods(id);
      await GoodsModel.updateOne({ _id: oid(id) }, { $set: { archivedAt: clock.now(), updatedAt: clock.now() } });
      await goods.changed(id);
      await audit(actor, 'mall.goods.archive', id, {});
    },

    async listGoods({ cursor, limit }, all = false) {
      const now = clock.now();
      const filter: QueryFilter<GoodsDoc> = { archivedAt: { $exists: false } };
      if (!all) {
        filter.$and = [
          { $or: [{ activeFrom: null }, { activeFrom: { $lte: now } }] },
          { $or: [{ activeUntil: null }, { activeUntil: { $gt: now } }] },
        ];
      }
      const { docs, nextCursor } = await pageByIdDesc(GoodsModel, filter, { cursor, limit });
      return { items: docs.map((d) => toGoods(d, now)), nextCursor };
    },

    async goodsNames(ids) {
      const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
      if (valid.length === 0) return new Map();
      const docs = await GoodsModel.find({ _id: { $in: valid } }, { name: 1 }).lean<Pick<GoodsDoc, '_id' | 'name'>[]>();
      return new Map(docs.map((d) => [d._id.toHexString(), d.name]));
    },

    async getGoods(id) {
      return toGoods(await goods.mustGoods(id), clock.now());
    },
  };
}
