import { randomInt } from 'node:crypto';
import { Types, type ClientSession, type QueryFilter } from 'mongoose';
import QRCode from 'qrcode';
import type { Goods, GoodsBody, Redemption, RedeemBody } from '@shared/schemas/points';
import type { Clock } from '../../core/clock';
import { can, type RoleHolder } from '../../core/auth';
import { AppError } from '../../core/errors';
import type { AuditService } from '../audit';
import { accountLockKey, withLocalLocks, type PointsService } from '../points';
import { GoodsModel, RedemptionModel, type GoodsDoc, type RedemptionDoc } from './mall.model';

export interface MallServiceDeps {
  clock: Clock;
  points: Pick<PointsService, 'withTransaction' | 'spend' | 'refund' | 'balance'>;
  audit: Pick<AuditService, 'record'>;
}

export interface Actor extends RoleHolder {
  requestId?: string;
}

export interface MallService {
  createGoods(actor: Actor, body: GoodsBody): Promise<Goods>;
  updateGoods(actor: Actor, id: string, patch: Partial<GoodsBody>): Promise<Goods>;
  /** Adds (or, never below zero, removes) stock. */
  adjustStock(actor: Actor, id: string, delta: number): Promise<Goods>;
  archiveGoods(actor: Actor, id: string): Promise<void>;
  /** Goods on sale now (public), or every unarchived one (admin). */
  listGoods(query: { cursor?: string; limit: number }, all?: boolean): Promise<{ items: Goods[]; nextCursor: string | null }>;
  getGoods(id: string): Promise<Goods>;
  /** Debits points and one unit of stock in one transaction. A retry with the same requestKey returns the same redemption. */
  redeem(
    userId: string,
    goodsId: string,
    requestKey: string,
    body: RedeemBody,
  ): Promise<{ redemption: Redemption; balance: number; replayed: boolean }>;
  myRedemptions(userId: string, query: { cursor?: string; limit: number }): Promise<{ items: Redemption[]; nextCursor: string | null }>;
  getRedemption(actor: Actor, id: string): Promise<Redemption>;
  qrCode(actor: Actor, id: string): Promise<{ code: string; qrDataUrl: string }>;
  /** What counter staff see after scanning: only staff of the goods' outlet. */
  preview(staff: Actor, code: string): Promise<Redemption>;
  /** 核销: once, by staff of the goods' outlet. */
  verify(staff: Actor, code: string): Promise<Redemption>;
  /** Admin marks a shipped redemption fulfilled. */
  markShipped(actor: Actor, id: string): Promise<Redemption>;
  /** Before fulfilment: refunds the points (new ledger entries) and restores the stock. Owner or admin. */
  cancel(actor: Actor, id: string, reason?: string): Promise<{ redemption: Redemption; balance: number }>;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 12 characters of a 32-letter alphabet without 0/O/1/I: 60 bits, read aloud or typed at the counter without confusion. */
function newCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

const goodsLockKey = (id: string) => `mall:goods:${id}`;
const oid = (id: string) => new Types.ObjectId(id);

function isActive(doc: GoodsDoc, now: Date): boolean {
  if (doc.archivedAt) return false;
  if (doc.activeFrom && now < doc.activeFrom) return false;
  if (doc.activeUntil && now >= doc.activeUntil) return false;
  return true;
}

function toGoods(doc: GoodsDoc, now: Date): Goods {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    images: doc.images,
    description: doc.description,
    price: doc.price,
    stock: doc.stock,
    perUserLimit: doc.perUserLimit ?? null,
    deliveryMode: doc.deliveryMode,
    outletId: doc.outletId ?? null,
    activeFrom: doc.activeFrom ? doc.activeFrom.toISOString() : null,
    activeUntil: doc.activeUntil ? doc.activeUntil.toISOString() : null,
    active: isActive(doc, now),
  };
}

function toRedemption(doc: RedemptionDoc): Redemption {
  return {
    id: doc._id.toHexString(),
    goodsId: doc.goodsId.toHexString(),
    goodsName: doc.goodsName,
    userId: doc.userId.toHexString(),
    price: doc.price,
    deliveryMode: doc.deliveryMode,
    outletId: doc.outletId ?? null,
    status: doc.status,
    code: doc.code,
    shipping: doc.shipping ? { name: doc.shipping.name, phone: doc.shipping.phone, address: doc.shipping.address } : null,
    createdAt: doc.createdAt.toISOString(),
    fulfilledAt: doc.fulfilledAt ? doc.fulfilledAt.toISOString() : null,
    cancelledAt: doc.cancelledAt ? doc.cancelledAt.toISOString() : null,
  };
}

