import { Types } from 'mongoose';
import { oid } from '../../core/db';
import { storedIds } from '../../core/db/insert-proven';
import { createBatchWriter } from '../../core/batch/batch-writer';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { PointsService } from '../points';
import { GoodsModel, RedemptionModel, type RedemptionDoc } from './mall.model';
import type { PendingRedemption, RedeemGate } from './redeem-gate';

/**
 * The durable half of a redemption: for a batch of admitted redemptions, ONE MongoDB transaction writes
 * every debit entry (soonest-expiring lots first, among the lots valid when the gate admitted it), the
 * balances, the lots' remainders, the redemption records and the stock — then the pending entries are
 * dropped from Redis. Idempotent by redemption id (an id already in MongoDB is skipped), so the batching
 * writer, a frozen ledger write, a cancellation and the reconciliation job may all write the same item:
 * it lands once.
 */

export interface RedeemWriterDeps {
  gate: RedeemGate;
  logger: Logger;
  /** The ledger: its transaction runner and its batched debits (joined to the redemptions' transaction). */
  points: Pick<PointsService, 'withTransaction' | 'batchDebits'>;
}

export interface WriteReport {
  written: number;
  existing: number;
  /**
   * Admitted but not coverable by the durable ledger or short of MongoDB's stock (never expected): recorded
   * as cancelled, nothing debited, no unit taken; the gate's caches reload.
   */
  voided: number;
  /**
   * Admitted under an Idempotency-Key MongoDB already holds for the user (a retry after the gate's record
   * expired) or, astronomically unlikely, a code already issued: not written; the gate's caches reload.
   */
  dropped: number;
}

const conflict = () => Object.assign(new Error('stock changed under the redemption batch'), { code: 112 });

/** Some items of a batch could not be written even one by one (they stay pending); the others were. */
export class RedemptionWriteError extends Error {
  constructor(
    readonly report: WriteReport,
    readonly failed: readonly PendingRedemption[],
    cause: unknown,
  ) {
    super(`${failed.length} admitted redemption(s) could not be written to MongoDB`, { cause });
  }
}

/**
 * Writes a batch of pending redemptions (one transaction) and confirms them in Redis. `optimistic` (the
 * batching writer, whose items are fresh) skips the look-ups for ids, keys and codes already recorded: if
 * one is, a unique index refuses the insert, the transaction is retried and the second attempt looks.
 *
 * An item MongoDB can't honour (points or stock short) is voided on its own. If the batch still fails with
 * an error its transaction's retries did not cure (other than contention), the ids are re-read: those stored
 * (a commit whose answer was lost) are confirmed, the others written one by one, so one bad item can't hold
 * up the others; what fails is reported by a RedemptionWriteError and stays pending.
 */
export async function writeRedemptions(
  deps: RedeemWriterDeps,
  batch: readonly PendingRedemption[],
  options: { optimistic?: boolean } = {},
): Promise<WriteReport> {
  try {
    return await writeBatch(deps, batch, options);
  } catch (err) {
    if (batch.length <= 1 || (err instanceof AppError && err.code === 'POINTS_BUSY')) throw err;
    // Decided by what is stored, not by the error: a commit whose answer was lost may have landed. A record
    // found commits with its debit, so it is confirmed as it stands (never applied again); if MongoDB can't
    // even be read, nothing is proven and everything stays pending (no use trying each item meanwhile).
    const landed = await storedIds(
      RedemptionModel.collection,
      batch.filter((i) => Types.ObjectId.isValid(i.id)).map((i) => oid(i.id)),
    ).catch(() => null);
    if (!landed) throw new RedemptionWriteError({ written: 0, existing: 0, voided: 0, dropped: 0 }, batch, err);
    const report: WriteReport = { written: 0, existing: landed.size, voided: 0, dropped: 0 };
    if (landed.size > 0) await deps.gate.confirm(batch.filter((i) => landed.has(i.id)));
    deps.logger.warn({ err, count: batch.length, landed: landed.size }, 'redemption batch failed; writing its items one by one');
    const failed: PendingRedemption[] = [];
    for (const item of batch.filter((i) => !landed.has(i.id))) {
      try {
        const r = await writeBatch(deps, [item]);
        report.written += r.written;
        report.existing += r.existing;
        report.voided += r.voided;
        report.dropped += r.dropped;
      } catch (itemErr) {
        deps.logger.error({ err: itemErr, redemptionId: item.id, userId: item.u, goodsId: item.g }, 'admitted redemption not written');
        failed.push(item);
      }
    }
    if (failed.length > 0) throw new RedemptionWriteError(report, failed, err);
    return report;
  }
}

