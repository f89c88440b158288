import type { Goods, Redemption } from '@shared/schemas/points';
import type { GoodsDoc, RedemptionDoc } from './mall.model';
import type { PendingRedemption } from './redeem-gate';

/** What the mall answers: goods and redemptions as the API shows them, and the redeem answer's JSON. */

export function isActive(doc: GoodsDoc, now: Date): boolean {
  if (doc.archivedAt) return false;
  if (doc.activeFrom && now < doc.activeFrom) return false;
  if (doc.activeUntil && now >= doc.activeUntil) return false;
  return true;
}

export function toGoods(doc: GoodsDoc, now: Date): Goods {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    images: doc.images,
    description: doc.description,
    price: doc.price,
    stock: doc.stock,
    perUserLimit: doc.perUserLimit ?? null,
    deliveryMode: doc.deliveryMode,
    outletId: doc.outletId ?? null,
    activeFrom: doc.activeFrom ? doc.activeFrom.toISOString() : null,
    activeUntil: doc.activeUntil ? doc.activeUntil.toISOString() : null,
    active: isActive(doc, now),
  };
}

export function toRedemption(doc: RedemptionDoc): Redemption {
  return {
    id: doc._id.toHexString(),
    goodsId: doc.goodsId.toHexString(),
    goodsName: doc.goodsName,
    userId: doc.userId.toHexString(),
    price: doc.price,
    deliveryMode: doc.deliveryMode,
    outletId: doc.outletId ?? null,
    status: doc.status,
    code: doc.code,
    shipping: doc.shipping ? { name: doc.shipping.name, phone: doc.shipping.phone, address: doc.shipping.address } : null,
    createdAt: doc.createdAt.toISOString(),
    fulfilledAt: doc.fulfilledAt ? doc.fulfilledAt.toISOString() : null,
    cancelledAt: doc.cancelledAt ? doc.cancelledAt.toISOString() : null,
  };
}

/** The answer's redemption for an admitted one, straight from the gate's item (the same fields as toRedemption). */
export function admittedRedemption(item: PendingRedemption): Redemption {
  return {
    id: item.id,
    goodsId: item.g,
    goodsName: item.n,
    userId: item.u,
    price: item.p,
    deliveryMode: item.d,
    outletId: item.o,
    status: 'pending',
    code: item.c,
    shipping: item.s ? { name: item.s.name, phone: item.s.phone, address: item.s.address } : null,
    createdAt: new Date(item.a).toISOString(),
    fulfilledAt: null,
    cancelledAt: null,
  };
}

/**
 * The redeem answer, `{"redemption":…,"balance":N}`, as JSON text. The gate keeps the admission's payload and
 * balance for a replay and rebuilds the answer with these two functions, so a retry with the same
 * Idempotency-Key gets the same bytes without MongoDB.
 */
export function redeemAnswerPrefix(item: PendingRedemption): string {
  return `{"redemption":${JSON.stringify(admittedRedemption(item))},"balance":`;
}

export function redeemAnswer(prefix: string, balance: number): string {
  return `${prefix}${balance}}`;
}
