/**
 * The mall's rules that need no database: goods validation and the merged window of an edit, the pickup
 * code, who counts as an outlet's counter staff, and the fingerprint a redeem request's key is bound to.
 */
import { createHash } from 'node:crypto';
import type { GoodsBody, RedeemBody } from '@shared/schemas/points';
import { can, type RoleHolder } from '../../core/auth';
import { AppError } from '../../core/errors';
import { randomCode } from '../../core/random-code';
import type { GoodsDoc } from './mall.model';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 12 characters of a 32-letter alphabet without 0/O/1/I: 60 bits, read aloud or typed at the counter without confusion. */
export const newCode = (): string => randomCode(CODE_ALPHABET, 12);

/** The in-process lock a cancellation takes on goods (with the account's, from points). */
export const goodsLockKey = (id: string): string => `mall:goods:${id}`;

type GoodsWindow = Pick<GoodsBody, 'deliveryMode' | 'outletId' | 'activeFrom' | 'activeUntil'>;

/** Pickup goods name their outlet; a sale window opens before it closes. */
export function checkGoods(body: GoodsWindow): void {
  if (body.deliveryMode === 'pickup' && !body.outletId)
    throw new AppError('GOODS_INVALID', { message: '到柜台领取的商品必须指定兑换网点' });
  if (body.activeFrom && body.activeUntil && new Date(body.activeFrom) >= new Date(body.activeUntil)) {
    throw new AppError('GOODS_INVALID', { message: '兑换开始时间必须早于结束时间' });
  }
}

/** What checkGoods must hold for goods after an edit: the patch's fields where given (null clears), else the stored ones. */
export function mergedGoodsWindow(before: GoodsDoc, patch: Partial<GoodsWindow>): GoodsWindow {
  return {
    deliveryMode: patch.deliveryMode ?? before.deliveryMode,
    outletId: patch.outletId !== undefined ? patch.outletId : before.outletId,
    activeFrom: patch.activeFrom !== undefined ? patch.activeFrom : (before.activeFrom?.toISOString() ?? null),
    activeUntil: patch.activeUntil !== undefined ? patch.activeUntil : (before.activeUntil?.toISOString() ?? null),
  };
}

/** Staff of the outlet: a merchant clerk (or anyone) granted in scope {type:'outlet', id}. Admins are not counter staff. */
export function isOutletStaff(staff: RoleHolder, outletId: string | null): boolean {
  if (!outletId) return false;
  if (can(staff, { role: 'merchant_clerk', scope: { type: 'outlet', id: outletId }, adminOverride: false })) return true;
  return staff.roles.some((g) => g.scope?.type === 'outlet' && g.scope.id === outletId);
}

/** A redeem request's fingerprint: a replayed Idempotency-Key with other goods or another address is refused. */
export function requestHash(goodsId: string, shipping: RedeemBody['shipping'] | null): string {
  return createHash('sha1')
    .update(`${goodsId}\n${JSON.stringify(shipping ?? null)}`)
    .digest('base64');
}
