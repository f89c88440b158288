/**
 * The points mall. DESIGN of the redemption hot path (as coupons' grab: a Redis gate, a durable record
 * behind it, a reconciliation job):
 *
 * 1. Gate (redeem-gate.ts, ONE Lua script): takes the Idempotency-Key (or replays its stored answer), then
 *    checks and takes one unit of stock, the per-user limit and the price from the user's SPENDABLE balance,
 *    and logs the admitted redemption as pending. The user gets the code at once.
 * 2. Durable write (redeem-writer.ts): redemptions admitted close together share ONE MongoDB transaction
 *    (debit entries consuming the soonest-expiring lots valid at admission, balances, lots, redemption
 *    records, stock), then leave the pending log. Idempotent by redemption id. An item MongoDB can't honour
 *    (points or stock short: a broken invariant) is recorded cancelled with nothing debited, alone; a batch
 *    that still fails is written item by item, so one bad item never holds up the others.
 * 3. Reconciliation (jobs/mall-reconcile.job.ts, job name points-reconcile, Redis lock per slot): writes pending redemptions older than
 *    RECONCILE_GRACE_MS (a crash between 1 and 2) — nothing lost, nothing applied twice.
 *
 * Why Redis is right about points and stock: the gate's figures are CACHES of MongoDB less what is pending,
 * loaded on a miss and never patched. A ledger write other than a credit (spend, refund, expiry, admin
 * adjustment, cancellation, stock adjustment) runs FROZEN: it drops the user's (goods') cache and blocks
 * loads, writes that user's (goods') pending redemptions first, commits, and drops the cache again. A credit
 * just drops the cache after its commit. A loader only sets a cache when nothing is pending or frozen for it
 * and its generation did not move while it read MongoDB (every drop and every durable write bumps it). The
 * cache also holds the expiry of the user's first open lot: past it the gate refuses until the lapsed lots
 * are expired and the cache reloaded, so lapsed points are never spent. So durable balance = sum of entries
 * ≥ 0 at every commit, as before, and Redis never admits what MongoDB can't honour.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Types, type QueryFilter } from 'mongoose';
import QRCode from 'qrcode';
import type { Goods, GoodsBody, Redemption, RedeemBody } from '@shared/schemas/points';
import type { Clock } from '../../core/clock';
import { can, type Actor, type RoleHolder } from '../../core/auth';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { randomCode } from '../../core/random-code';
import type { AuditService } from '../audit';
import { accountLockKey, withLocalLocks, type PointsService } from '../points';
import { GoodsModel, RedemptionModel, type GoodsDoc, type RedemptionDoc } from './mall.model';
import { isActive, redeemAnswer, redeemAnswerPrefix, toGoods, toRedemption } from './mall.views';
import { createRedeemGate, type PendingRedemption } from './redeem-gate';
import { createRedeemWriter, RedemptionWriteError, writeRedemptions, type WriteReport } from './redeem-writer';

export interface MallServiceDeps {
  clock: Clock;
  redis: Redis;
  logger: Logger;
  /** The ledger. The mall registers its guard on it at construction (its gate caches spendable balances). */
  points: Pick<
    PointsService,
    'withTransaction' | 'refund' | 'balance' | 'expireLapsed' | 'spendable' | 'batchDebits' | 'guardLedgerWrites'
  >;
  audit: Pick<AuditService, 'record'>;
}