async function writeBatch(
  deps: RedeemWriterDeps,
  batch: readonly PendingRedemption[],
  { optimistic = false }: { optimistic?: boolean } = {},
): Promise<WriteReport> {
  if (batch.length === 0) return { written: 0, existing: 0, voided: 0, dropped: 0 };
  const byId = new Map(batch.filter((i) => Types.ObjectId.isValid(i.id)).map((i) => [i.id, i]));
  const items = [...byId.values()].sort((a, b) => a.a - b.a || (a.id < b.id ? -1 : 1));
  let attempts = 0;
  const report = await deps.points.withTransaction(async (session) => {
    const out = { written: 0, existing: 0, voided: 0, dropped: 0, reload: [] as PendingRedemption[] };
    attempts += 1;
    const look = !optimistic || attempts > 1;
    const have = look
      ? await RedemptionModel.collection.find({ _id: { $in: items.map((i) => oid(i.id)) } }, { session, projection: { _id: 1 } }).toArray()
      : [];
    const done = new Set(have.map((d) => (d._id as Types.ObjectId).toHexString()));
    let todo = items.filter((i) => !done.has(i.id));
    out.existing = items.length - todo.length;
    if (todo.length === 0) return out;
    const [sameKey, sameCode] = !look
      ? [[], []]
      : await Promise.all([
          RedemptionModel.collection
            .find({ requestKey: { $in: todo.map((i) => i.k) } }, { session, projection: { userId: 1, requestKey: 1 } })
            .toArray(),
          RedemptionModel.collection.find({ code: { $in: todo.map((i) => i.c) } }, { session, projection: { code: 1 } }).toArray(),
        ]);
    const taken = new Set([
      ...sameKey.map((d) => `k:${(d.userId as Types.ObjectId).toHexString()}:${d.requestKey as string}`),
      ...sameCode.map((d) => `c:${d.code as string}`),
    ]);
    if (taken.size > 0) {
      const clash = (i: PendingRedemption) => taken.has(`k:${i.u}:${i.k}`) || taken.has(`c:${i.c}`);
      for (const i of todo.filter(clash)) {
        deps.logger.error({ redemptionId: i.id, userId: i.u }, 'admitted redemption clashes with a recorded one (key or code); dropped');
        out.dropped += 1;
        out.reload.push(i);
      }
      todo = todo.filter((i) => !clash(i));
      if (todo.length === 0) return out;
    }

    const ledger = await deps.points.batchDebits(
      session,
      todo.map((i) => i.u),
    );
    // Stock as MongoDB holds it (the snapshot the guarded $inc below writes against).
    const goodsIds = [...new Set(todo.map((i) => i.g))].map(oid);
    const stockDocs = await GoodsModel.collection.find({ _id: { $in: goodsIds } }, { session, projection: { stock: 1 } }).toArray();
    const stockLeft = new Map<string, number>(goodsIds.map((g) => [g.toHexString(), 0]));
    for (const d of stockDocs) stockLeft.set((d._id as Types.ObjectId).toHexString(), (d.stock as number | undefined) ?? 0);

    const now = new Date();
    const records: RedemptionDoc[] = [];
    const units = new Map<string, number>();
    for (const item of todo) {
      const record = redemptionRecord(item);
      const stock = stockLeft.get(item.g) ?? 0;
      if (stock < 1) {
        // The gate never admits more than MongoDB's stock less what is pending: a broken invariant (stock
        // changed behind the gate's back). This item alone is voided; the rest of the batch goes on.
        deps.logger.error({ redemptionId: item.id, userId: item.u, goodsId: item.g, stock }, 'admitted redemption short of stock');
        records.push({ ...record, status: 'cancelled', cancelledAt: now, cancelReason: '库存不足，兑换未成立（系统撤销）' });
        out.voided += 1;
        out.reload.push(item);
        continue;
      }
      // Among the lots valid when the gate admitted it.
      const verdict = ledger.debit({
        userId: item.u,
        amount: item.p,
        validAt: item.a,
        source: 'mall',
        reason: `兑换「${item.n}」`,
        ref: { type: 'redemption', id: item.id },
        idempotencyKey: record.debitKey,
        at: new Date(item.a),
      });
      if (!verdict.ok) {
        deps.logger.error(
          { redemptionId: item.id, userId: item.u, price: item.p, balance: verdict.balance, coverable: verdict.coverable },
          'admitted redemption not coverable',
        );
        records.push({ ...record, status: 'cancelled', cancelledAt: now, cancelReason: '积分不足，兑换未成立（系统撤销）' });
        out.voided += 1;
        out.reload.push(item);
        continue;
      }
      records.push(record);
      stockLeft.set(item.g, stock - 1);
      units.set(item.g, (units.get(item.g) ?? 0) + 1);
      out.written += 1;
    }

    await ledger.write(now);
    await RedemptionModel.collection.insertMany(records, { session, ordered: true });
    const goodsOps = [...units].map(([g, n]) => ({
      updateOne: { filter: { _id: oid(g), stock: { $gte: n } }, update: { $inc: { stock: -n }, $set: { updatedAt: now } } },
    }));
    if (goodsOps.length > 0) {
      const r = await GoodsModel.collection.bulkWrite(goodsOps, { session, ordered: true });
      // Checked against this transaction's snapshot above: a miss is a concurrent write (retried).
      if (r.matchedCount !== goodsOps.length) throw conflict();
    }
    return out;
  });
  // Confirmed here only after a commit MongoDB acknowledged. A commit whose answer was lost (network error,
  // UnknownTransactionCommitResult after the retries) throws past this line, and what happens next is decided
  // by re-reading the ids (writeRedemptions' fallback; a non-optimistic attempt looks first too), never by
  // the error. Proven in test/http/points-gate.test.ts ("MongoDB dying at the commit…").
  await deps.gate.confirm(batch);
  if (report.reload.length > 0) {
    // Redis took points and a unit that MongoDB never will: reload both from MongoDB.
    await deps.gate.invalidate(
      report.reload.map((i) => i.u),
      report.reload.map((i) => i.g),
    );
  }
  return { written: report.written, existing: report.existing, voided: report.voided, dropped: report.dropped };
}

