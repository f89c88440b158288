import { randomUUID } from 'node:crypto';
import type { ClientSession, Connection, QueryFilter, Types } from 'mongoose';
import {
  EARN_SOURCES,
  POINTS_SOURCE_LABELS,
  type BalanceResponse,
  type EarnSource,
  type ExpiringSoonResponse,
  type LedgerQuery,
  type LedgerResponse,
  type PointsEntry,
  type PointsRule,
  type PointsSource,
  type UpdateRuleBody,
} from '@shared/schemas/points';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { WechatClient } from '../../core/wechat';
import { shanghaiDay, shanghaiMonth } from '../../core/time';
import type { AuditService } from '../audit';
import { openBatchDebits, type BatchDebits } from './batch-debits';
import { composeGuards, type LedgerWriteGuard } from './ledger-guard';
import { withLocalLocks } from './local-locks';
import {
  PointsAccountModel,
  PointsEntryModel,
  PointsRuleModel,
  PointsSettingsModel,
  type PointsEntryDoc,
  type PointsRuleDoc,
} from './points.model';

export type { PointsSource } from '@shared/schemas/points';

const DAY_MS = 86_400_000;
export const DEFAULT_EXPIRY_DAYS = 365;
/** Users hear about lapsing points this long ahead (subscribe message) and see them as "expiring soon". */
export const EXPIRY_NOTICE_DAYS = 7;

/** Rules in force until an admin sets one (reading: 5 an article, at most 50 a day). */
export const DEFAULT_RULES: Readonly<Record<EarnSource, Omit<PointsRule, 'source'>>> = {
  reading: { amount: 5, dailyCap: 50, monthlyCap: null, enabled: true },
  volunteer: { amount: 10, dailyCap: 100, monthlyCap: null, enabled: true },
  contribution: { amount: 20, dailyCap: null, monthlyCap: null, enabled: true },
  contest: { amount: 0, dailyCap: null, monthlyCap: null, enabled: true },
  civic: { amount: 10, dailyCap: 50, monthlyCap: null, enabled: true },
};

export interface EarnInput {
  /** users._id as string. */
  userId: string;
  source: EarnSource;
  /** Positive integer; omitted → the admin-set rule amount for the source. */
  amount?: number;
  /** Chinese, shown to the user, e.g. '阅读《…》'. */
  reason: string;
  /** What caused it, e.g. {type:'article', id}. */
  ref: { type: string; id: string };
  /** Unique per cause, e.g. `volunteer:${activityId}:${userId}`; same key → no second credit. */
  idempotencyKey: string;
}

export type EarnResult =
  | { status: 'credited'; amount: number; entryId: string; balance: number }
  /** Already paid under this idempotency key: the entry and what it paid. */
  | { status: 'duplicate'; entryId: string; amount: number }
  | { status: 'capped'; cap: 'day' | 'month' | 'disabled'; message: string };

export interface SpendInput {
  userId: string;
  /** Positive integer: how many points to take. */
  amount: number;
  source: 'mall' | 'admin';
  reason: string;
  ref: { type: string; id: string } | null;
  idempotencyKey: string;
}

export type SpendResult = { status: 'debited' | 'duplicate'; entryId: string; amount: number; balance: number };

export interface RefundInput {
  /** The debit being (partly) given back: its idempotency key. Its lots' expiry dates are restored. */
  debitKey: string;
  reason: string;
  ref: { type: string; id: string } | null;
  idempotencyKey: string;
}

export interface TxOptions {
  /** Run inside the caller's transaction (the mall debits points and stock in one). */
  session?: ClientSession;
}

