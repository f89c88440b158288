import { reconcileJob } from './scheduler';

/**
 * Every minute: writes mall redemptions the Redis gate admitted but no process wrote to MongoDB (a crash
 * between the two steps). Idempotent by redemption id and run once per slot under the scheduler's Redis
 * lock, so several API processes may all schedule it.
 */
export const mallReconcileJob = reconcileJob({
  // Still named after the points module the mall grew out of: the name is the Redis lock key of each slot
  // (job:<name>:<slot>) and the `job` field of its logs. During a rolling deploy old and new processes must
  // take the same lock, or both would run one slot; so the file was renamed, the name kept.
  name: 'points-reconcile',
  reconcile: (services, slot) => services.mall.reconcile(slot),
  repairs: ['written', 'voided', 'dropped', 'failed'],
  message: 'pending mall redemptions written by reconciliation',
});
