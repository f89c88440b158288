/**
 * Property-based (fast-check) proof of the ledger invariants on the real stack (embedded MongoDB over the
 * wire): random batches of earn / spend / expire / refund run CONCURRENTLY (Promise.all, in-process queue
 * off, two service instances as two API processes would be), with time jumping between batches. After
 * every batch, for every user: balance = sum of entries = sum of open lots, balance ≥ 0, every lot's
 * remaining within [0, amount], one expiry entry at most per lot, and a debit refunded at most once.
 */
import fc from 'fast-check';
import { Types } from 'mongoose';
import { createPointsService, type PointsService } from '../../server/src/modules/points';
import { PointsAccountModel, PointsEntryModel } from '../../server/src/modules/points/points.model';
import { createTestContext, type TestContext } from '../harness';

let t: TestContext;
let services: PointsService[];
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-03-01T02:00:00Z' });
  services = [
    createPointsService(t.deps, t.services, { localLocks: false }),
    createPointsService(t.deps, t.services, { localLocks: false }),
  ];
});
afterAll(() => t.close());

type Op =
  | { kind: 'earn'; user: number; amount: number; via: number }
  | { kind: 'spend'; user: number; amount: number; via: number }
  | { kind: 'refund'; pick: number; via: number }
  | { kind: 'expire'; via: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('earn' as const), user: fc.nat(2), amount: fc.integer({ min: 1, max: 50 }), via: fc.nat(1) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('spend' as const), user: fc.nat(2), amount: fc.integer({ min: 1, max: 70 }), via: fc.nat(1) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(100), via: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), via: fc.nat(1) }) },
);
const batchArb = fc.record({
  advanceDays: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200 })),
  ops: fc.array(opArb, { minLength: 1, maxLength: 8 }),
});

let run = 0;

async function checkInvariants(userIds: string[]): Promise<void> {
  for (const id of userIds) {
    const entries = await PointsEntryModel.find({ userId: new Types.ObjectId(id) }).lean();
    const sum = entries.reduce((s, e) => s + e.amount, 0);
    const open = entries.filter((e) => e.amount > 0).reduce((s, e) => s + (e.remaining ?? 0), 0);
    const balance = (await PointsAccountModel.findById(id).lean())?.balance ?? 0;
    expect({ id, balance }).toEqual({ id, balance: sum });
    expect(open).toBe(balance);
    expect(balance).toBeGreaterThanOrEqual(0);
    for (const lot of entries.filter((e) => e.amount > 0)) {
      expect(lot.remaining).toBeGreaterThanOrEqual(0);
      expect(lot.remaining).toBeLessThanOrEqual(lot.amount);
    }
    const expiredLots = entries.filter((e) => e.source === 'expiry').map((e) => e.refId);
    expect(new Set(expiredLots).size).toBe(expiredLots.length);
    for (const e of entries.filter((x) => x.amount < 0)) expect(e.balanceAfter).toBeGreaterThanOrEqual(0);
  }
}

describe('ledger invariants under random concurrent sequences', () => {
  it('holds balance = sum of entries ≥ 0 for earn / spend / expire / refund in any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { minLength: 1, maxLength: 4 }), async (batches) => {
        run += 1;
        const users = [0, 1, 2].map(() => new Types.ObjectId().toHexString());
        const spends: Array<{ key: string; user: string }> = [];
        const refunded = new Map<string, number>();
        let seq = 0;
        for (const batch of batches) {
          t.clock.advance(batch.advanceDays * DAY);
          const known = [...spends];
          await Promise.all(
            batch.ops.map(async (op) => {
              const svc = services[op.via]!;
              const k = `prop:${run}:${++seq}`;
              if (op.kind === 'earn') {
                const r = await svc.earn({
                  userId: users[op.user]!,
                  source: 'contest',
                  amount: op.amount,
                  reason: '评选奖励',
                  ref: { type: 'test', id: k },
                  idempotencyKey: k,
                });
                expect(r.status).toBe('credited');
              } else if (op.kind === 'spend') {
                try {
                  const r = await svc.spend({
                    userId: users[op.user]!,
                    amount: op.amount,
                    source: 'mall',
                    reason: '兑换',
                    ref: null,
                    idempotencyKey: k,
                  });
                  expect(r.status).toBe('debited');
                  spends.push({ key: k, user: users[op.user]! });
                } catch (err) {
                  expect(err).toMatchObject({ code: 'POINTS_INSUFFICIENT' });
                }
              } else if (op.kind === 'refund') {
                const target = known[op.pick % Math.max(1, known.length)];
                if (!target) return;
                const r = await svc.refund({ debitKey: target.key, reason: '取消退回', ref: null, idempotencyKey: `refund:${target.key}` });
                if (r.status === 'refunded') refunded.set(target.key, (refunded.get(target.key) ?? 0) + 1);
              } else {
                await svc.expireDue();
              }
            }),
          );
          await checkInvariants(users);
        }
        for (const count of refunded.values()) expect(count).toBe(1);
      }),
      { numRuns: 12, seed: Number(process.env.POINTS_PROPERTY_SEED ?? Date.now() % 1_000_000) },
    );
  }, 180_000);
});