function checkGoods(body: Pick<GoodsBody, 'deliveryMode' | 'outletId' | 'activeFrom' | 'activeUntil'>): void {
  if (body.deliveryMode === 'pickup' && !body.outletId)
    throw new AppError('GOODS_INVALID', { message: '到柜台领取的商品必须指定兑换网点' });
  if (body.activeFrom && body.activeUntil && new Date(body.activeFrom) >= new Date(body.activeUntil)) {
    throw new AppError('GOODS_INVALID', { message: '兑换开始时间必须早于结束时间' });
  }
}

/** Staff of the outlet: a merchant clerk (or anyone) granted in scope {type:'outlet', id}. Admins are not counter staff. */
function isOutletStaff(staff: RoleHolder, outletId: string | null): boolean {
  if (!outletId) return false;
  if (can(staff, { role: 'merchant_clerk', scope: { type: 'outlet', id: outletId }, adminOverride: false })) return true;
  return staff.roles.some((g) => g.scope?.type === 'outlet' && g.scope.id === outletId);
}

export function createMallService(deps: MallServiceDeps): MallService {
  const { clock, points } = deps;

  async function mustGoods(id: string, session?: ClientSession): Promise<GoodsDoc> {
    if (!Types.ObjectId.isValid(id)) throw new AppError('GOODS_NOT_FOUND');
    const doc = await GoodsModel.findById(id)
      .session(session ?? null)
      .lean<GoodsDoc>();
    if (!doc || doc.archivedAt) throw new AppError('GOODS_NOT_FOUND');
    return doc;
  }

  async function mustRedemption(id: string): Promise<RedemptionDoc> {
    if (!Types.ObjectId.isValid(id)) throw new AppError('REDEMPTION_NOT_FOUND');
    const doc = await RedemptionModel.findById(id).lean<RedemptionDoc>();
    if (!doc) throw new AppError('REDEMPTION_NOT_FOUND');
    return doc;
  }

  function assertOwnerOrAdmin(actor: Actor, doc: RedemptionDoc): void {
    if (doc.userId.toHexString() === actor.id) return;
    if (can(actor, { role: 'admin' })) return;
    // Someone else's redemption is reported as absent: its code must not leak.
    throw new AppError('REDEMPTION_NOT_FOUND');
  }

  async function byCodeForStaff(staff: Actor, code: string): Promise<RedemptionDoc> {
    const doc = await RedemptionModel.findOne({ code }).lean<RedemptionDoc>();
    if (!doc) throw new AppError('REDEMPTION_CODE_INVALID');
    if (!isOutletStaff(staff, doc.outletId)) throw new AppError('REDEMPTION_WRONG_OUTLET');
    return doc;
  }

  async function audit(actor: Actor, action: string, id: string, details: Record<string, unknown>) {
    await deps.audit.record({
      actorId: actor.id,
      action,
      target: { type: action.startsWith('mall.goods') ? 'goods' : 'redemption', id },
      details,
      ...(actor.requestId ? { requestId: actor.requestId } : {}),
    });
  }

  return {
    async createGoods(actor, body) {
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
      const before = await mustGoods(id);
      const { stock, ...rest } = patch;
      if (stock !== undefined) throw new AppError('GOODS_INVALID', { message: '库存请用增减库存接口修改' });
      const merged = {
        deliveryMode: rest.deliveryMode ?? before.deliveryMode,
        outletId: rest.outletId !== undefined ? rest.outletId : before.outletId,
        activeFrom: rest.activeFrom !== undefined ? rest.activeFrom : (before.activeFrom?.toISOString() ?? null),
        activeUntil: rest.activeUntil !== undefined ? rest.activeUntil : (before.activeUntil?.toISOString() ?? null),
      };
      checkGoods(merged);
      const set: Record<string, unknown> = { ...rest, updatedAt: clock.now() };
      if (rest.activeFrom !== undefined) set.activeFrom = rest.activeFrom ? new Date(rest.activeFrom) : null;
      if (rest.activeUntil !== undefined) set.activeUntil = rest.activeUntil ? new Date(rest.activeUntil) : null;
      const doc = await GoodsModel.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after', lean: true });
      await audit(actor, 'mall.goods.update', id, { fields: Object.keys(rest) });
      return toGoods(doc as GoodsDoc, clock.now());
    },

    async adjustStock(actor, id, delta) {
      await mustGoods(id);
      const filter: QueryFilter<GoodsDoc> = { _id: oid(id) };
      if (delta < 0) filter.stock = { $gte: -delta };
      const doc = await GoodsModel.findOneAndUpdate(
        filter,
        { $inc: { stock: delta }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('GOODS_INVALID', { message: '库存不足以扣减' });
      await audit(actor, 'mall.goods.stock', id, { delta, stockAfter: doc.stock });
      return toGoods(doc as GoodsDoc, clock.now());
    },

    async archiveGoods(actor, id) {
      await mustGoods(id);
      await GoodsModel.updateOne({ _id: oid(id) }, { $set: { archivedAt: clock.now(), updatedAt: clock.now() } });
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
      if (cursor) filter._id = { $lt: oid(cursor) };
      const docs = await GoodsModel.find(filter)
        .sort({ _id: -1 })
        .limit(limit + 1)
        .lean<GoodsDoc[]>();
      const page = docs.slice(0, limit);
      return { items: page.map((d) => toGoods(d, now)), nextCursor: docs.length > limit ? (page.at(-1)?._id.toHexString() ?? null) : null };
    },

    async getGoods(id) {
      return toGoods(await mustGoods(id), clock.now());
    },

    async redeem(userId, goodsId, requestKey, body) {
      const replay = async () => {
        const existing = await RedemptionModel.findOne({ userId: oid(userId), requestKey }).lean<RedemptionDoc>();
        if (!existing) return null;
        if (existing.goodsId.toHexString() !== goodsId) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        return { redemption: toRedemption(existing), balance: (await points.balance(userId)).balance, replayed: true };
      };
      const goods = await mustGoods(goodsId);
      if (!isActive(goods, clock.now())) throw new AppError('GOODS_NOT_ACTIVE');
      if (goods.deliveryMode === 'ship' && !body.shipping) throw new AppError('SHIPPING_REQUIRED');
      // Sold out is the common answer under a rush: give it without a transaction (unless this is a retry of
      // the redemption that took the last unit). Lapsed lots are expired inside the debit, never spent.
      if (goods.stock <= 0) {
        const earlier = await replay();
        if (earlier) return earlier;
        throw new AppError('GOODS_SOLD_OUT');
      }

      return withLocalLocks([goodsLockKey(goodsId), accountLockKey(userId)], async () => {
        const again = await replay();
        if (again) return again;
        const result = await points.withTransaction(async (session) => {
          const now = clock.now();
          // Take the unit first (one round trip); any refusal below aborts the transaction and gives it back.
          const g = (await GoodsModel.findOneAndUpdate(
            { _id: goods._id, stock: { $gte: 1 }, archivedAt: { $exists: false } },
            { $inc: { stock: -1 }, $set: { updatedAt: now } },
            { session, returnDocument: 'after', lean: true },
          )) as GoodsDoc | null;
          if (!g) {
            await mustGoods(goodsId, session);
            throw new AppError('GOODS_SOLD_OUT');
          }
          if (!isActive(g, now)) throw new AppError('GOODS_NOT_ACTIVE');
          if (g.perUserLimit !== null) {
            const held = await RedemptionModel.countDocuments({
              goodsId: g._id,
              userId: oid(userId),
              status: { $ne: 'cancelled' },
            }).session(session);
            if (held >= g.perUserLimit) throw new AppError('GOODS_LIMIT_REACHED', { message: `每人限兑 ${g.perUserLimit} 件` });
          }
          const id = new Types.ObjectId();
          const debitKey = `mall:redeem:${id.toHexString()}`;
          const debit = await points.spend(
            {
              userId,
              amount: g.price,
              source: 'mall',
              reason: `兑换「${g.name}」`,
              ref: { type: 'redemption', id: id.toHexString() },
              idempotencyKey: debitKey,
            },
            { session },
          );
          const [doc] = await RedemptionModel.create(
            [
              {
                _id: id,
                goodsId: g._id,
                goodsName: g.name,
                userId: oid(userId),
                price: g.price,
                deliveryMode: g.deliveryMode,
                outletId: g.outletId,
                status: 'pending',
                code: newCode(),
                requestKey,
                debitKey,
                shipping: g.deliveryMode === 'ship' ? (body.shipping ?? null) : null,
                createdAt: now,
                fulfilledAt: null,
                fulfilledBy: null,
                cancelledAt: null,
                cancelledBy: null,
                cancelReason: null,
              },
            ],
            { session },
          );
          return { redemption: toRedemption(doc!.toObject()), balance: debit.balance, replayed: false };
        });
        return result;
      });
    },

    async myRedemptions(userId, { cursor, limit }) {
      const filter: QueryFilter<RedemptionDoc> = { userId: oid(userId) };
      if (cursor) filter._id = { $lt: oid(cursor) };
      const docs = await RedemptionModel.find(filter)
        .sort({ _id: -1 })
        .limit(limit + 1)
        .lean<RedemptionDoc[]>();
      const page = docs.slice(0, limit);
      return { items: page.map(toRedemption), nextCursor: docs.length > limit ? (page.at(-1)?._id.toHexString() ?? null) : null };
    },

    async getRedemption(actor, id) {
      const doc = await mustRedemption(id);
      assertOwnerOrAdmin(actor, doc);
      return toRedemption(doc);
    },

    async qrCode(actor, id) {
      const doc = await mustRedemption(id);
      if (doc.userId.toHexString() !== actor.id) throw new AppError('REDEMPTION_NOT_FOUND');
      if (doc.status === 'cancelled') throw new AppError('REDEMPTION_CANCELLED');
      if (doc.status === 'fulfilled') throw new AppError('REDEMPTION_ALREADY_FULFILLED');
      return { code: doc.code, qrDataUrl: await QRCode.toDataURL(doc.code, { errorCorrectionLevel: 'M', margin: 2, width: 280 }) };
    },

    async preview(staff, code) {
      return toRedemption(await byCodeForStaff(staff, code));
    },

    async verify(staff, code) {
      const doc = await byCodeForStaff(staff, code);
      if (doc.deliveryMode !== 'pickup') throw new AppError('REDEMPTION_WRONG_OUTLET', { message: '邮寄商品不在柜台核销' });
      const now = clock.now();
      // The guard on status makes it single-use: of two concurrent scans only one matches.
      const updated = await RedemptionModel.findOneAndUpdate(
        { _id: doc._id, status: 'pending' },
        { $set: { status: 'fulfilled', fulfilledAt: now, fulfilledBy: oid(staff.id) } },
        { returnDocument: 'after', lean: true },
      );
      if (!updated) {
        const current = await mustRedemption(doc._id.toHexString());
        throw new AppError(current.status === 'cancelled' ? 'REDEMPTION_CANCELLED' : 'REDEMPTION_ALREADY_FULFILLED');
      }
      await audit(staff, 'mall.redemption.verify', doc._id.toHexString(), { code, outletId: doc.outletId });
      return toRedemption(updated as RedemptionDoc);
    },

    async markShipped(actor, id) {
      const doc = await mustRedemption(id);
      if (doc.deliveryMode !== 'ship') throw new AppError('REDEMPTION_WRONG_OUTLET', { message: '到柜台领取的商品须由网点核销' });
      const updated = await RedemptionModel.findOneAndUpdate(
        { _id: doc._id, status: 'pending' },
        { $set: { status: 'fulfilled', fulfilledAt: clock.now(), fulfilledBy: oid(actor.id) } },
        { returnDocument: 'after', lean: true },
      );
      if (!updated) throw new AppError(doc.status === 'cancelled' ? 'REDEMPTION_CANCELLED' : 'REDEMPTION_ALREADY_FULFILLED');
      await audit(actor, 'mall.redemption.ship', id, {});
      return toRedemption(updated as RedemptionDoc);
    },

    async cancel(actor, id, reason) {
      const doc = await mustRedemption(id);
      assertOwnerOrAdmin(actor, doc);
      const byAdmin = doc.userId.toHexString() !== actor.id;
      const userId = doc.userId.toHexString();
      const result = await withLocalLocks([goodsLockKey(doc.goodsId.toHexString()), accountLockKey(userId)], () =>
        points.withTransaction(async (session) => {
          const now = clock.now();
          const updated = await RedemptionModel.findOneAndUpdate(
            { _id: doc._id, status: 'pending' },
            { $set: { status: 'cancelled', cancelledAt: now, cancelledBy: oid(actor.id), cancelReason: reason ?? null } },
            { session, returnDocument: 'after', lean: true },
          );
          if (!updated) throw new AppError('REDEMPTION_NOT_CANCELLABLE');
          await GoodsModel.updateOne({ _id: doc.goodsId }, { $inc: { stock: 1 }, $set: { updatedAt: now } }, { session });
          const refund = await points.refund(
            {
              debitKey: doc.debitKey,
              reason: `取消兑换「${doc.goodsName}」退回`,
              ref: { type: 'redemption', id },
              idempotencyKey: `mall:refund:${id}`,
            },
            { session },
          );
          return { redemption: toRedemption(updated as RedemptionDoc), balance: refund.balance, refunded: refund.amount };
        }),
      );
      if (byAdmin) await audit(actor, 'mall.redemption.cancel', id, { reason: reason ?? null, refunded: result.refunded });
      return { redemption: result.redemption, balance: result.balance };
    },
  };
}
