import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import QRCode from 'qrcode';
import {
  COUPON_QR_PREFIX,
  type BatchStats,
  type BatchView,
  type CouponStatus,
  type CouponView,
  type CreateBatchBody,
  type DrawView,
  type RedeemBody,
} from '@shared/schemas/coupons';
import { assertOwner, authorize, can, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { duplicateKeysOnly, isDuplicateKey, oid } from '../../core/db';
import { AppError, isAppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { randomCode } from '../../core/random-code';
import type { WechatClient } from '../../core/wechat';
import { shanghaiDateTime } from '../../core/time';
import { merchantStaff, type MerchantsService } from '../merchants';
import type { UsersService } from '../users';
import type { CouponGate, PendingClaim } from './coupon-gate';
import { CouponBatchModel, CouponModel, LotteryEntryModel, type CouponBatchDoc, type CouponDoc } from './coupons.model';
import { createDurableWriter, RETRY_DELAYS_MS, type DurableWriter } from './durable-writer';
import { drawWinners } from './lottery';

export interface CouponsServiceDeps {
  clock: Clock;
  logger: Logger;
  gate: CouponGate;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  users: Pick<UsersService, 'openidOf'>;
  merchants: Pick<MerchantsService, 'assertApproved'>;
  /** Subscribe-message template for "your coupon expires tomorrow" (the mini-program asks for it when a coupon is claimed). */
  expiryTemplateId: string;
}

const DAY_MS = 86_400_000;
/** A pending admission younger than this may still be on its way to MongoDB: reconciliation leaves it alone. */
export const RECONCILE_GRACE_MS = 30_000;
/** Batches never change after creation (a draw aside, which the grab doesn't read): cached this long. */
const BATCH_CACHE_MS = 60_000;
const BATCH_CACHE_MAX = 1_000;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** A redemption code: 20 letters drawn uniformly from CODE_ALPHABET with the system CSPRNG. */
export function newCode(): string {
  return randomCode(CODE_ALPHABET, 20);
}

function phase(batch: CouponBatchDoc, now: Date): BatchView['phase'] {
  if (now < batch.claimStartsAt) return 'upcoming';
  return now < batch.claimEndsAt ? 'open' : 'ended';
}

function toBatchView(batch: CouponBatchDoc, remaining: number | null, now: Date): BatchView {
  const v = batch.validity;
  return {
    id: batch._id.toHexString(),
    title: batch.title,
    description: batch.description,
    kind: batch.kind,
    value: batch.value,
    threshold: batch.threshold,
    totalStock: batch.totalStock,
    remaining: batch.mode === 'grab' ? (remaining ?? 0) : null,
    perUserLimit: batch.perUserLimit,
    claimStartsAt: batch.claimStartsAt.toISOString(),
    claimEndsAt: batch.claimEndsAt.toISOString(),
    validity:
      v.type === 'fixed'
        ? { type: 'fixed', from: new Date(v.from).toISOString(), until: new Date(v.until).toISOString() }
        : { type: 'relative', days: v.days },
    issuer: { type: batch.issuerType, merchantId: batch.issuerMerchantId?.toHexString() ?? null },
    merchantIds: batch.merchantIds.map((id) => id.toHexString()),
    mode: batch.mode,
    phase: phase(batch, now),
    createdAt: batch.createdAt.toISOString(),
  };
}

export function toCouponView(doc: CouponDoc): CouponView {
  return {
    id: doc._id.toHexString(),
    batchId: doc.batchId.toHexString(),
    title: doc.title,
    kind: doc.kind,
    value: doc.value,
    threshold: doc.threshold,
    status: doc.status,
    claimedAt: doc.claimedAt.toISOString(),
    validFrom: doc.validFrom.toISOString(),
    validUntil: doc.validUntil.toISOString(),
    redeemedAt: doc.redeemedAt?.toISOString() ?? null,
    redeemedMerchantId: doc.redeemedMerchantId?.toHexString() ?? null,
    merchantIds: doc.merchantIds.map((id) => id.toHexString()),
  };
}

/** The durable record of one admitted claim (or a lottery win). */
function couponRecord(
  batch: CouponBatchDoc,
  claimId: Types.ObjectId,
  userId: string,
  seq: number,
  at: Date,
  source: CouponDoc['source'],
  code: string = newCode(),
  requestKey: string | null = null,
): CouponDoc {
  const v = batch.validity;
  const validFrom = v.type === 'fixed' ? new Date(v.from) : at;
  const validUntil = v.type === 'fixed' ? new Date(v.until) : new Date(at.getTime() + v.days * DAY_MS);
  return {
    _id: claimId,
    batchId: batch._id,
    userId: oid(userId),
    seq,
    code,
    status: 'unused',
    title: batch.title,
    kind: batch.kind,
    value: batch.value,
    threshold: batch.threshold,
    merchantIds: batch.merchantIds,
    claimedAt: at,
    validFrom,
    validUntil,
    source,
    ...(requestKey ? { requestKey } : {}),
  };
}

/** The record a pending admission stands for (the same one the request queued, code included). */
function recordFromPending(batch: CouponBatchDoc, p: PendingClaim, source: CouponDoc['source']): CouponDoc {
  return couponRecord(batch, oid(p.claimId), p.userId, p.seq, p.admittedAt, source, p.code ?? newCode(), p.requestKey);
}

function checkBatchRules(body: CreateBatchBody): void {
  const bad = (message: string) => new AppError('COUPON_BATCH_INVALID', { message });
  const starts = new Date(body.claimStartsAt);
  const ends = new Date(body.claimEndsAt);
  if (ends <= starts) throw bad('领券结束时间应晚于开始时间');
  if (body.validity.type === 'fixed') {
    const until = new Date(body.validity.until);
    if (until <= new Date(body.validity.from)) throw bad('有效期结束时间应晚于开始时间');
    if (until <= starts) throw bad('有效期不能早于领券开始时间');
  }
  if (body.kind === 'discount' && body.value > 99) throw bad('折扣券的值为实付百分比（1–99，如 88 表示 8.8 折）');
  if (body.kind === 'spend_x_save_y' && body.threshold <= body.value) throw bad('满减券的门槛应大于减免金额');
  if (body.kind === 'amount_off' && body.threshold > 0 && body.threshold <= body.value) throw bad('门槛应大于立减金额');
  if (body.mode === 'lottery' && body.issuer.type !== 'government') throw bad('只有政府消费券可以抽签发放');
}

export type CouponsService = ReturnType<typeof createCouponsService>;

/**
 * Why a grab got no coupon. Returned, not thrown: at release time almost every claim is refused, and an
 * exception travelling up the middleware chain costs more than the rest of the refusal.
 */
export interface ClaimRefusal {
  code: 'COUPON_SOLD_OUT' | 'COUPON_LIMIT_REACHED' | 'COUPON_NOT_STARTED' | 'COUPON_ENDED' | 'COUPON_GATE_RECOVERING';
  message?: string;
  details?: Record<string, unknown>;
}

export type ClaimResult = { ok: true; coupon: CouponView; remaining: number; replayed: boolean } | { ok: false; refusal: ClaimRefusal };

/**
 * How long a lost gate (a Redis data loss) stays closed before it is rebuilt from MongoDB's records: every
 * process's durable writer flushes within milliseconds and retries a failed insert after RETRY_DELAYS_MS
 * (1 s, then 5 s), so 2 s after the last retry the claims other processes answered before the loss are in
 * MongoDB and counted as issued.
 */
export const GATE_REBUILD_QUIET_MS = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) + 2_000;

export function createCouponsService({ clock, logger, gate, wechat, users, merchants, expiryTemplateId }: CouponsServiceDeps) {
  // The service owns its durable writer: 我的券 and the QR code wait for the records it is still writing.
  const durable: DurableWriter = createDurableWriter(gate, logger);
  // Batches never change after creation (only a lottery's draw is added later, and the draw drops the
  // entry): the grab reads its batch from memory.
  const batchCache = new Map<string, { doc: Promise<CouponBatchDoc | null>; at: number }>();

  async function mustFindBatch(id: string, cached = false): Promise<CouponBatchDoc> {
    if (!Types.ObjectId.isValid(id)) throw new AppError('COUPON_BATCH_NOT_FOUND');
    let doc: CouponBatchDoc | null;
    if (cached) {
      const hit = batchCache.get(id);
      if (hit && Date.now() - hit.at < BATCH_CACHE_MS) {
        doc = await hit.doc;
      } else {
        // Single flight: a release-time burst on a cold cache reads the batch once.
        const read = CouponBatchModel.findById(id).lean<CouponBatchDoc>().exec();
        if (batchCache.size >= BATCH_CACHE_MAX) batchCache.delete(batchCache.keys().next().value!);
        batchCache.set(id, { doc: read, at: Date.now() });
        read.then(
          (found) => (found ? undefined : batchCache.delete(id)),
          () => batchCache.delete(id),
        );
        doc = await read;
      }
    } else {
      doc = await CouponBatchModel.findById(id).lean<CouponBatchDoc>();
    }
    if (!doc) throw new AppError('COUPON_BATCH_NOT_FOUND');
    return doc;
  }

  /**
   * Whether a lost gate has been missing for GATE_REBUILD_QUIET_MS (counted from its first sighting by any
   * process), so that records other processes still held in their writers' queues are in MongoDB and in
   * the count the rebuild takes. Until then claims are refused with COUPON_GATE_RECOVERING.
   */
  async function gateLossSettled(batchId: string): Promise<boolean> {
    const now = clock.now().getTime();
    return now - (await gate.lostSince(batchId, now)) >= GATE_REBUILD_QUIET_MS;
  }

  /** Rebuilds a grab batch's gate from MongoDB's records (Redis lost it), request keys included. */
  async function rebuildGate(batch: CouponBatchDoc): Promise<boolean> {
    // Records this process answered but has not written yet must be counted as issued.
    await durable.idle();
    const perUser = await CouponModel.aggregate<{ _id: Types.ObjectId; count: number; lastSeq: number }>([
      { $match: { batchId: batch._id } },
      { $group: { _id: '$userId', count: { $sum: 1 }, lastSeq: { $max: '$seq' } } },
    ]);
    const keyed = await CouponModel.find({ batchId: batch._id, requestKey: { $exists: true } }, { userId: 1, requestKey: 1 }).lean<
      Array<{ _id: Types.ObjectId; userId: Types.ObjectId; requestKey: string }>
    >();
    const issued = perUser.reduce((sum, u) => sum + u.count, 0);
    const rebuilt = await gate.init(
      batch._id.toHexString(),
      batch.totalStock - issued,
      perUser.map((u) => ({ userId: u._id.toHexString(), count: u.count, lastSeq: u.lastSeq })),
      keyed.map((k) => ({ userId: k.userId.toHexString(), requestKey: k.requestKey, claimId: k._id.toHexString() })),
    );
    if (rebuilt) logger.warn({ batchId: batch._id.toHexString(), issued }, 'coupon gate rebuilt from MongoDB');
    await gate.forgetLoss(batch._id.toHexString());
    return rebuilt;
  }

  async function issueLotteryCoupons(batch: CouponBatchDoc): Promise<number> {
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
    batchCache.delete(batch._id.toHexString());
    await issueLotteryCoupons(updated);
    return service.drawView(updated);
  }

  async function statsFor(batches: CouponBatchDoc[], merchantId: string | null): Promise<BatchStats[]> {
    const ids = batches.map((b) => b._id);
    const counts = await CouponModel.aggregate<{ _id: { b: Types.ObjectId; s: CouponStatus }; n: number }>([
      { $match: { batchId: { $in: ids } } },
      { $group: { _id: { b: '$batchId', s: '$status' }, n: { $sum: 1 } } },
    ]);
    const here = merchantId
      ? await CouponModel.aggregate<{ _id: Types.ObjectId; n: number }>([
          { $match: { batchId: { $in: ids }, status: 'used', redeemedMerchantId: oid(merchantId) } },
          { $group: { _id: '$batchId', n: { $sum: 1 } } },
        ])
      : [];
    return batches.map((b) => {
      const id = b._id.toHexString();
      const of = (s: CouponStatus) => counts.find((c) => c._id.b.toHexString() === id && c._id.s === s)?.n ?? 0;
      const unused = of('unused');
      const redeemed = of('used');
      const expired = of('expired');
      return {
        batchId: id,
        title: b.title,
        totalStock: b.totalStock,
        claimed: unused + redeemed + expired,
        redeemed,
        expired,
        unused,
        redeemedHere: merchantId ? (here.find((h) => h._id.toHexString() === id)?.n ?? 0) : null,
      };
    });
  }

  async function views(batches: CouponBatchDoc[]): Promise<BatchView[]> {
    const remaining = await gate.remaining(batches.filter((b) => b.mode === 'grab').map((b) => b._id.toHexString()));
    const now = clock.now();
    return batches.map((b) => toBatchView(b, remaining.get(b._id.toHexString()) ?? null, now));
  }

  const service = {
    /** A merchant's owner issues a batch for their shop; admins issue government consumption coupons. */
    async createBatch(actor: RoleHolder, body: CreateBatchBody): Promise<BatchView> {
      if (body.issuer.type === 'merchant') authorize(actor, merchantStaff(body.issuer.merchantId));
      else authorize(actor, { role: 'admin' });
      checkBatchRules(body);
      const merchantIds = body.issuer.type === 'merchant' ? [body.issuer.merchantId] : body.issuer.merchantIds;
      await merchants.assertApproved(merchantIds);
      const v = body.validity;
      const doc = await CouponBatchModel.create({
        title: body.title,
        description: body.description ?? '',
        kind: body.kind,
        value: body.value,
        threshold: body.threshold,
        totalStock: body.totalStock,
        perUserLimit: body.mode === 'lottery' ? 1 : body.perUserLimit,
        claimStartsAt: new Date(body.claimStartsAt),
        claimEndsAt: new Date(body.claimEndsAt),
        validity: v.type === 'fixed' ? { type: 'fixed', from: new Date(v.from), until: new Date(v.until) } : v,
        issuerType: body.issuer.type,
        ...(body.issuer.type === 'merchant' ? { issuerMerchantId: oid(body.issuer.merchantId) } : {}),
        merchantIds: [...new Set(merchantIds)].map(oid),
        mode: body.mode,
        createdBy: oid(actor.id),
        createdAt: clock.now(),
      });
      const batch = doc.toObject();
      if (batch.mode === 'grab') await gate.init(batch._id.toHexString(), batch.totalStock, []);
      return (await views([batch]))[0]!;
    },

    /** 领券中心: batches still open or upcoming (or all), with live stock from the gate. */
    async listBatches(query: {
      merchantId?: string;
      issuer?: 'merchant' | 'government';
      include: 'current' | 'all';
    }): Promise<BatchView[]> {
      const filter: Record<string, unknown> = {};
      if (query.merchantId) filter.merchantIds = oid(query.merchantId);
      if (query.issuer) filter.issuerType = query.issuer;
      if (query.include === 'current') filter.claimEndsAt = { $gt: clock.now() };
      const docs = await CouponBatchModel.find(filter).sort({ claimStartsAt: 1 }).limit(200).lean<CouponBatchDoc[]>();
      return views(docs);
    },

    async getBatch(id: string): Promise<BatchView> {
      return (await views([await mustFindBatch(id)]))[0]!;
    },

    /**
     * The grab: window check, then the Redis gate (stock + per-user quota in one step, the admission logged
     * with everything its record needs), and the answer at once: the coupon, or why not (a ClaimRefusal:
     * COUPON_SOLD_OUT / COUPON_LIMIT_REACHED / COUPON_NOT_STARTED / COUPON_ENDED, or COUPON_GATE_RECOVERING for a few
     * seconds after Redis lost the gate). The durable record follows within
     * milliseconds (batched) — or, after a crash, from reconciliation — under the same id and code.
     *
     * `requestKey` (the client's Idempotency-Key) makes a retry safe: the same user and key on this batch
     * get the first claim's coupon back (`replayed: true`), never a second one.
     */
    async claim(actor: RoleHolder, batchId: string, requestKey: string | null = null): Promise<ClaimResult> {
      const batch = await mustFindBatch(batchId, true);
      if (batch.mode === 'lottery') throw new AppError('COUPON_LOTTERY_ONLY');
      const now = clock.now();
      if (now < batch.claimStartsAt)
        return { ok: false, refusal: { code: 'COUPON_NOT_STARTED', details: { claimStartsAt: batch.claimStartsAt.toISOString() } } };
      if (now >= batch.claimEndsAt) return { ok: false, refusal: { code: 'COUPON_ENDED' } };
      const claimId = new Types.ObjectId();
      const admission = {
        userId: actor.id,
        perUserLimit: batch.perUserLimit,
        claimId: claimId.toHexString(),
        now,
        code: newCode(),
        requestKey,
      };
      let outcome = await gate.admit(batchId, admission);
      if (!outcome.ok && outcome.reason === 'no_gate') {
        if (!(await gateLossSettled(batchId)))
          return { ok: false, refusal: { code: 'COUPON_GATE_RECOVERING', details: { retryAfterSeconds: GATE_REBUILD_QUIET_MS / 1000 } } };
        await rebuildGate(batch);
        outcome = await gate.admit(batchId, admission);
      }
      if (!outcome.ok) {
        if (outcome.reason === 'sold_out') return { ok: false, refusal: { code: 'COUPON_SOLD_OUT', details: { remaining: 0 } } };
        if (outcome.reason === 'limit_reached')
          return {
            ok: false,
            refusal: {
              code: 'COUPON_LIMIT_REACHED',
              message: `每人限领 ${batch.perUserLimit} 张，你已领取 ${outcome.count} 张`,
              details: { perUserLimit: batch.perUserLimit, claimed: outcome.count },
            },
          };
        throw new AppError('SERVICE_UNAVAILABLE');
      }
      if (outcome.replay) {
        // The same request again: its coupon, from the pending log while unrecorded, else from MongoDB.
        const doc = outcome.pending
          ? recordFromPending(batch, outcome.pending, 'grab')
          : await CouponModel.findById(outcome.claimId).lean<CouponDoc>();
        if (!doc) throw new AppError('COUPON_CLAIM_PENDING', { details: { claimId: outcome.claimId } });
        return { ok: true, coupon: toCouponView(doc), remaining: outcome.remaining, replayed: true };
      }
      const doc = couponRecord(batch, claimId, actor.id, outcome.seq, now, 'grab', admission.code, requestKey);
      durable.write(doc);
      return { ok: true, coupon: toCouponView(doc), remaining: outcome.remaining, replayed: false };
    },

    /** Resolves once the records of claims this service answered so far have been written (or failed). */
    async settled(): Promise<void> {
      await durable.idle();
    },
    /** The same as settled() (the name every service with a writer has). */
    idle: (): Promise<void> => durable.idle(),
    /** Shutdown: writes what is queued; anything not written stays pending for reconciliation. */
    close: (): Promise<void> => durable.close(),

    async mine(actor: RoleHolder, status?: CouponStatus): Promise<CouponView[]> {
      // A coupon answered a moment ago may still be in the writer's current batch.
      await durable.idle();
      const filter: Record<string, unknown> = { userId: oid(actor.id) };
      if (status) filter.status = status;
      const docs = await CouponModel.find(filter).sort({ claimedAt: -1 }).limit(200).lean<CouponDoc[]>();
      return docs.map(toCouponView);
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

    /**
     * A clerk (or owner) of a participating merchant scans the code: used exactly once, within validity.
     * `requestKey` (the scan's Idempotency-Key) is kept on the coupon: the same clerk retrying that scan at
     * the same shop with the same key (its answer was lost) gets the success again (`replayed`), not
     * "already used"; anyone else still gets "already used".
     */
    async redeem(
      actor: RoleHolder,
      body: RedeemBody,
      requestKey: string | null = null,
    ): Promise<{ coupon: CouponView; replayed: boolean }> {
      authorize(actor, { ...merchantStaff(body.merchantId, true), adminOverride: false });
      const find = () => CouponModel.findOne({ code: body.code }).lean<CouponDoc>();
      // Scanned right after the grab, the record may still be in the writer's current batch.
      const doc = (await find()) ?? (await durable.idle().then(find));
      if (!doc) throw new AppError('COUPON_NOT_FOUND');
      if (!doc.merchantIds.some((m) => m.toHexString() === body.merchantId)) throw new AppError('COUPON_WRONG_MERCHANT');
      const now = clock.now();
      const retryOf = (d: CouponDoc): boolean =>
        d.status === 'used' &&
        requestKey !== null &&
        d.redeemKey === requestKey &&
        d.redeemedBy?.toHexString() === actor.id &&
        d.redeemedMerchantId?.toHexString() === body.merchantId;
      if (retryOf(doc)) return { coupon: toCouponView(doc), replayed: true };
      const refuse = (d: CouponDoc): AppError => {
        if (d.status === 'used')
          return new AppError('COUPON_ALREADY_USED', { details: { redeemedAt: d.redeemedAt?.toISOString() ?? null } });
        if (d.status === 'expired' || d.validUntil <= now) return new AppError('COUPON_EXPIRED');
        return new AppError('COUPON_NOT_YET_VALID', { details: { validFrom: d.validFrom.toISOString() } });
      };
      if (doc.status !== 'unused' || doc.validUntil <= now || doc.validFrom > now) throw refuse(doc);
      if (body.orderAmount !== undefined && body.orderAmount < doc.threshold)
        throw new AppError('COUPON_THRESHOLD_NOT_MET', { details: { threshold: doc.threshold } });
      // The status guard makes the second of two simultaneous scans find nothing to update.
      const used = await CouponModel.findOneAndUpdate(
        { _id: doc._id, status: 'unused', validUntil: { $gt: now } },
        {
          $set: {
            status: 'used',
            redeemedAt: now,
            redeemedBy: oid(actor.id),
            redeemedMerchantId: oid(body.merchantId),
            ...(requestKey ? { redeemKey: requestKey } : {}),
            ...(body.orderAmount !== undefined ? { orderAmount: body.orderAmount } : {}),
          },
        },
        { returnDocument: 'after' },
      ).lean<CouponDoc>();
      if (!used) {
        const current = (await CouponModel.findById(doc._id).lean<CouponDoc>()) ?? doc;
        if (retryOf(current)) return { coupon: toCouponView(current), replayed: true };
        throw refuse(current);
      }
      return { coupon: toCouponView(used), replayed: false };
    },

    /** Per-batch figures for one batch: its issuer's staff, a participating merchant's staff, editors. */
    async batchStats(actor: RoleHolder, batchId: string): Promise<BatchStats> {
      const batch = await mustFindBatch(batchId);
      const staffOf = batch.merchantIds.map((m) => m.toHexString()).find((m) => can(actor, merchantStaff(m, true)));
      if (!staffOf) authorize(actor, { anyOf: ['editor', 'admin'] });
      return (await statsFor([batch], batch.issuerType === 'government' ? (staffOf ?? null) : null))[0]!;
    },

    /** Every batch usable at a merchant, with claimed / redeemed / expired (and redeemed here). */
    async merchantStats(actor: RoleHolder, merchantId: string): Promise<BatchStats[]> {
      authorize(actor, merchantStaff(merchantId, true));
      const batches = await CouponBatchModel.find({ merchantIds: oid(merchantId) })
        .sort({ createdAt: -1 })
        .limit(200)
        .lean<CouponBatchDoc[]>();
      return statsFor(batches, merchantId);
    },

    // ── lottery releases ──
    async signUp(actor: RoleHolder, batchId: string): Promise<{ signedUp: true; entrants: number }> {
      const batch = await mustFindBatch(batchId, true);
      if (batch.mode !== 'lottery') throw new AppError('COUPON_NOT_LOTTERY');
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
      const batch = await mustFindBatch(batchId, true);
      if (batch.mode !== 'lottery') throw new AppError('COUPON_NOT_LOTTERY');
      const [mine, entrants] = await Promise.all([
        LotteryEntryModel.exists({ batchId: batch._id, userId: oid(actor.id) }),
        LotteryEntryModel.countDocuments({ batchId: batch._id }),
      ]);
      return { signedUp: mine !== null, entrants };
    },

    /** The draw (admin, after sign-up closes): a fresh seed is recorded with the entrants, then winners get coupons. */
    async draw(actor: RoleHolder, batchId: string, seed?: string): Promise<DrawView> {
      authorize(actor, { role: 'admin' });
      return drawBatch(await mustFindBatch(batchId), actor.id, seed);
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
      let drawn = 0;
      for (const batch of due) {
        try {
          await drawBatch(batch, null);
          drawn += 1;
        } catch (err) {
          if (!(isAppError(err) && err.code === 'COUPON_ALREADY_DRAWN')) throw err;
        }
      }
      return { drawn };
    },

    async getDraw(batchId: string): Promise<DrawView> {
      const batch = await mustFindBatch(batchId);
      if (batch.mode !== 'lottery') throw new AppError('COUPON_NOT_LOTTERY');
      if (!batch.draw) throw new AppError('NOT_FOUND', { message: '尚未抽签' });
      return service.drawView(batch);
    },

    drawView(batch: CouponBatchDoc): DrawView {
      const d = batch.draw!;
      return {
        batchId: batch._id.toHexString(),
        seed: d.seed,
        entrants: d.entrants.map((e) => e.toHexString()),
        winners: d.winners.map((w) => w.toHexString()),
        drawnAt: d.drawnAt.toISOString(),
      };
    },

    // ── jobs ──
    /**
     * Makes Redis and MongoDB agree again. For each recent grab batch: a missing gate is rebuilt from the
     * records; each pending admission older than the grace period either already has its record (the
     * crash came after the write: just drop the entry) or gets it now, written from the pending log under
     * the same claim id (so a late original write can't add a second one).
     */
    async reconcile(
      now: Date = clock.now(),
    ): Promise<{ rebuilt: number; confirmed: number; written: number; released: number; dropped: number }> {
      const report = { rebuilt: 0, confirmed: 0, written: 0, released: 0, dropped: 0 };
      const batches = await CouponBatchModel.find({ mode: 'grab', claimEndsAt: { $gt: new Date(now.getTime() - 7 * DAY_MS) } }).lean<
        CouponBatchDoc[]
      >();
      for (const batch of batches) {
        const batchId = batch._id.toHexString();
        const settled = now.getTime() - batch.claimEndsAt.getTime() > DAY_MS;
        if (!(await gate.exists(batchId))) {
          // A gate that vanished while claims may still come is rebuilt; a settled batch's stays gone.
          if (!settled && (await gateLossSettled(batchId)) && (await rebuildGate(batch))) report.rebuilt += 1;
          continue;
        }
        for (const p of await gate.pending(batchId)) {
          if (now.getTime() - p.admittedAt.getTime() < RECONCILE_GRACE_MS) continue;
          if (!Types.ObjectId.isValid(p.claimId) || !Types.ObjectId.isValid(p.userId)) {
            if (await gate.release(batchId, p.claimId)) report.released += 1;
            continue;
          }
          if (await CouponModel.exists({ _id: oid(p.claimId) })) {
            await gate.confirm(batchId, [p.claimId]);
            report.confirmed += 1;
            continue;
          }
          try {
            await CouponModel.collection.insertOne(recordFromPending(batch, p, 'reconciled'));
            report.written += 1;
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
            // Same (batch, user, seq) under another id can only mean this admission is a stale duplicate.
            if (!(await CouponModel.exists({ _id: oid(p.claimId) }))) {
              if (await gate.release(batchId, p.claimId)) report.released += 1;
              continue;
            }
            report.confirmed += 1;
          }
          await gate.confirm(batchId, [p.claimId]);
        }
        // A day after the window closed, with nothing pending, the gate has done its work: free Redis.
        if (settled && (await gate.pending(batchId)).length === 0 && (await gate.drop(batchId))) report.dropped += 1;
      }
      // Lottery draws whose coupons were not all issued (a crash right after the draw was recorded).
      const drawn = await CouponBatchModel.find({ mode: 'lottery', 'draw.drawnAt': { $gt: new Date(now.getTime() - 7 * DAY_MS) } }).lean<
        CouponBatchDoc[]
      >();
      for (const batch of drawn) {
        const have = await CouponModel.countDocuments({ batchId: batch._id });
        if (have < (batch.draw?.winners.length ?? 0)) report.written += await issueLotteryCoupons(batch);
      }
      return report;
    },

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
  return service;
}
