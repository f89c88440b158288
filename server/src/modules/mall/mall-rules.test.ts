/** The mall's rules without a database: goods validation and edits, counter staff, the request fingerprint, pickup codes. */
import { Types } from 'mongoose';
import type { RoleHolder } from '../../core/auth';
import { checkGoods, isOutletStaff, mergedGoodsWindow, newCode, requestHash } from './mall-rules';
import type { GoodsDoc } from './mall.model';

const invalid = (message: string) => expect.objectContaining({ code: 'GOODS_INVALID', message });

describe('checkGoods', () => {
  const pickup = { deliveryMode: 'pickup' as const, outletId: 'outlet-1', activeFrom: null, activeUntil: null };

  it('accepts pickup goods with an outlet, shipped goods without, and an open-ended window', () => {
    expect(() => checkGoods(pickup)).not.toThrow();
    expect(() => checkGoods({ ...pickup, deliveryMode: 'ship', outletId: null })).not.toThrow();
    expect(() => checkGoods({ ...pickup, activeFrom: '2026-05-01T00:00:00Z' })).not.toThrow();
  });

  it('refuses pickup goods without an outlet', () => {
    expect(() => checkGoods({ ...pickup, outletId: null })).toThrow(invalid('到柜台领取的商品必须指定兑换网点'));
  });

  it('refuses a window that does not open before it closes', () => {
    const window = { activeFrom: '2026-05-02T00:00:00Z', activeUntil: '2026-05-02T00:00:00Z' };
    expect(() => checkGoods({ ...pickup, ...window })).toThrow(invalid('兑换开始时间必须早于结束时间'));
  });
});

describe('mergedGoodsWindow', () => {
  const before = {
    deliveryMode: 'pickup',
    outletId: 'outlet-1',
    activeFrom: new Date('2026-05-01T00:00:00Z'),
    activeUntil: new Date('2026-06-01T00:00:00Z'),
  } as GoodsDoc;

  it('keeps the stored fields the patch leaves out', () => {
    expect(mergedGoodsWindow(before, {})).toEqual({
      deliveryMode: 'pickup',
      outletId: 'outlet-1',
      activeFrom: '2026-05-01T00:00:00.000Z',
      activeUntil: '2026-06-01T00:00:00.000Z',
    });
  });

  it('takes the patch where given, null clearing a field', () => {
    const merged = mergedGoodsWindow(before, { deliveryMode: 'ship', outletId: null, activeUntil: null });
    expect(merged).toEqual({ deliveryMode: 'ship', outletId: null, activeFrom: '2026-05-01T00:00:00.000Z', activeUntil: null });
  });

  it('lets checkGoods catch an edit that moves the window start past the stored end', () => {
    expect(() => checkGoods(mergedGoodsWindow(before, { activeFrom: '2026-07-01T00:00:00Z' }))).toThrow(
      invalid('兑换开始时间必须早于结束时间'),
    );
  });
});

describe('isOutletStaff', () => {
  const holder = (roles: RoleHolder['roles']): RoleHolder => ({ id: new Types.ObjectId().toHexString(), roles });

  it('counts a clerk of that outlet, and anyone granted in its scope', () => {
    expect(isOutletStaff(holder([{ role: 'merchant_clerk', scope: { type: 'outlet', id: 'o1' } }]), 'o1')).toBe(true);
    expect(isOutletStaff(holder([{ role: 'merchant_owner', scope: { type: 'outlet', id: 'o1' } }]), 'o1')).toBe(true);
  });

  it('refuses another outlet’s staff, admins, and goods without an outlet', () => {
    expect(isOutletStaff(holder([{ role: 'merchant_clerk', scope: { type: 'outlet', id: 'o2' } }]), 'o1')).toBe(false);
    expect(isOutletStaff(holder([{ role: 'admin' }]), 'o1')).toBe(false);
    expect(isOutletStaff(holder([{ role: 'merchant_clerk', scope: { type: 'outlet', id: 'o1' } }]), null)).toBe(false);
  });
});

describe('requestHash', () => {
  const address = { name: '张三', phone: '13800000000', address: '城关镇 1 号' };

  it('is the same for the same goods and address, different for other goods or another address', () => {
    expect(requestHash('g1', address)).toBe(requestHash('g1', { ...address }));
    expect(requestHash('g2', address)).not.toBe(requestHash('g1', address));
    expect(requestHash('g1', { ...address, address: '城关镇 2 号' })).not.toBe(requestHash('g1', address));
    expect(requestHash('g1', null)).not.toBe(requestHash('g1', address));
  });
});

describe('newCode', () => {
  it('makes 12-character codes without 0, O, 1 or I, all different', () => {
    const codes = Array.from({ length: 2000 }, () => newCode());
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
