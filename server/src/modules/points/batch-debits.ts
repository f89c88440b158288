import { Types, type ClientSession } from 'mongoose';
import { oid } from '../../core/db';
import { shanghaiDay, shanghaiMonth } from '../../core/time';
import { PointsAccountModel, PointsEntryModel, type PointsEntryDoc } from './points.model';

/**
 * Batched ledger debits inside the caller's transaction (the mall's redemption writer debits a batch of
 * redemptions together with their records and stock). One read of the users' balances and open lots, then
 * each debit is decided in memory — soonest-expiring lots first, among the lots valid at the debit's time —
 * and everything is written with one bulk write per collection.
 */

/** One debit of a batch. */
export interface BatchDebit {
  userId: string;
  /** Positive integer. */
  amount: number;
  /** Only lots still valid at this instant (ms) are spent: the time the debit was promised. */
  validAt: number;
  source: 'mall';
  reason: string;
  ref: { type: string; id: string };
  idempotencyKey: string;
  /** The entry's time (its day and month for caps). */
  at: Date;
}

export type BatchDebitVerdict = { ok: true } | { ok: false; balance: number; coverable: number };

export interface BatchDebits {
  /** Decides one debit (in order) against what the batch's earlier debits left; nothing is written yet. */
  debit(d: BatchDebit): BatchDebitVerdict;
  /**
   * Writes the lots, balances and debit entries decided so far. A lot or account changed since the read is a
   * write conflict (code 112): the caller's transaction retries on a fresh snapshot.
   */
  write(now: Date): Promise<void>;
}

interface Lot {
  _id: Types.ObjectId;
  remaining: number;
  expiresAt: Date;
  /** remaining as read (the write's guard). */
  was: number;
}

const conflict = () => Object.assign(new Error('ledger changed under the debit batch'), { code: 112 });

/** Reads these users' balances and open lots in `session` and returns the batch to decide debits against. */
export async function openBatchDebits(session: ClientSession, userIds: readonly string[]): Promise<BatchDebits> {
  const users = [...new Set(userIds)].map(oid);
  const accounts = await PointsAccountModel.collection.find({ _id: { $in: users } }, { session, projection: { balance: 1 } }).toArray();
  const balance = new Map<string, number>(users.map((u) => [u.toHexString(), 0]));
  for (const a of accounts) balance.set((a._id as Types.ObjectId).toHexString(), a.balance as number);
  const lotsOf = await openLots(session, users, balance);
  const entries: PointsEntryDoc[] = [];

  return {
    debit(d) {
      const bal = balance.get(d.userId) ?? 0;
      const lots = (lotsOf.get(d.userId) ?? []).filter((l) => l.remaining > 0 && l.expiresAt.getTime() > d.validAt);
      const coverable = lots.reduce((s, l) => s + l.remaining, 0);
      if (bal < d.amount || coverable < d.amount) return { ok: false, balance: bal, coverable };
      const consumed: NonNullable<PointsEntryDoc['lots']> = [];
      let left = d.amount;
      for (const lot of lots) {
        if (left === 0) break;
        const take = Math.min(left, lot.remaining);
        lot.remaining -= take;
        left -= take;
        consumed.push({ entryId: lot._id, amount: take, expiresAt: lot.expiresAt });
      }
      balance.set(d.userId, bal - d.amount);
      entries.push({
        _id: new Types.ObjectId(),
        userId: oid(d.userId),
        amount: -d.amount,
        source: d.source,
        reason: d.reason,
        refType: d.ref.type,
        refId: d.ref.id,
        idempotencyKey: d.idempotencyKey,
        day: shanghaiDay(d.at),
        month: shanghaiMonth(d.at),
        lots: consumed,
        balanceAfter: bal - d.amount,
        createdAt: d.at,
      });
      return { ok: true };
    },

    async write(now) {
      const lotOps = [...lotsOf.values()]
        .flat()
        .filter((l) => l.remaining !== l.was)
        .map((l) => ({
          updateOne: {
            filter: { _id: l._id, remaining: l.was },
            update: l.remaining === 0 ? { $set: { remaining: 0 }, $unset: { open: '' } } : { $set: { remaining: l.remaining } },
          },
        }));
      if (lotOps.length > 0) {
        const r = await PointsEntryModel.collection.bulkWrite(lotOps, { session, ordered: true });
        if (r.matchedCount !== lotOps.length) throw conflict();
      }
      const touched = new Set(entries.map((e) => e.userId.toHexString()));
      const accountOps = [...touched].map((u) => ({
        updateOne: { filter: { _id: oid(u) }, update: { $set: { balance: balance.get(u)!, updatedAt: now } } },
      }));
      if (accountOps.length > 0) {
        const r = await PointsAccountModel.collection.bulkWrite(accountOps, { session, ordered: true });
        if (r.matchedCount !== accountOps.length) throw conflict();
      }
      if (entries.length > 0) await PointsEntryModel.collection.insertMany(entries, { session, ordered: true });
    },
  };
}

/**
 * Open lots per user, soonest expiry first, read through the {userId, open} index. Lots written before the
 * `open` marker existed are found by comparing with the balance (sum of open lots = balance) and marked.
 */
async function openLots(session: ClientSession, users: Types.ObjectId[], balance: Map<string, number>): Promise<Map<string, Lot[]>> {
  const docs = await PointsEntryModel.collection
    .find({ userId: { $in: users }, open: true }, { session, projection: { userId: 1, remaining: 1, expiresAt: 1 } })
    .toArray();
  const byUser = new Map<string, Lot[]>();
  const add = (d: Record<string, unknown>) => {
    const u = (d.userId as Types.ObjectId).toHexString();
    const lot: Lot = {
      _id: d._id as Types.ObjectId,
      remaining: d.remaining as number,
      was: d.remaining as number,
      expiresAt: d.expiresAt as Date,
    };
    if (lot.remaining > 0) byUser.set(u, [...(byUser.get(u) ?? []), lot]);
  };
  for (const d of docs) add(d);
  for (const u of users) {
    const id = u.toHexString();
    const sum = (byUser.get(id) ?? []).reduce((s, l) => s + l.remaining, 0);
    if (sum === (balance.get(id) ?? 0)) continue;
    const all = await PointsEntryModel.collection
      .find({ userId: u, remaining: { $gt: 0 } }, { session, projection: { userId: 1, remaining: 1, expiresAt: 1 } })
      .toArray();
    byUser.delete(id);
    for (const d of all) add(d);
    if (all.length > 0)
      await PointsEntryModel.collection.updateMany({ _id: { $in: all.map((d) => d._id) } }, { $set: { open: true } }, { session });
  }
  for (const lots of byUser.values())
    lots.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || (a._id.toHexString() < b._id.toHexString() ? -1 : 1));
  return byUser;
}
