import { randomUUID } from 'node:crypto';
import type { ClientSession, QueryFilter } from 'mongoose';
import { EARN_SOURCES, POINTS_SOURCE_LABELS } from '@shared/schemas/points';
import { oid, pageByIdDesc } from '../../core/db';
import { runTransaction } from '../../core/db/transaction';
import { AppError } from '../../core/errors';
import { DAY_MS, shanghaiDay, shanghaiMonth } from '../../core/time';
import { openBatchDebits } from './batch-debits';
import { credit, debit, expireLapsedOf, toEntry } from './ledger-entries';
import { composeGuards, type LedgerWriteGuard } from './ledger-guard';
import { withLocalLocks } from './local-locks';
import { createPointsExpiry, EXPIRY_NOTICE_DAYS } from './points-expiry';
import { createPointsRules, earnedSince } from './points-rules';
import { dailySourceTotals } from './points-figures';
import { PointsAccountModel, PointsEntryModel, type PointsEntryDoc } from './points.model';
import type { EarnResult, PointsService, PointsServiceDeps, TxOptions } from './points.types';

/**
 * The points ledger, composed: the transaction and locking around every write (here), the writes themselves
 * (ledger-entries.ts), batched debits for the mall (batch-debits.ts), rules and caps (points-rules.ts),
 * expiry (points-expiry.ts), and the guard other modules register around ledger writes (ledger-guard.ts).
 */

export type { PointsSource } from '@shared/schemas/points';
export type * from './points.types';
export { DEFAULT_EXPIRY_DAYS, DEFAULT_RULES } from './points-rules';
export { EXPIRY_NOTICE_DAYS } from './points-expiry';
/** Re-exported: the module's public API and its tests name the caps' day and month by them. */

/** The in-process lock key of a user's account (the mall takes it, with its goods key, before its transaction). */
export const accountLockKey = (userId: string) => `points:account:${userId}`;

const isOid = (id: string) => /^[0-9a-f]{24}$/i.test(id);

export function createPointsService(deps: PointsServiceDeps): PointsService {
  const { clock } = deps;

  /**
   * Every ledger write is a transaction that also writes the user's account document, so writes for
   * one user serialise (a concurrent one fails with WriteConflict and is retried on a fresh snapshot):
   * balance = sum of entries holds at every commit, and guards read in the snapshot stay true.
   */
  function withTransaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    return runTransaction(deps.db, fn, { busy: (cause) => new AppError('POINTS_BUSY', { cause }) });
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
   * Joins the caller's transaction (the caller froze the account), or runs its own, frozen: every ledger
   * write except a plain credit runs frozen for whoever caches spendable balances (the mall's gate, through
   * its registered guard; see LedgerWriteGuard.frozen).
   */
  function frozenTx<T>(userId: string, options: TxOptions | undefined, fn: (session: ClientSession) => Promise<T>): Promise<T> {
    return options?.session ? fn(options.session) : guard.frozen(userId, () => inTx(userId, undefined, fn));
  }

  const rules = createPointsRules(deps);
  const { expiryDays, getRule } = rules;
  const expiry = createPointsExpiry({ ...deps, frozenTx: (userId, fn) => frozenTx(userId, undefined, fn) });

  async function expireLapsed(userId: string): Promise<{ lots: number; points: number }> {
    const now = clock.now();
    const any = await PointsEntryModel.exists({ userId: oid(userId), remaining: { $gt: 0 }, expiresAt: { $lte: now } });
    if (!any) return { lots: 0, points: 0 };
    return frozenTx(userId, undefined, (session) => expireLapsedOf(session, oid(userId), clock.now()));
  }

  return {
    dailySourceTotals,
    withTransaction,
    expireLapsed,
    rules: () => rules.rules(),
    updateRule: (actor, source, patch) => rules.updateRule(actor, source, patch),
    setExpiryDays: (actor, days) => rules.setExpiryDays(actor, days),
    expiringSoon: (userId, days) => expiry.expiringSoon(userId, days),
    expireDue: () => expiry.expireDue(),
    notifyExpiring: () => expiry.notifyExpiring(),

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
        // The day's cap first, then the month's: the first one this credit would pass refuses it.
        const caps = [
          { cap: 'day' as const, limit: rule.dailyCap, bucket: shanghaiDay(now), label: '今日' },
          { cap: 'month' as const, limit: rule.monthlyCap, bucket: shanghaiMonth(now), label: '本月' },
        ];
        for (const { cap, limit, bucket, label } of caps) {
          if (limit === null) continue;
          const earned = await earnedSince(session, userId, input.source, cap, bucket);
          if (earned + amount > limit)
            return { status: 'capped', cap, message: `${label}${POINTS_SOURCE_LABELS[input.source]}积分已达上限（${limit} 分）` };
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
      const { docs, nextCursor } = await pageByIdDesc(PointsEntryModel, filter, { cursor, limit });
      return { items: docs.map(toEntry), nextCursor };
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
  };
}
