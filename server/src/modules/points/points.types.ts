import type { ClientSession, Connection } from 'mongoose';
import type {
  BalanceResponse,
  EarnSource,
  ExpiringSoonResponse,
  LedgerQuery,
  LedgerResponse,
  PointsEntry,
  PointsRule,
  UpdateRuleBody,
} from '@shared/schemas/points';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit';
import type { NotificationsService } from '../notifications';
import type { BatchDebits } from './batch-debits';
import type { LedgerWriteGuard } from './ledger-guard';

/** The points service's contract and inputs (points.service.ts composes the parts that implement it). */

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

/**
 * The part of the ledger a module that pays points for its own cause gets: earn(), for its one source
 * (contests pay 'contest', volunteers 'volunteer', campaigns 'contribution').
 */
export interface EarnPort<S extends EarnSource> {
  earn(input: EarnInput & { source: S }): Promise<EarnResult>;
}

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
  /** Points credited and debited on an Asia/Shanghai day, per source (the stats roll-ups). */
  dailySourceTotals(day: string): Promise<{ source: string; issued: number; spent: number }[]>;
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
  audit: Pick<AuditService, 'record'>;
  /** Where "积分即将过期" is raised (in-app, and a subscribe message when the user consented). */
  notifications: Pick<NotificationsService, 'raise'>;
  /**
   * Queue writers of one account inside this process (default true). Only saves WriteConflict retries;
   * the property test turns it off to prove the transactions alone keep the ledger exact.
   */
  localLocks?: boolean;
}
