import type { AdminRedemptionsQuery, Goods, GoodsBody, Redemption, RedeemBody } from '@shared/schemas/points';
import type { Actor } from '../../core/auth';
import type { WriteReport } from './redeem-writer';

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
  /** Names of several goods at once, archived ones too (the audit log names its targets). */
  goodsNames(ids: readonly string[]): Promise<Map<string, string>>;
  /**
   * Takes points and one unit of stock at the Redis gate and answers at once (the response JSON: the
   * redemption and the spendable balance); the durable write follows in a batch. A retry with the same
   * requestKey gets the same answer (replayed).
   */
  redeem(userId: string, goodsId: string, requestKey: string, body: RedeemBody): Promise<{ body: string; replayed: boolean }>;
  myRedemptions(userId: string, query: { cursor?: string; limit: number }): Promise<{ items: Redemption[]; nextCursor: string | null }>;
  /** Admin: every redemption, newest first, filtered by status and delivery mode. */
  allRedemptions(query: AdminRedemptionsQuery): Promise<{ items: Redemption[]; nextCursor: string | null }>;
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
