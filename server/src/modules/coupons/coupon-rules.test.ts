/** The coupon rules without a database: batch validation, phase and claim window, validity, records, counter checks, codes. */
import { Types } from 'mongoose';
import type { CreateBatchBody } from '@shared/schemas/coupons';
import {
  batchPhase,
  checkBatchRules,
  claimWindowRefusal,
  couponRecord,
  isRedeemableAt,
  newCode,
  recordFromPending,
  redeemRefusal,
  validityWindow,
} from './coupon-rules';
import type { CouponBatchDoc } from './coupons.model';

const at = (iso: string) => new Date(iso);

function body(patch: Partial<CreateBatchBody> = {}): CreateBatchBody {
  return {
    title: '满 100 减 20',
    kind: 'spend_x_save_y',
    value: 2000,
    threshold: 10000,
    totalStock: 100,
    perUserLimit: 1,
    claimStartsAt: '2026-05-01T00:00:00.000Z',
    claimEndsAt: '2026-05-02T00:00:00.000Z',
    validity: { type: 'relative', days: 7 },
    issuer: { type: 'merchant', merchantId: new Types.ObjectId().toHexString() },
    mode: 'grab',
    ...patch,
  };
}

const invalid = (message: string) => expect.objectContaining({ code: 'COUPON_BATCH_INVALID', message });

describe('checkBatchRules', () => {
  it('accepts a well-formed batch', () => {
    expect(() => checkBatchRules(body())).not.toThrow();
  });

  it.each<[string, Partial<CreateBatchBody>, string]>([
    ['a claim window that ends before it starts', { claimEndsAt: '2026-04-30T00:00:00.000Z' }, '领券结束时间应晚于开始时间'],
    [
      'a fixed validity that ends before it starts',
      { validity: { type: 'fixed', from: '2026-06-02T00:00:00.000Z', until: '2026-06-01T00:00:00.000Z' } },
      '有效期结束时间应晚于开始时间',
    ],
    [
      'a fixed validity over before claiming opens',
      { validity: { type: 'fixed', from: '2026-04-01T00:00:00.000Z', until: '2026-04-30T00:00:00.000Z' } },
      '有效期不能早于领券开始时间',
    ],
    ['a discount above 99 %', { kind: 'discount', value: 100, threshold: 0 }, '折扣券的值为实付百分比（1–99，如 88 表示 8.8 折）'],
    ['a spend-x-save-y whose threshold is not above the saving', { threshold: 2000 }, '满减券的门槛应大于减免金额'],
    ['an amount-off whose threshold is not above the amount', { kind: 'amount_off', threshold: 2000 }, '门槛应大于立减金额'],
    ['a merchant lottery', { mode: 'lottery' }, '只有政府消费券可以抽签发放'],
  ])('refuses %s', (_what, patch, message) => {
    expect(() => checkBatchRules(body(patch))).toThrow(invalid(message));
  });

  it('lets an amount-off coupon go without a threshold, and a government batch be a lottery', () => {
    expect(() => checkBatchRules(body({ kind: 'amount_off', threshold: 0 }))).not.toThrow();
    const government = { type: 'government' as const, merchantIds: [new Types.ObjectId().toHexString()] };
    expect(() => checkBatchRules(body({ mode: 'lottery', issuer: government }))).not.toThrow();
  });
});

describe('batchPhase and claimWindowRefusal', () => {
  const batch = { claimStartsAt: at('2026-05-01T00:00:00Z'), claimEndsAt: at('2026-05-02T00:00:00Z') };

  it('is upcoming before the window, open inside it (start included) and ended from its end on', () => {
    expect(batchPhase(batch, at('2026-04-30T23:59:59Z'))).toBe('upcoming');
    expect(batchPhase(batch, batch.claimStartsAt)).toBe('open');
    expect(batchPhase(batch, batch.claimEndsAt)).toBe('ended');
  });

  it('refuses a grab outside the window with the reason, and lets one inside through', () => {
    expect(claimWindowRefusal(batch, at('2026-04-30T00:00:00Z'))).toEqual({
      code: 'COUPON_NOT_STARTED',
      details: { claimStartsAt: '2026-05-01T00:00:00.000Z' },
    });
    expect(claimWindowRefusal(batch, at('2026-05-01T12:00:00Z'))).toBeNull();
    expect(claimWindowRefusal(batch, batch.claimEndsAt)).toEqual({ code: 'COUPON_ENDED' });
  });
});

