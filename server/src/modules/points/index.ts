import type { AppDeps, AppModule } from '../../core/deps';
import { createIdempotency } from '../../core/idempotency';
import { createAuditService } from '../audit';
import { createUsersService } from '../users';
import { createPointsRouter } from './points.routes';
import { createPointsService as createService, type PointsService } from './points.service';
export { withLocalLocks } from './local-locks';
export type { LedgerWriteGuard } from './ledger-guard';
export type { BatchDebit, BatchDebits, BatchDebitVerdict } from './batch-debits';

export {
  DEFAULT_EXPIRY_DAYS,
  DEFAULT_RULES,
  EXPIRY_NOTICE_DAYS,
  shanghaiDay,
  shanghaiMonth,
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

// One service per deps, so every module's ledger writes run under the guard the mall registers on it
// (until the composition root builds each service once).
const built = new WeakMap<AppDeps, PointsService>();

/**
 * The points ledger of these deps (newsroom, submissions, volunteers, contests, the mall and jobs call it),
 * built on first call. With options (a test's second "process"), a service of its own.
 */
export function createPointsService(deps: AppDeps, options?: { localLocks?: boolean }): PointsService {
  if (options) return buildService(deps, options);
  let service = built.get(deps);
  if (!service) built.set(deps, (service = buildService(deps, {})));
  return service;
}

function buildService(deps: AppDeps, options: { localLocks?: boolean }): PointsService {
  return createService({
    ...options,
    clock: deps.clock,
    expiryTemplateId: deps.config.templates.pointsExpiry,
    db: deps.db,
    logger: deps.logger.child({ module: 'points' }),
    wechat: deps.wechat,
    audit: createAuditService(deps),
    users: createUsersService(deps),
  });
}

/** 我的积分 and the admin side of the ledger (rules, expiry period, adjustments). */
export function createPointsModule(deps: AppDeps): AppModule & { service: PointsService } {
  const service = createPointsService(deps);
  return { router: createPointsRouter(service, createIdempotency(deps.redis)({ required: false })), service };
}