export interface PointsService {
  /** Credits points for a cause, once per idempotencyKey, within the source's caps. */
  earn(input: EarnInput): Promise<EarnResult>;
  /** Debits points, soonest-expiring lots first; POINTS_INSUFFICIENT if the balance can't cover it. */
  spend(input: SpendInput, options?: TxOptions): Promise<SpendResult>;
  /** Gives a debit back as new credit entries carrying the consumed lots' expiry dates. */
  refund(input: RefundInput, options?: TxOptions): Promise<{ status: 'refunded' | 'duplicate'; amount: number; balance: number }>;
  balance(userId: string): Promise<BalanceResponse>;
  ledger(userId: string, query: LedgerQuery): Promise<LedgerResponse>;
  expiringSoon(userId: string, days?: number): Promise<ExpiringSoonResponse>;
  /**
   * Admin correction with a mandatory reason; audited. `requestKey` (the request's Idempotency-Key) makes a
   * retry after a lost answer find the first correction instead of applying a second one.
   */
  adjust(
    actor: { id: string; requestId?: string },
    userId: string,
    amount: number,
    reason: string,
    requestKey?: string | null,
  ): Promise<{ entry: PointsEntry; balance: number }>;
  rules(): Promise<{ rules: PointsRule[]; expiryDays: number }>;
  updateRule(actor: { id: string; requestId?: string }, source: EarnSource, patch: UpdateRuleBody): Promise<PointsRule>;
  setExpiryDays(actor: { id: string; requestId?: string }, days: number): Promise<number>;
  /** Writes expiry entries for one user's lapsed lots (idempotent). Call before joining spend() to your transaction. */
  expireLapsed(userId: string): Promise<{ lots: number; points: number }>;
  /** Writes expiry entries for every lapsed lot (idempotent). */
  expireDue(): Promise<{ lots: number; points: number }>;
  /** Sends the 7-days-ahead subscribe message once per lot. */
  notifyExpiring(): Promise<{ users: number; lots: number }>;
  /** Runs `fn` in a MongoDB transaction, retrying write conflicts. The mall uses it to join stock and points. */
  withTransaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T>;
  /** The balance and the expiry of the first open lot (null: none), straight from MongoDB (the mall's gate loads them). */
  spendable(userId: string): Promise<{ balance: number; firstExpiry: Date | null }>;
  /** Batched debits inside the caller's transaction `session`, for these users (see batch-debits.ts). */
  batchDebits(session: ClientSession, userIds: readonly string[]): Promise<BatchDebits>;
  /**
   * Registers a guard around every ledger write of this service (the mall's, keeping its cached balances
   * honest); registered once by whoever caches balances.
   */
  guardLedgerWrites(guard: LedgerWriteGuard): void;
}

export interface PointsServiceDeps {
  clock: Clock;
  db: Connection;
  logger: Logger;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  audit: Pick<AuditService, 'record'>;
  users: { openidOf(id: string): Promise<string | null> };
  /** Subscribe-message template for "积分即将过期" (thing1 title, number2 points, date3 expiry date): config.templates.pointsExpiry. */
  expiryTemplateId: string;
  /**
   * Queue writers of one account inside this process (default true). Only saves WriteConflict retries;
   * the property test turns it off to prove the transactions alone keep the ledger exact.
   */
  localLocks?: boolean;
}

/** The in-process lock key of a user's account (the mall takes it, with its goods key, before its transaction). */
export const accountLockKey = (userId: string) => `points:account:${userId}`;

/** Re-exported: the module's public API and its tests name the caps' day and month by them. */
export { shanghaiDay, shanghaiMonth };

/** The days (YYYY-MM-DD) of a month (YYYY-MM). */
export function daysOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

