import type { ClientSession, Types } from 'mongoose';
import { POINTS_SOURCE_LABELS, type PointsEntry, type PointsSource } from '@shared/schemas/points';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { shanghaiDay, shanghaiMonth } from '../../core/time';
import { PointsAccountModel, PointsEntryModel, type PointsEntryDoc } from './points.model';
import type { SpendInput, SpendResult } from './points.types';

/**
 * The ledger's writes inside a transaction: the balance, an entry, a credit (a lot), a debit (soonest-expiring
 * lots first) and the expiry of lapsed lots. Every one writes the user's account document, so writes for one
 * user serialise (see runTransaction).
 */

/** A lot changed under the transaction: a write conflict, retried on a fresh snapshot. */
export const lotConflict = () => Object.assign(new Error('lot changed under the transaction'), { code: 112 });

export function toEntry(doc: PointsEntryDoc): PointsEntry {
  return {
    id: doc._id.toHexString(),
    amount: doc.amount,
    source: doc.source,
    sourceLabel: POINTS_SOURCE_LABELS[doc.source],
    reason: doc.reason,
    ref: doc.refType && doc.refId ? { type: doc.refType, id: doc.refId } : null,
    expiresAt: doc.expiresAt ? doc.expiresAt.toISOString() : null,
    remaining: doc.remaining ?? null,
    balanceAfter: doc.balanceAfter,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** Adds `delta` to the balance; with a guard the balance never goes below zero. Null when the guard fails. */
export async function moveBalance(session: ClientSession, userId: Types.ObjectId, delta: number, now: Date): Promise<number | null> {
  if (delta >= 0) {
    const doc = await PointsAccountModel.findOneAndUpdate(
      { _id: userId },
      { $inc: { balance: delta }, $set: { updatedAt: now } },
      { upsert: true, returnDocument: 'after', session, lean: true },
    );
    return doc!.balance;
  }
  const doc = await PointsAccountModel.findOneAndUpdate(
    { _id: userId, balance: { $gte: -delta } },
    { $inc: { balance: delta }, $set: { updatedAt: now } },
    { returnDocument: 'after', session, lean: true },
  );
  return doc ? doc.balance : null;
}

export async function insertEntry(session: ClientSession, doc: Omit<PointsEntryDoc, '_id'>): Promise<PointsEntryDoc> {
  const [created] = await PointsEntryModel.create([doc], { session });
  return created!.toObject();
}

/** Writes expiry entries for the user's lapsed lots, inside the caller's transaction. */
export async function expireLapsedOf(session: ClientSession, userId: Types.ObjectId, now: Date): Promise<{ lots: number; points: number }> {
  const lapsed = await PointsEntryModel.find({ userId, remaining: { $gt: 0 }, expiresAt: { $lte: now } })
    .sort({ expiresAt: 1, _id: 1 })
    .session(session)
    .lean<PointsEntryDoc[]>();
  let points = 0;
  for (const lot of lapsed) {
    const left = lot.remaining!;
    const res = await PointsEntryModel.updateOne(
      { _id: lot._id, remaining: left },
      { $set: { remaining: 0 }, $unset: { open: '' } },
      { session },
    );
    if (res.modifiedCount !== 1) throw lotConflict();
    const balance = await moveBalance(session, userId, -left, now);
    if (balance === null) throw new Error(`points invariant broken: lots exceed balance for ${userId.toHexString()}`);
    await insertEntry(session, {
      userId,
      amount: -left,
      source: 'expiry',
      reason: `积分过期（${shanghaiDay(lot.expiresAt!)}到期：${lot.reason}）`,
      refType: 'points_entry',
      refId: lot._id.toHexString(),
      idempotencyKey: `expiry:${lot._id.toHexString()}`,
      day: shanghaiDay(now),
      month: shanghaiMonth(now),
      lots: [{ entryId: lot._id, amount: left, expiresAt: lot.expiresAt! }],
      balanceAfter: balance,
      createdAt: now,
    });
    points += left;
  }
  return { lots: lapsed.length, points };
}

export async function credit(
  session: ClientSession,
  input: {
    userId: Types.ObjectId;
    amount: number;
    source: PointsSource;
    reason: string;
    ref: { type: string; id: string } | null;
    key: string;
    expiresAt: Date;
  },
  now: Date,
): Promise<{ entry: PointsEntryDoc; balance: number }> {
  const balance = (await moveBalance(session, input.userId, input.amount, now))!;
  const entry = await insertEntry(session, {
    userId: input.userId,
    amount: input.amount,
    source: input.source,
    reason: input.reason,
    ...(input.ref ? { refType: input.ref.type, refId: input.ref.id } : {}),
    idempotencyKey: input.key,
    day: shanghaiDay(now),
    month: shanghaiMonth(now),
    expiresAt: input.expiresAt,
    remaining: input.amount,
    open: true,
    balanceAfter: balance,
    createdAt: now,
  });
  return { entry, balance };
}

export async function debit(session: ClientSession, input: SpendInput, now: Date): Promise<SpendResult> {
  const userId = oid(input.userId);
  const existing = await PointsEntryModel.findOne({ idempotencyKey: input.idempotencyKey }).session(session).lean<PointsEntryDoc>();
  if (existing) {
    if (!existing.userId.equals(userId) || existing.amount !== -input.amount) throw new AppError('POINTS_KEY_CONFLICT');
    const account = await PointsAccountModel.findById(userId).session(session).lean();
    return { status: 'duplicate', entryId: existing._id.toHexString(), amount: input.amount, balance: account?.balance ?? 0 };
  }
  // Lapsed lots are never spent, even if the expiry job hasn't reached them yet.
  await expireLapsedOf(session, userId, now);
  const balance = await moveBalance(session, userId, -input.amount, now);
  if (balance === null) {
    const account = await PointsAccountModel.findById(userId).session(session).lean();
    throw new AppError('POINTS_INSUFFICIENT', {
      message: `积分不足：需要 ${input.amount}，当前 ${account?.balance ?? 0}`,
      details: { required: input.amount, balance: account?.balance ?? 0 },
    });
  }
  const lots = await PointsEntryModel.find({ userId, remaining: { $gt: 0 } })
    .sort({ expiresAt: 1, _id: 1 })
    .session(session)
    .lean<PointsEntryDoc[]>();
  const consumed: Array<{ entryId: Types.ObjectId; amount: number; expiresAt: Date }> = [];
  let left = input.amount;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining!);
    const res = await PointsEntryModel.updateOne(
      { _id: lot._id, remaining: lot.remaining },
      take === lot.remaining ? { $set: { remaining: 0 }, $unset: { open: '' } } : { $inc: { remaining: -take } },
      { session },
    );
    if (res.modifiedCount !== 1) throw lotConflict();
    consumed.push({ entryId: lot._id, amount: take, expiresAt: lot.expiresAt! });
    left -= take;
  }
  if (left !== 0) throw new Error(`points invariant broken: lots short of balance for ${input.userId}`);
  const entry = await insertEntry(session, {
    userId,
    amount: -input.amount,
    source: input.source,
    reason: input.reason,
    ...(input.ref ? { refType: input.ref.type, refId: input.ref.id } : {}),
    idempotencyKey: input.idempotencyKey,
    day: shanghaiDay(now),
    month: shanghaiMonth(now),
    lots: consumed,
    balanceAfter: balance,
    createdAt: now,
  });
  return { status: 'debited', entryId: entry._id.toHexString(), amount: input.amount, balance };
}