export function redemptionRecord(item: PendingRedemption): RedemptionDoc {
  return {
    _id: oid(item.id),
    goodsId: oid(item.g),
    goodsName: item.n,
    userId: oid(item.u),
    price: item.p,
    deliveryMode: item.d,
    outletId: item.o,
    status: 'pending',
    code: item.c,
    requestKey: item.k,
    debitKey: `mall:redeem:${item.id}`,
    shipping: item.s,
    createdAt: new Date(item.a),
    fulfilledAt: null,
    fulfilledBy: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
  };
}

/** The redemption writer's batching (the points bench's bare server batches its durable writes the same way). */
export const REDEEM_BATCH = { maxBatch: 200, lingerMs: 20 } as const;

export interface RedeemWriter {
  /** Queues an admitted redemption for the next batch (its pending entry is dropped once it is written). */
  push(item: PendingRedemption): void;
  /** Resolves once everything queued before the call has been tried. */
  drained(): Promise<void>;
  /** Writes what is queued and stops (anything not written stays pending for reconciliation). */
  close(): Promise<void>;
}

/**
 * Batches the durable writes of one mall service (core/batch): redemptions admitted while a batch is being
 * written share the next one (each transaction costs the same few round trips whether it carries 2
 * redemptions or 200, and a unique-key check costs the same in a big transaction as in a small one). The
 * user has their answer already; a batch that fails stays pending in Redis and is written by the next freeze
 * of that user or goods, or by the reconciliation job.
 */
export function createRedeemWriter(deps: RedeemWriterDeps): RedeemWriter {
  const writer = createBatchWriter<PendingRedemption>({
    ...REDEEM_BATCH,
    async write(items) {
      try {
        await writeRedemptions(deps, items, { optimistic: true });
        return { failed: [] };
      } catch (err) {
        return { failed: err instanceof RedemptionWriteError ? err.failed : items, error: err };
      }
    },
    onFailure(items, err) {
      deps.logger.error({ err, count: items.length }, 'redemption batch not written; reconciliation will');
    },
  });
  return {
    push(item) {
      void writer.write(item);
    },
    drained: () => writer.idle(),
    close: () => writer.close(),
  };
}