/** A pending redemption younger than this may still be on its way to MongoDB: reconciliation leaves it alone. */
export const RECONCILE_GRACE_MS = 30_000;
const GOODS_CACHE_MS = 2_000;
const LOAD_ATTEMPTS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The acting user (core/auth's actorOf builds it in the routes). */
export type { Actor };

export interface MallService {
  createGoods(actor: Actor, body: GoodsBody): Promise<Goods>;
  updateGoods(actor: Actor, id: string, patch: Partial<GoodsBody>): Promise<Goods>;
  /** Adds (or, never below zero, removes) stock. */
  adjustStock(actor: Actor, id: string, delta: number): Promise<Goods>;
  archiveGoods(actor: Actor, id: string): Promise<void>;
  /** Goods on sale now (public), or every unarchived one (admin). */
  listGoods(query: { cursor?: string; limit: number }, all?: boolean): Promise<{ items: Goods[]; nextCursor: string | null }>;
  getGoods(id: string): Promise<Goods>;
  /**
   * Takes points and one unit of stock at the Redis gate and answers at once (the response JSON: the
   * redemption and the spendable balance); the durable write follows in a batch. A retry with the same
   * requestKey gets the same answer (replayed).
   */
  redeem(userId: string, goodsId: string, requestKey: string, body: RedeemBody): Promise<{ body: string; replayed: boolean }>;
  myRedemptions(userId: string, query: { cursor?: string; limit: number }): Promise<{ items: Redemption[]; nextCursor: string | null }>;
  getRedemption(actor: Actor, id: string): Promise<Redemption>;
  qrCode(actor: Actor, id: string): Promise<{ code: string; qrDataUrl: string }>;
  /** What counter staff see after scanning: only staff of the goods' outlet. */
  preview(staff: Actor, code: string): Promise<Redemption>;
  /**
   * 核销: once, by staff of the goods' outlet. With `requestKey` (the scan's Idempotency-Key) the same staff
   * member retrying that scan gets the success again (`replayed`) instead of "already fulfilled".
   */
  verify(staff: Actor, code: string, requestKey?: string | null): Promise<{ redemption: Redemption; replayed: boolean }>;
  /** Admin marks a shipped redemption fulfilled. */
  markShipped(actor: Actor, id: string): Promise<Redemption>;
  /** Before fulfilment: refunds the points (new ledger entries) and restores the stock. Owner or admin. */
  cancel(actor: Actor, id: string, reason?: string): Promise<{ redemption: Redemption; balance: number }>;
  /** Writes pending redemptions older than the grace period (a crash between the gate and the write). */
  reconcile(now?: Date): Promise<WriteReport & { due: number; pending: number; failed: number }>;
  /** Resolves once this instance's queued durable writes have been tried (tests, shutdown). */
  drained(): Promise<void>;
  /** The same as drained() (the name every service with a writer has). */
  idle(): Promise<void>;
  /** Shutdown: writes what is queued; anything not written stays pending for reconciliation. */
  close(): Promise<void>;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 12 characters of a 32-letter alphabet without 0/O/1/I: 60 bits, read aloud or typed at the counter without confusion. */
const newCode = () => randomCode(CODE_ALPHABET, 12);

const goodsLockKey = (id: string) => `mall:goods:${id}`;

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
  const gate = createRedeemGate(deps.redis);
  const writerDeps = { gate, logger: deps.logger, points };
  // The service owns its batching writer: shutdown and tests wait for what it queued (drained/idle/close).
  const writer = createRedeemWriter(writerDeps);
  // Goods change rarely: a short in-process cache keeps MongoDB out of the hot path (the price charged is
  // checked against the gate's, loaded from MongoDB; name and window may lag another process's edit ≤ 2 s).
  const goodsCache = new Map<string, { doc: GoodsDoc; at: number }>();

  async function mustGoods(id: string): Promise<GoodsDoc> {
    if (!Types.ObjectId.isValid(id)) throw new AppError('GOODS_NOT_FOUND');
    const doc = await GoodsModel.findById(id).lean<GoodsDoc>();
    if (!doc || doc.archivedAt) throw new AppError('GOODS_NOT_FOUND');
    goodsCache.set(id, { doc, at: Date.now() });
    return doc;
  }

  async function cachedGoods(id: string): Promise<GoodsDoc> {
    const hit = goodsCache.get(id);
    if (hit && Date.now() - hit.at < GOODS_CACHE_MS) return hit.doc;
    return mustGoods(id);
  }

  // The request's fingerprint (a replayed key with another goods or address is refused); without an
  // address it depends on the goods alone, so it is worked out once per goods.
  const requestHash = (goodsId: string, shipping: RedeemBody['shipping'] | null) =>
    createHash('sha1')
      .update(`${goodsId}\n${JSON.stringify(shipping ?? null)}`)
      .digest('base64');
  const plainHashes = new Map<string, string>();
  function plainHash(goodsId: string): string {
    let h = plainHashes.get(goodsId);
    if (h === undefined) {
      if (plainHashes.size >= 10_000) plainHashes.clear();
      plainHashes.set(goodsId, (h = requestHash(goodsId, null)));
    }
    return h;
  }

  async function writePending(items: PendingRedemption[]): Promise<void> {
    if (items.length > 0) await writeRedemptions(writerDeps, items);
  }

  /** The user's spendable balance into the gate, from MongoDB (after writing what is pending for them). */
  async function loadAccount(userId: string): Promise<void> {
    for (let i = 0; i < LOAD_ATTEMPTS; i++) {
      const st = await gate.state('u', userId, Date.now());
      if (st.pending.length > 0) {
        await writePending(st.pending);
        continue;
      }
      if (st.busy) {
        await sleep(5 + Math.random() * 20);
        continue;
      }
      const { balance, firstExpiry } = await points.spendable(userId);
      if (firstExpiry && firstExpiry <= clock.now()) {
        await points.expireLapsed(userId);
        continue;
      }
      const loaded = await gate.loadAccount(userId, st.gen, Date.now(), balance, firstExpiry?.getTime() ?? 0);
      if (loaded >= 0) return;
    }
    throw new AppError('POINTS_BUSY');
  }

  /** The goods' stock (and per-user counts when it has a limit) into the gate, from MongoDB. */
  async function loadGoods(goodsId: string): Promise<GoodsDoc> {
    for (let i = 0; i < LOAD_ATTEMPTS; i++) {
      const st = await gate.state('g', goodsId, Date.now());
      if (st.pending.length > 0) {
        await writePending(st.pending);
        continue;
      }
      if (st.busy) {
        await sleep(5 + Math.random() * 20);
        continue;
      }
      const doc = await mustGoods(goodsId);
      const held =
        doc.perUserLimit === null
          ? []
          : (
              await RedemptionModel.aggregate<{ _id: Types.ObjectId; n: number }>([
                { $match: { goodsId: doc._id, status: { $ne: 'cancelled' } } },
                { $group: { _id: '$userId', n: { $sum: 1 } } },
              ])
            ).map((h): [string, number] => [h._id.toHexString(), h.n]);
      const loaded = await gate.loadGoods(
        goodsId,
        st.gen,
        Date.now(),
        { stock: doc.stock, price: doc.price, limit: doc.perUserLimit ?? 0 },
        held,
      );
      if (loaded >= 0) return doc;
    }
    throw new AppError('POINTS_BUSY');
  }

  /**
   * Runs a MongoDB write outside the gate for these users and goods, frozen: their caches dropped and not
   * reloaded until it is done, their pending redemptions written first (see the design note above).
   */
  async function frozen<T>(users: string[], goods: string[], fn: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const pending = await gate.freeze(token, Date.now(), users, goods);
    try {
      await writePending(pending);
      return await fn();
    } finally {
      await gate.thaw(token, users, goods).catch((err: unknown) => deps.logger.warn({ err }, 'mall gate thaw failed'));
    }
  }

  // Every ledger write of points but a plain credit runs frozen for this gate (the design note above); a
  // credit drops the user's cached balance after its commit.
  points.guardLedgerWrites({
    frozen: (userId, write) => frozen([userId], [], write),
    credited: (userId) => gate.invalidate([userId]),
  });

  /** A redemption by id; one admitted but not yet in MongoDB is written first. */
  async function mustRedemption(id: string): Promise<RedemptionDoc> {
    if (!Types.ObjectId.isValid(id)) throw new AppError('REDEMPTION_NOT_FOUND');
    let doc = await RedemptionModel.findById(id).lean<RedemptionDoc>();
    if (!doc) {
      const pending = await gate.pendingById([id]);
      if (pending.length === 0) throw new AppError('REDEMPTION_NOT_FOUND');
      await writePending(pending);
      doc = await RedemptionModel.findById(id).lean<RedemptionDoc>();
    }
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
    let doc = await RedemptionModel.findOne({ code }).lean<RedemptionDoc>();
    if (!doc) {
      // Scanned before its durable write landed: write it now.
      const id = await gate.pendingIdByCode(code);
      if (id) doc = await mustRedemption(id).catch(() => null);
    }
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

  /** After an edit of goods: the gate reloads price, limit and stock from MongoDB on its next request. */
  async function goodsChanged(id: string): Promise<void> {
    goodsCache.delete(id);
    await gate.invalidate([], [id]);
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
      await goodsChanged(id);
      await audit(actor, 'mall.goods.update', id, { fields: Object.keys(rest) });
      return toGoods(doc as GoodsDoc, clock.now());
    },

    async adjustStock(actor, id, delta) {
      await mustGoods(id);
      // Frozen: units the gate already gave out are written first, so "never below zero" is about real stock.
      const doc = await frozen([], [id], async () => {
        const filter: QueryFilter<GoodsDoc> = { _id: oid(id) };
        if (delta < 0) filter.stock = { $gte: -delta };
        return GoodsModel.findOneAndUpdate(
          filter,
          { $inc: { stock: delta }, $set: { updatedAt: clock.now() } },
          { returnDocument: 'after', lean: true },
        );
      });
      goodsCache.delete(id);
      if (!doc) throw new AppError('GOODS_INVALID', { message: '库存不足以扣减' });
      await audit(actor, 'mall.goods.stock', id, { delta, stockAfter: doc.stock });
      return toGoods(doc as GoodsDoc, clock.now());
    },

    async archiveGoods(actor, id) {
      await mustGoods(id);
      await GoodsModel.updateOne({ _id: oid(id) }, { $set: { archivedAt: clock.now(), updatedAt: clock.now() } });
      await goodsChanged(id);
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
      let goods = await cachedGoods(goodsId);
      const hash = body.shipping ? requestHash(goodsId, body.shipping) : plainHash(goodsId);
      let staleSeen = false;
      for (let attempt = 0; attempt < 8; attempt++) {
        const now = clock.now();
        if (!isActive(goods, now)) throw new AppError('GOODS_NOT_ACTIVE');
        if (goods.deliveryMode === 'ship' && !body.shipping) throw new AppError('SHIPPING_REQUIRED');
        const item: PendingRedemption = {
          id: new Types.ObjectId().toHexString(),
          u: userId,
          g: goodsId,
          p: goods.price,
          n: goods.name,
          d: goods.deliveryMode,
          o: goods.outletId ?? null,
          c: newCode(),
          k: requestKey,
          s: goods.deliveryMode === 'ship' ? (body.shipping ?? null) : null,
          a: now.getTime(),
        };
        const outcome = await gate.admit({ item, now: item.a, hash });
        switch (outcome.status) {
          case 'admitted':
            writer.push(item);
            return { body: redeemAnswer(redeemAnswerPrefix(item), outcome.balance), replayed: false };
          case 'replay':
            if (outcome.hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
            return { body: outcome.body, replayed: true };
          case 'sold_out':
            throw new AppError('GOODS_SOLD_OUT');
          case 'limit_reached':
            throw new AppError('GOODS_LIMIT_REACHED', { message: `每人限兑 ${goods.perUserLimit ?? outcome.held} 件` });
          case 'insufficient':
            throw new AppError('POINTS_INSUFFICIENT', {
              message: `积分不足：需要 ${goods.price}，当前 ${outcome.balance}`,
              details: { required: goods.price, balance: outcome.balance },
            });
          case 'no_stock_cache':
            goods = await loadGoods(goodsId);
            break;
          case 'stale_goods':
            // This process's copy of the goods (or, after a second miss, the gate's) is older than MongoDB's.
            if (staleSeen) await gate.invalidate([], [goodsId]);
            staleSeen = true;
            goods = await mustGoods(goodsId);
            break;
          case 'no_account_cache':
            await loadAccount(userId);
            break;
          case 'lapsed':
            await points.expireLapsed(userId);
            // The cached expiry may be that of a lot a redemption has since used up (its durable write bumps
            // the generation but leaves the cache): nothing to expire then, so drop the cache and reload it.
            await gate.invalidate([userId]);
            await loadAccount(userId);
            break;
        }
      }
      throw new AppError('POINTS_BUSY');
    },

    async myRedemptions(userId, { cursor, limit }) {
      // Just redeemed and its batch not written yet: write it now so the list shows it.
      if ((await gate.pendingCount(userId)) > 0) await writePending((await gate.state('u', userId, Date.now())).pending);
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

    async verify(staff, code, requestKey = null) {
      const doc = await byCodeForStaff(staff, code);
      if (doc.deliveryMode !== 'pickup') throw new AppError('REDEMPTION_WRONG_OUTLET', { message: '邮寄商品不在柜台核销' });
      // A retry of this staff member's own scan whose answer was lost: the success again, not "already fulfilled".
      const retryOf = (d: RedemptionDoc) =>
        d.status === 'fulfilled' && requestKey !== null && d.fulfilledKey === requestKey && d.fulfilledBy?.toHexString() === staff.id;
      if (retryOf(doc)) return { redemption: toRedemption(doc), replayed: true };
      const now = clock.now();
      // The guard on status makes it single-use: of two concurrent scans only one matches.
      const updated = await RedemptionModel.findOneAndUpdate(
        { _id: doc._id, status: 'pending' },
        {
          $set: { status: 'fulfilled', fulfilledAt: now, fulfilledBy: oid(staff.id), ...(requestKey ? { fulfilledKey: requestKey } : {}) },
        },
        { returnDocument: 'after', lean: true },
      );
      if (!updated) {
        const current = await mustRedemption(doc._id.toHexString());
        if (retryOf(current)) return { redemption: toRedemption(current), replayed: true };
        throw new AppError(current.status === 'cancelled' ? 'REDEMPTION_CANCELLED' : 'REDEMPTION_ALREADY_FULFILLED');
      }
      await audit(staff, 'mall.redemption.verify', doc._id.toHexString(), { code, outletId: doc.outletId });
      return { redemption: toRedemption(updated as RedemptionDoc), replayed: false };
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
      // A redemption still pending its durable write is written first (mustRedemption), then cancelled.
      const doc = await mustRedemption(id);
      assertOwnerOrAdmin(actor, doc);
      if (doc.status !== 'pending') throw new AppError('REDEMPTION_NOT_CANCELLABLE');
      const byAdmin = doc.userId.toHexString() !== actor.id;
      const userId = doc.userId.toHexString();
      const goodsId = doc.goodsId.toHexString();
      const result = await frozen([userId], [goodsId], () =>
        withLocalLocks([goodsLockKey(goodsId), accountLockKey(userId)], () =>
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
        ),
      );
      if (byAdmin) await audit(actor, 'mall.redemption.cancel', id, { reason: reason ?? null, refunded: result.refunded });
      return { redemption: result.redemption, balance: result.balance };
    },

    async reconcile(now = clock.now()) {
      const all = await gate.allPending();
      const due = all.filter((p) => now.getTime() - p.a >= RECONCILE_GRACE_MS);
      const report = { written: 0, existing: 0, voided: 0, dropped: 0, failed: 0, due: due.length, pending: all.length };
      const add = (r: WriteReport) => {
        report.written += r.written;
        report.existing += r.existing;
        report.voided += r.voided;
        report.dropped += r.dropped;
      };
      for (let i = 0; i < due.length; i += 200) {
        const chunk = due.slice(i, i + 200);
        try {
          add(await writeRedemptions(writerDeps, chunk));
        } catch (err) {
          // What could not be written stays pending (the next run tries again); later chunks go on.
          if (err instanceof RedemptionWriteError) add(err.report);
          const failed = err instanceof RedemptionWriteError ? err.failed.length : chunk.length;
          report.failed += failed;
          deps.logger.error({ err, failed, chunk: chunk.length }, 'reconciliation could not write pending redemptions');
        }
      }
      return report;
    },

    drained: () => writer.drained(),
    idle: () => writer.drained(),
    close: () => writer.close(),
  };
}
