import { reconcileJob } from './scheduler';

/**
 * Every minute: makes the coupon gate (Redis) and the issued coupons (MongoDB) agree again after a crash
 * between the two steps of a grab, or after Redis lost the gate.
 */
export const couponsReconcileJob = reconcileJob({
  name: 'coupons-reconcile',
  reconcile: (services, slot) => services.coupons.reconcile(slot),
  repairs: ['rebuilt', 'written', 'released', 'confirmed'],
  message: 'coupon gate reconciled with MongoDB',
});