describe('validityWindow and couponRecord', () => {
  const claimedAt = at('2026-05-01T08:00:00Z');

  it('runs a relative validity from the claim, a fixed one over its dates', () => {
    expect(validityWindow({ type: 'relative', days: 3 }, claimedAt)).toEqual({
      validFrom: claimedAt,
      validUntil: at('2026-05-04T08:00:00Z'),
    });
    const fixed = { type: 'fixed' as const, from: at('2026-06-01T00:00:00Z'), until: at('2026-06-30T00:00:00Z') };
    expect(validityWindow(fixed, claimedAt)).toEqual({ validFrom: fixed.from, validUntil: fixed.until });
  });

  const batch: CouponBatchDoc = {
    _id: new Types.ObjectId(),
    title: '立减 5 元',
    description: '',
    kind: 'amount_off',
    value: 500,
    threshold: 0,
    totalStock: 10,
    perUserLimit: 2,
    claimStartsAt: at('2026-05-01T00:00:00Z'),
    claimEndsAt: at('2026-05-02T00:00:00Z'),
    validity: { type: 'relative', days: 1 },
    issuerType: 'merchant',
    merchantIds: [new Types.ObjectId()],
    mode: 'grab',
    createdBy: new Types.ObjectId(),
    createdAt: at('2026-04-01T00:00:00Z'),
  };
  const userId = new Types.ObjectId().toHexString();

  it('copies the batch terms onto an unused coupon, the request key only when there is one', () => {
    const claimId = new Types.ObjectId();
    const doc = couponRecord(batch, claimId, userId, 2, claimedAt, 'grab', 'CODE', 'key-1');
    expect(doc).toMatchObject({ _id: claimId, batchId: batch._id, seq: 2, code: 'CODE', status: 'unused', requestKey: 'key-1' });
    expect(doc).toMatchObject({ title: batch.title, kind: 'amount_off', value: 500, threshold: 0, source: 'grab' });
    expect(doc.userId.toHexString()).toBe(userId);
    expect(doc.validUntil).toEqual(at('2026-05-02T08:00:00Z'));
    expect(couponRecord(batch, claimId, userId, 1, claimedAt, 'lottery')).not.toHaveProperty('requestKey');
  });

  it('rebuilds the very record a pending admission stands for: same id, code, time and key', () => {
    const claimId = new Types.ObjectId().toHexString();
    const pending = { claimId, userId, seq: 1, admittedAt: claimedAt, code: 'ABC', requestKey: 'k' };
    const doc = recordFromPending(batch, pending, 'reconciled');
    expect(doc._id.toHexString()).toBe(claimId);
    expect(doc).toMatchObject({ code: 'ABC', requestKey: 'k', claimedAt, source: 'reconciled' });
    expect(recordFromPending(batch, { ...pending, code: null }, 'reconciled').code).toMatch(/^\S{20}$/);
  });
});

describe('isRedeemableAt and redeemRefusal', () => {
  const now = at('2026-05-10T00:00:00Z');
  const coupon = { status: 'unused' as const, validFrom: at('2026-05-01T00:00:00Z'), validUntil: at('2026-05-20T00:00:00Z') };
  const codeOf = (d: Parameters<typeof redeemRefusal>[0]) => redeemRefusal(d, now).code;

  it('takes an unused coupon inside its validity only', () => {
    expect(isRedeemableAt(coupon, now)).toBe(true);
    expect(isRedeemableAt({ ...coupon, validFrom: now }, now)).toBe(true);
    expect(isRedeemableAt({ ...coupon, validUntil: now }, now)).toBe(false);
    expect(isRedeemableAt({ ...coupon, validFrom: at('2026-05-11T00:00:00Z') }, now)).toBe(false);
    expect(isRedeemableAt({ ...coupon, status: 'used' }, now)).toBe(false);
  });

  it('says why not: used (with when), expired (marked or lapsed), or not yet valid (with from when)', () => {
    const used = redeemRefusal({ ...coupon, status: 'used', redeemedAt: at('2026-05-09T00:00:00Z') }, now);
    expect(used.code).toBe('COUPON_ALREADY_USED');
    expect(used.details).toEqual({ redeemedAt: '2026-05-09T00:00:00.000Z' });
    expect(codeOf({ ...coupon, status: 'expired' })).toBe('COUPON_EXPIRED');
    expect(codeOf({ ...coupon, validUntil: now })).toBe('COUPON_EXPIRED');
    const early = redeemRefusal({ ...coupon, validFrom: at('2026-05-11T00:00:00Z') }, now);
    expect(early.code).toBe('COUPON_NOT_YET_VALID');
    expect(early.details).toEqual({ validFrom: '2026-05-11T00:00:00.000Z' });
  });
});

describe('newCode', () => {
  it('makes 20-letter codes from the code alphabet, all different, every letter in use', () => {
    const codes = Array.from({ length: 5000 }, () => newCode());
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Za-km-np-z2-9]{20}$/);
    expect(new Set(codes).size).toBe(codes.length);
    const seen = new Map<string, number>();
    for (const ch of codes.join('')) seen.set(ch, (seen.get(ch) ?? 0) + 1);
    // 100,000 letters over 56: each about 1,786; a biased draw (e.g. modulo without rejection) skews some.
    expect(seen.size).toBe(56);
    for (const n of seen.values()) expect(Math.abs(n - 100_000 / 56)).toBeLessThan(250);
  });
});
