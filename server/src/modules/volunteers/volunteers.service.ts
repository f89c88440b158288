import { createVolunteerFigures } from './volunteer-figures';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { WechatClient } from '../../core/wechat';
import type { NotificationsService } from '../notifications';
import type { UsersService } from '../users';
import { createActivities } from './activities';
import { createAttendance } from './attendance';
import { createJoinRequests } from './join-requests';
import { createReminders } from './reminders';
import { createRoster, type VolunteerPointsLedger } from './roster';
import { createServiceRecord } from './service-record';
import { createSignups } from './signups';
import { createTeams } from './teams';

/** Re-exported: the module's public API and its callers name these here. */
export { CHECKIN_PAGE, CHECKOUT_GRACE_MINUTES } from './attendance';
export { CERTIFICATE_ISSUER, maskName } from './service-record';
export { teamManager } from './teams';
export type { VolunteerPointsLedger } from './roster';

export interface VolunteersServiceDeps {
  clock: Clock;
  /** Derives the check-in HMAC key (see checkin-code.ts). */
  checkInSecret: Buffer;
  users: Pick<UsersService, 'grantRole' | 'revokeRole' | 'getView' | 'publicProfiles'>;
  wechat: Pick<WechatClient, 'getUnlimitedQrCode'>;
  /** Where "候补成功" and the activity reminders are raised. */
  notifications: Pick<NotificationsService, 'raise'>;
  points: VolunteerPointsLedger;
  logger?: Pick<Logger, 'warn'>;
  /**
   * How people outside the app reach this API (the certificate's QR code points at its public check). Read
   * per use: without PUBLIC_BASE_URL it follows the listening port, known only after listen.
   */
  publicBaseUrl?: () => string;
}

export type VolunteersService = ReturnType<typeof createVolunteersService>;

/**
 * Volunteers, composed from their parts: teams, join requests, activities, sign-up with a waitlist,
 * attendance (check-in codes, check-in/out), the leader's roster (corrections, confirmation, points) and the
 * volunteer's service record (certificate and its public check).
 */
export function createVolunteersService({
  clock,
  checkInSecret,
  users,
  wechat,
  points,
  logger,
  publicBaseUrl = () => '',
  notifications,
}: VolunteersServiceDeps) {
  const teams = createTeams({ clock, users });
  return {
    ...createVolunteerFigures(),
    ...teams,
    ...createJoinRequests({ clock, users, teams }),
    ...createActivities({ clock }),
    ...createSignups({ clock, notifications, logger }),
    ...createReminders({ clock, notifications }),
    ...createAttendance({ clock, checkInSecret, wechat }),
    ...createRoster({ clock, users, points }),
    ...createServiceRecord({ clock, checkInSecret, users, myTeams: teams.myTeams, publicBaseUrl }),
  };
}
