import type { AppDeps, AppModule } from '../../core/deps';
import { createIdempotency } from '../../core/idempotency';
import { createAuditService } from '../audit';
import { createUsersService } from '../users';
import { createPointsRouter } from './points.routes';
import { createPointsService as createService, type PointsService } from './points.service';
export { withLocalLocks } from './local-locks';

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

/** The points ledger built from deps (cheap: newsroom, submissions, volunteers, contests, the mall and jobs call it). */
export function createPointsService(deps: AppDeps, options: { localLocks?: boolean } = {}): PointsService {
  return createService({
    ...options,
    clock: deps.clock,
    expiryTemplateId: deps.config.templates.pointsExpiry,
    db: deps.db,
    redis: deps.redis,
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
