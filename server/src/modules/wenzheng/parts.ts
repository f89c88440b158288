/**
 * What the 问政 service is built from: the dependencies it gets from outside, and the pieces every
 * sub-capability (intake, triage, department workflow, …) shares, built once per service.
 */
import type { Clock } from '../../core/clock';
import type { Locks } from '../../core/locks';
import type { Logger } from '../../core/logger';
import type { WechatClient } from '../../core/wechat';
import type { NotificationsService } from '../notifications';
import type { StorageService } from '../storage';
import type { checkContent as CheckContent, refuseRisky as RefuseRisky } from '../submissions';
import type { UsersService } from '../users';
import { createCaseStore, type Mutate } from './case-store';
import { createCountyLeaders, type CountyLeaders } from './county-leaders';
import { createByOf, type ByOf } from './event-authors';
import { createNotices, type Notices } from './notices';
import { createViews, type CaseViews } from './views';

export interface WenzhengServiceDeps {
  clock: Clock;
  logger: Logger;
  wechat: Pick<WechatClient, 'msgSecCheck'>;
  users: Pick<UsersService, 'getView' | 'openidOf' | 'scopeMemberIds' | 'list'>;
  storage: Pick<StorageService, 'imagesOf' | 'images'>;
  /** The newsroom's content-safety pieces (text through msgSecCheck, images by their verdicts). */
  safety: { checkContent: typeof CheckContent; refuseRisky: typeof RefuseRisky };
  /**
   * Where case notices are raised: `wenzhengProgress` to the citizens following a case, `wenzhengTask` to
   * department staff (new case, reminder, overdue), `wenzhengEscalation` to heads and the propaganda department,
   * `wenzhengDigest` every morning, `wenzhengLeaderCopy` to county leaders a case is copied to.
   */
  notifications: Pick<NotificationsService, 'raiseEach'>;
  /** Redis locks: the digest catch-up runs in one process at a time. */
  locks: Locks;
}

export interface WenzhengParts extends WenzhengServiceDeps {
  mutate: Mutate;
  notify: Notices;
  views: CaseViews;
  byOf: ByOf;
  leaders: CountyLeaders;
}

export function buildParts(deps: WenzhengServiceDeps): WenzhengParts {
  return {
    ...deps,
    mutate: createCaseStore(deps.clock).mutate,
    notify: createNotices(deps),
    views: createViews(deps.storage),
    byOf: createByOf(deps.users),
    leaders: createCountyLeaders(deps.users),
  };
}
