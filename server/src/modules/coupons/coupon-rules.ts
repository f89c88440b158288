/**
 * The coupon rules that need no database: batch validation, a batch's phase, the claim window, a coupon's
 * validity and its record, the redemption code, and whether a coupon can be used at the counter now.
 */
import type { Types } from 'mongoose';
import { batchRuleProblem, type BatchView, type CreateBatchBody } from '@shared/schemas/coupons';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { randomCode } from '../../core/random-code';
import type { PendingClaim } from './coupon-gate';
import type { CouponBatchDoc, CouponDoc } from './coupons.model';

export const DAY_MS = 86_400_000;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** A redemption code: 20 letters drawn uniformly from CODE_ALPHABET with the system CSPRNG. */
export function newCode(): string {
  return randomCode(CODE_ALPHABET, 20);
}

/**
 * Why a grab got no coupon. Returned, not thrown: at release time almost every claim is refused, and an
 * exception travelling up the middleware chain costs more than the rest of the refusal.
 */
export interface ClaimRefusal {
  code: 'COUPON_SOLD_OUT' | 'COUPON_LIMIT_REACHED' | 'COUPON_NOT_STARTED' | 'COUPON_ENDED' | 'COUPON_GATE_RECOVERING';
  message?: string;
  details?: Record<string, unknown>;
}

/** A new batch's rules beyond its schema (shared with the console, which checks them before sending). */
export function checkBatchRules(body: CreateBatchBody): void {
  const problem = batchRuleProblem(body);
  if (problem) throw new AppError('COUPON_BATCH_INVALID', { message: problem.message, details: { field: problem.path } });
}

export function batchPhase(batch: Pick<CouponBatchDoc, 'claimStartsAt' | 'claimEndsAt'>, now: Date): BatchView['phase'] {
  if (now < batch.claimStartsAt) return 'upcoming';
  return now < batch.claimEndsAt ? 'open' : 'ended';
}

/** The refusal for a grab outside the batch's claim window, or null inside it. */
export function claimWindowRefusal(batch: Pick<CouponBatchDoc, 'claimStartsAt' | 'claimEndsAt'>, now: Date): ClaimRefusal | null {
  if (now < batch.claimStartsAt) return { code: 'COUPON_NOT_STARTED', details: { claimStartsAt: batch.claimStartsAt.toISOString() } };
  if (now >= batch.claimEndsAt) return { code: 'COUPON_ENDED' };
  return null;
}

/** When a coupon claimed at `at` may be used: the batch's fixed window, or `days` from the claim. */
export function validityWindow(validity: CouponBatchDoc['validity'], at: Date): { validFrom: Date; validUntil: Date } {
  return validity.type === 'fixed'
    ? { validFrom: new Date(validity.from), validUntil: new Date(validity.until) }
    : { validFrom: at, validUntil: new Date(at.getTime() + validity.days * DAY_MS) };
}

/** The durable record of one admitted claim (or a lottery win). */
export function couponRecord(
  batch: CouponBatchDoc,
  claimId: Types.ObjectId,
  userId: string,
  seq: number,
  at: Date,
  source: CouponDoc['source'],
  code: string = newCode(),
  requestKey: string | null = null,
): CouponDoc {
  const { validFrom, validUntil } = validityWindow(batch.validity, at);
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
export function recordFromPending(batch: CouponBatchDoc, p: PendingClaim, source: CouponDoc['source']): CouponDoc {
  return couponRecord(batch, oid(p.claimId), p.userId, p.seq, p.admittedAt, source, p.code ?? newCode(), p.requestKey);
}

type Redeemable = Pick<CouponDoc, 'status' | 'validFrom' | 'validUntil'>;

/** Unused and within its validity at `now`: the counter may take it. */
export function isRedeemableAt(doc: Redeemable, now: Date): boolean {
  return doc.status === 'unused' && doc.validUntil > now && doc.validFrom <= now;
}

/** Why the counter can't take a coupon that is not redeemable now: used, expired, or not yet valid. */
export function redeemRefusal(doc: Redeemable & Pick<CouponDoc, 'redeemedAt'>, now: Date): AppError {
  if (doc.status === 'used') return new AppError('COUPON_ALREADY_USED', { details: { redeemedAt: doc.redeemedAt?.toISOString() ?? null } });
  if (doc.status === 'expired' || doc.validUntil <= now) return new AppError('COUPON_EXPIRED');
  return new AppError('COUPON_NOT_YET_VALID', { details: { validFrom: doc.validFrom.toISOString() } });
}