function toEntry(doc: PointsEntryDoc): PointsEntry {
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

function ruleOf(source: EarnSource, doc: PointsRuleDoc | null): PointsRule {
  const d = DEFAULT_RULES[source];
  return doc
    ? { source, amount: doc.amount, dailyCap: doc.dailyCap ?? null, monthlyCap: doc.monthlyCap ?? null, enabled: doc.enabled }
    : { source, ...d };
}

function isTransient(err: unknown): boolean {
  const e = err as { code?: number; errorLabels?: string[]; hasErrorLabel?: (l: string) => boolean; errorLabelSet?: Set<string> };
  if (!e || typeof e !== 'object') return false;
  if (e.code === 112 || isDuplicateKey(e) || e.code === 251) return true;
  if (typeof e.hasErrorLabel === 'function' && e.hasErrorLabel('TransientTransactionError')) return true;
  return Array.isArray(e.errorLabels) && e.errorLabels.includes('TransientTransactionError');
}

function isUnknownCommit(err: unknown): boolean {
  const e = err as { hasErrorLabel?: (l: string) => boolean };
  return typeof e?.hasErrorLabel === 'function' && e.hasErrorLabel('UnknownTransactionCommitResult');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MAX_ATTEMPTS = 200;

const isOid = (id: string) => /^[0-9a-f]{24}$/i.test(id);

export function createPointsService(deps: PointsServiceDeps): PointsService {
  const { clock } = deps;

  /**
   * Every ledger write is a transaction that also writes the user's account document, so writes for
   * one user serialise (a concurrent one fails with WriteConflict and is retried on a fresh snapshot):
   * balance = sum of entries holds at every commit, and guards read in the snapshot stay true.
   */
  async function withTransaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = await deps.db.startSession();
    try {
      for (let attempt = 1; ; attempt++) {
        session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
        try {
          const result = await fn(session);
          for (let c = 0; ; c++) {
            try {
              await session.commitTransaction();
              break;
            } catch (err) {
              if (isUnknownCommit(err) && c < 5) continue;
              throw err;
            }
          }
          return result;
        } catch (err) {
          if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
          if (!isTransient(err)) throw err;
          if (attempt >= MAX_ATTEMPTS) throw new AppError('POINTS_BUSY', { cause: err });
          // Jittered backoff: contenders for one account or one goods document spread out instead of colliding again.
          await sleep(Math.random() * Math.min(50, 2 * attempt));
        }
      }
    } finally {
      await session.endSession();
    }
  }

  const useLocks = deps.localLocks ?? true;
  function locked<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    return useLocks ? withLocalLocks(keys, fn) : fn();
  }

  /** Joins the caller's transaction (the caller holds the locks), or runs its own under the account's lock. */
  function inTx<T>(userId: string, options: TxOptions | undefined, fn: (session: ClientSession) => Promise<T>): Promise<T> {
    return options?.session ? fn(options.session) : locked([accountLockKey(userId)], () => withTransaction(fn));
  }

  const guards: LedgerWriteGuard[] = [];
  let guard = composeGuards(guards);

  /**
   * Every ledger write except a plain credit runs frozen for whoever caches spendable balances (the mall's
   * gate, through its registered guard): see LedgerWriteGuard.frozen.
   */
  function frozen<T>(userId: string, fn: () => Promise<T>): Promise<T> {
    return guard.frozen(userId, fn);
  }

  /** Joins the caller's transaction (the caller froze the account), or runs its own, frozen. */
  function frozenTx<T>(userId: string, options: TxOptions | undefined, fn: (session: ClientSession) => Promise<T>): Promise<T> {
    return options?.session ? fn(options.session) : frozen(userId, () => inTx(userId, undefined, fn));
  }

  async function expiryDays(): Promise<number> {
    const doc = await PointsSettingsModel.findById('global').lean();
    return doc?.expiryDays ?? DEFAULT_EXPIRY_DAYS;
  }

  async function getRule(source: EarnSource): Promise<PointsRule> {
    return ruleOf(source, await PointsRuleModel.findById(source).lean<PointsRuleDoc>());
  }

  /** Adds `delta` to the balance; with a guard the balance never goes below zero. Null when the guard fails. */
  async function moveBalance(session: ClientSession, userId: Types.ObjectId, delta: number, now: Date): Promise<number | null> {
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

  async function insertEntry(session: ClientSession, doc: Omit<PointsEntryDoc, '_id'>): Promise<PointsEntryDoc> {
    const [created] = await PointsEntryModel.create([doc], { session });
    return created!.toObject();
  }

  /** Writes expiry entries for the user's lapsed lots, inside the caller's transaction. */
  async function expireLapsedOf(session: ClientSession, userId: Types.ObjectId, now: Date): Promise<{ lots: number; points: number }> {
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
      if (res.modifiedCount !== 1) throw Object.assign(new Error('lot changed under the transaction'), { code: 112 });
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

  async function earnedSince(session: ClientSession, userId: Types.ObjectId, source: EarnSource, field: 'day' | 'month', value: string) {
    // A month is read through the {userId, source, day} index as its days (an entry's month is its day's).
    const day = field === 'day' ? value : { $in: daysOfMonth(value) };
    const docs = await PointsEntryModel.find({ userId, source, day }, { amount: 1 })
      .session(session)
      .lean<Pick<PointsEntryDoc, 'amount'>[]>();
    return docs.reduce((sum, d) => sum + d.amount, 0);
  }

  async function credit(
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

  async function debit(session: ClientSession, input: SpendInput, now: Date): Promise<SpendResult> {
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
      if (res.modifiedCount !== 1) throw Object.assign(new Error('lot changed under the transaction'), { code: 112 });
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

  async function expireLapsed(userId: string): Promise<{ lots: number; points: number }> {
    const now = clock.now();
    const any = await PointsEntryModel.exists({ userId: oid(userId), remaining: { $gt: 0 }, expiresAt: { $lte: now } });
    if (!any) return { lots: 0, points: 0 };
    return frozenTx(userId, undefined, (session) => expireLapsedOf(session, oid(userId), clock.now()));
  }

  return {
    withTransaction,
    expireLapsed,

    guardLedgerWrites(g) {
      guards.push(g);
      guard = composeGuards(guards);
    },

    batchDebits: openBatchDebits,

    async spendable(userId) {
      const uid = oid(userId);
      const [account, first] = await Promise.all([
        PointsAccountModel.findById(uid, { balance: 1 }).lean(),
        PointsEntryModel.findOne({ userId: uid, remaining: { $gt: 0 } }, { expiresAt: 1 })
          .sort({ expiresAt: 1 })
          .lean(),
      ]);
      return { balance: account?.balance ?? 0, firstExpiry: first?.expiresAt ?? null };
    },

    async earn(input) {
      if (!isOid(input.userId)) throw new AppError('USER_NOT_FOUND');
      if (input.amount !== undefined && (!Number.isSafeInteger(input.amount) || input.amount <= 0))
        throw new AppError('POINTS_AMOUNT_INVALID');
      if (!(EARN_SOURCES as readonly string[]).includes(input.source))
        throw new AppError('POINTS_AMOUNT_INVALID', { message: `不能通过 earn 记入 ${input.source}` });
      const rule = await getRule(input.source);
      const days = await expiryDays();
      const userId = oid(input.userId);
      const result = await inTx<EarnResult>(input.userId, undefined, async (session) => {
        const now = clock.now();
        const existing = await PointsEntryModel.findOne({ idempotencyKey: input.idempotencyKey }, { _id: 1, amount: 1 })
          .session(session)
          .lean();
        if (existing) return { status: 'duplicate', entryId: existing._id.toHexString(), amount: existing.amount };
        const amount = input.amount ?? rule.amount;
        if (!rule.enabled || amount <= 0)
          return { status: 'capped', cap: 'disabled', message: `${POINTS_SOURCE_LABELS[input.source]}积分暂未开放` };
        if (rule.dailyCap !== null) {
          const today = await earnedSince(session, userId, input.source, 'day', shanghaiDay(now));
          if (today + amount > rule.dailyCap) {
            return {
              status: 'capped',
              cap: 'day',
              message: `今日${POINTS_SOURCE_LABELS[input.source]}积分已达上限（${rule.dailyCap} 分）`,
            };
          }
        }
        if (rule.monthlyCap !== null) {
          const month = await earnedSince(session, userId, input.source, 'month', shanghaiMonth(now));
          if (month + amount > rule.monthlyCap) {
            return {
              status: 'capped',
              cap: 'month',
              message: `本月${POINTS_SOURCE_LABELS[input.source]}积分已达上限（${rule.monthlyCap} 分）`,
            };
          }
        }
        const { entry, balance } = await credit(
          session,
          {
            userId,
            amount,
            source: input.source,
            reason: input.reason,
            ref: input.ref,
            key: input.idempotencyKey,
            expiresAt: new Date(now.getTime() + days * DAY_MS),
          },
          now,
        );
        return { status: 'credited', amount, entryId: entry._id.toHexString(), balance };
      });
      // A credit needs no freeze (nothing admitted depends on it); the cache is dropped after the commit, so a
      // load that read MongoDB before it fails on the new generation and the next one sees the credit.
      if (result.status === 'credited') {
        // Failing here only leaves the cache short of this credit (never above MongoDB) until it expires.
        await guard.credited(input.userId).catch((err: unknown) => deps.logger.warn({ err }, 'points gate not told of a credit'));
      }
      return result;
    },

    async spend(input, options) {
      if (!isOid(input.userId)) throw new AppError('USER_NOT_FOUND');
      if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new AppError('POINTS_AMOUNT_INVALID');
      // Lapsed lots are expired in a transaction of their own first, so the expiry stands even if the spend fails.
      if (!options?.session) await expireLapsed(input.userId);
      return frozenTx(input.userId, options, (session) => debit(session, input, clock.now()));
    },

    async refund(input, options) {
      const debitEntry = await PointsEntryModel.findOne({ idempotencyKey: input.debitKey }, { userId: 1 })
        .session(options?.session ?? null)
        .lean<Pick<PointsEntryDoc, 'userId'>>();
      if (!debitEntry) throw new AppError('NOT_FOUND', { message: '要退回的扣分记录不存在' });
      return frozenTx(debitEntry.userId.toHexString(), options, async (session) => {
        const now = clock.now();
        const original = await PointsEntryModel.findOne({ idempotencyKey: input.debitKey }).session(session).lean<PointsEntryDoc>();
        if (!original || original.amount >= 0) throw new AppError('NOT_FOUND', { message: '要退回的扣分记录不存在' });
        const first = await PointsEntryModel.findOne({ idempotencyKey: `${input.idempotencyKey}:0` })
          .session(session)
          .lean();
        if (first) {
          const account = await PointsAccountModel.findById(original.userId).session(session).lean();
          return { status: 'duplicate' as const, amount: -original.amount, balance: account?.balance ?? 0 };
        }
        // One credit per consumed lot, keeping that lot's expiry date: a refund never extends (or shortens) a point's life.
        let balance = 0;
        const lots = original.lots ?? [];
        for (const [i, lot] of lots.entries()) {
          ({ balance } = await credit(
            session,
            {
              userId: original.userId,
              amount: lot.amount,
              source: original.source,
              reason: input.reason,
              ref: input.ref,
              key: `${input.idempotencyKey}:${i}`,
              expiresAt: lot.expiresAt,
            },
            now,
          ));
        }
        const expired = await expireLapsedOf(session, original.userId, now);
        if (expired.lots > 0) balance = (await PointsAccountModel.findById(original.userId).session(session).lean())?.balance ?? 0;
        return { status: 'refunded' as const, amount: -original.amount, balance };
      });
    },

    async balance(userId) {
      const now = clock.now();
      const account = await PointsAccountModel.findById(oid(userId)).lean();
      const soon = await PointsEntryModel.find({
        userId: oid(userId),
        remaining: { $gt: 0 },
        expiresAt: { $lte: new Date(now.getTime() + EXPIRY_NOTICE_DAYS * DAY_MS) },
      })
        .sort({ expiresAt: 1 })
        .lean<PointsEntryDoc[]>();
      return {
        balance: account?.balance ?? 0,
        expiringSoon: { amount: soon.reduce((s, l) => s + l.remaining!, 0), firstAt: soon[0]?.expiresAt?.toISOString() ?? null },
      };
    },

    async ledger(userId, { cursor, limit, source }) {
      const filter: QueryFilter<PointsEntryDoc> = { userId: oid(userId) };
      if (source) filter.source = source;
      if (cursor) filter._id = { $lt: oid(cursor) };
      const docs = await PointsEntryModel.find(filter)
        .sort({ _id: -1 })
        .limit(limit + 1)
        .lean<PointsEntryDoc[]>();
      const page = docs.slice(0, limit);
      return { items: page.map(toEntry), nextCursor: docs.length > limit ? (page.at(-1)?._id.toHexString() ?? null) : null };
    },

    async expiringSoon(userId, days = EXPIRY_NOTICE_DAYS) {
      const until = new Date(clock.now().getTime() + days * DAY_MS);
      const lots = await PointsEntryModel.find({ userId: oid(userId), remaining: { $gt: 0 }, expiresAt: { $lte: until } })
        .sort({ expiresAt: 1, _id: 1 })
        .lean<PointsEntryDoc[]>();
      return {
        total: lots.reduce((s, l) => s + l.remaining!, 0),
        lots: lots.map((l) => ({
          entryId: l._id.toHexString(),
          remaining: l.remaining!,
          expiresAt: l.expiresAt!.toISOString(),
          reason: l.reason,
        })),
      };
    },

    async adjust(actor, userId, amount, reason, requestKey = null) {
      if (!Number.isSafeInteger(amount) || amount === 0) throw new AppError('POINTS_AMOUNT_INVALID');
      const days = await expiryDays();
      // A failed request is not proof that nothing was written: a commit whose answer was lost has landed, and
      // the idempotency middleware lets the retry run again. With the request's key as the ledger key, the
      // retry finds that entry instead of writing a second one.
      const key = requestKey ? `admin:${actor.id}:${userId}:${requestKey}` : `admin:${randomUUID()}`;
      const text = `人工调整：${reason}`;
      const ref = { type: 'admin_adjustment', id: actor.id };
      const entryId = await frozenTx(userId, undefined, async (session) => {
        const now = clock.now();
        if (amount > 0) {
          const done = await PointsEntryModel.findOne({ idempotencyKey: key }, { amount: 1 }).session(session).lean<PointsEntryDoc>();
          if (done) {
            if (done.amount !== amount) throw new AppError('POINTS_KEY_CONFLICT');
            return done._id;
          }
          const { entry } = await credit(
            session,
            { userId: oid(userId), amount, source: 'admin', reason: text, ref, key, expiresAt: new Date(now.getTime() + days * DAY_MS) },
            now,
          );
          return entry._id;
        }
        const res = await debit(session, { userId, amount: -amount, source: 'admin', reason: text, ref, idempotencyKey: key }, now);
        return oid(res.entryId);
      });
      const entry = (await PointsEntryModel.findById(entryId).lean<PointsEntryDoc>())!;
      await deps.audit.record({
        actorId: actor.id,
        action: 'points.adjust',
        target: { type: 'user', id: userId },
        details: { amount, reason, entryId: entryId.toHexString(), balanceAfter: entry.balanceAfter },
        ...(actor.requestId ? { requestId: actor.requestId } : {}),
      });
      return { entry: toEntry(entry), balance: entry.balanceAfter };
    },

    async rules() {
      const docs = await PointsRuleModel.find({}).lean<PointsRuleDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return { rules: EARN_SOURCES.map((s) => ruleOf(s, byId.get(s) ?? null)), expiryDays: await expiryDays() };
    },

    async updateRule(actor, source, patch) {
      const before = await getRule(source);
      const after: PointsRule = { ...before, ...patch, source };
      if (after.dailyCap !== null && after.monthlyCap !== null && after.monthlyCap < after.dailyCap) {
        throw new AppError('VALIDATION_FAILED', { message: '每月上限不能小于每日上限' });
      }
      await PointsRuleModel.updateOne(
        { _id: source },
        {
          $set: {
            amount: after.amount,
            dailyCap: after.dailyCap,
            monthlyCap: after.monthlyCap,
            enabled: after.enabled,
            updatedAt: clock.now(),
            updatedBy: oid(actor.id),
          },
        },
        { upsert: true },
      );
      await deps.audit.record({
        actorId: actor.id,
        action: 'points.rule.update',
        target: { type: 'points_rule', id: source },
        details: { before, after },
        ...(actor.requestId ? { requestId: actor.requestId } : {}),
      });
      return after;
    },

    async setExpiryDays(actor, days) {
      const before = await expiryDays();
      await PointsSettingsModel.updateOne({ _id: 'global' }, { $set: { expiryDays: days, updatedAt: clock.now() } }, { upsert: true });
      await deps.audit.record({
        actorId: actor.id,
        action: 'points.settings.update',
        target: { type: 'points_settings', id: 'global' },
        details: { before: { expiryDays: before }, after: { expiryDays: days } },
        ...(actor.requestId ? { requestId: actor.requestId } : {}),
      });
      return days;
    },

    async expireDue() {
      const now = clock.now();
      const users = (await PointsEntryModel.distinct('userId', { remaining: { $gt: 0 }, expiresAt: { $lte: now } })) as Types.ObjectId[];
      let lots = 0;
      let points = 0;
      for (const userId of users) {
        const r = await frozenTx(userId.toHexString(), undefined, (session) => expireLapsedOf(session, userId, now));
        lots += r.lots;
        points += r.points;
      }
      if (lots > 0) deps.logger.info({ lots, points, users: users.length }, 'points expired');
      return { lots, points };
    },

    async notifyExpiring() {
      const now = clock.now();
      const until = new Date(now.getTime() + EXPIRY_NOTICE_DAYS * DAY_MS);
      const due = await PointsEntryModel.find({
        remaining: { $gt: 0 },
        expiresAt: { $gt: now, $lte: until },
        noticeSentAt: { $exists: false },
      })
        .sort({ expiresAt: 1 })
        .lean<PointsEntryDoc[]>();
      const byUser = new Map<string, PointsEntryDoc[]>();
      for (const lot of due) byUser.set(lot.userId.toHexString(), [...(byUser.get(lot.userId.toHexString()) ?? []), lot]);
      let users = 0;
      let lots = 0;
      for (const [userId, userLots] of byUser) {
        const openid = await deps.users.openidOf(userId).catch(() => null);
        const total = userLots.reduce((s, l) => s + l.remaining!, 0);
        if (openid) {
          try {
            await deps.wechat.sendSubscribeMessage({
              touser: openid,
              templateId: deps.expiryTemplateId,
              page: 'subpackages/points/pages/mine/index',
              data: { thing1: '积分即将过期', number2: String(total), date3: shanghaiDay(userLots[0]!.expiresAt!) },
            });
            users += 1;
          } catch (err) {
            // Refused (no subscription left) is final for these lots; anything else retries next run.
            if (!(err instanceof AppError && err.code === 'WECHAT_SUBSCRIPTION_REFUSED')) {
              deps.logger.warn({ err, userId }, 'points expiry notice failed; will retry');
              continue;
            }
          }
        }
        await PointsEntryModel.updateMany({ _id: { $in: userLots.map((l) => l._id) } }, { $set: { noticeSentAt: now } });
        lots += userLots.length;
      }
      return { users, lots };
    },
  };
}
