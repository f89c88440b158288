import type { AppDeps, AppModule } from '../../core/deps';
import { createIdempotency } from '../../core/idempotency';
import type { AuditService } from '../audit';
import type { NotificationsService } from '../notifications';
import { createPointsRouter } from './points.routes';
import { createPointsService as createService, type PointsService } from './points.service';
export { withLocalLocks } from './local-locks';
export type { LedgerWriteGuard } from './ledger-guard';
export type { EarnPort } from './points.types';
export type { BatchDebit, BatchDebits, BatchDebitVerdict } from './batch-debits';

export {
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_RULES,
  EXPIRY_NOTICE_DAYS,
  type EarnInput,
  type EarnResult,
  type PointsService,
  type PointsSource,
  type RefundInput,
  type SpendInput,
  type SpendResult,
  type TxOptions,
  accountLockKey,
} from './points.service';

/**
 * The points ledger (built once, in services.ts; newsroom, submissions, volunteers, contests, campaigns and the
 * mall use it). `localLocks: false` only for tests that stand in for several API processes.
 */
export function createPointsService(
  deps: AppDeps,
  ports: { audit: AuditService; notifications: NotificationsService },
  options: { localLocks?: boolean } = {},
): PointsService {
  return createService({
    ...options,
    clock: deps.clock,
    db: deps.db,
    logger: deps.logger.child({ module: 'points' }),
    audit: ports.audit,
    notifications: ports.notifications,
  });
}

/** 我的积分 and the admin side of the ledger (rules, expiry period, adjustments). */
export function createPointsModule(deps: AppDeps, { points }: { points: PointsService }): AppModule {
  return { router: createPointsRouter(points, createIdempotency(deps.redis)({ required: false })) };
}
