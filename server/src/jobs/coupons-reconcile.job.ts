import type { JobDefinition } from './scheduler';

/**
 * Every minute: makes the coupon gate (Redis) and the issued coupons (MongoDB) agree again after a crash
 * between the two steps of a grab, or after Redis lost the gate.
 */
export const couponsReconcileJob: JobDefinition = {
  name: 'coupons-reconcile',
  schedule: '* * * * *',
  timezone: 'Asia/Shanghai',
  lockTtlMs: 50_000,
  async run({ deps, services }, slot) {
    const report = await services.coupons.reconcile(slot);
    if (report.rebuilt + report.written + report.released + report.confirmed > 0)
      deps.logger.warn({ job: 'coupons-reconcile', ...report }, 'coupon gate reconciled with MongoDB');
  },
};
