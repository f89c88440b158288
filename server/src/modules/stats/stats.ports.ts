import type { AuditService } from '../audit';
import type { CirclesService } from '../circles';
import type { CouponsService } from '../coupons';
import type { MerchantsService } from '../merchants';
import type { NewsroomService } from '../newsroom';
import type { PointsService } from '../points';
import type { SubmissionsService } from '../submissions';
import type { UsersService } from '../users';
import type { VolunteersService } from '../volunteers';
import type { WenzhengService } from '../wenzheng';

/** What the stats module reads, each through the owning module's service (never its model). */
export interface StatsPorts {
  users: Pick<UsersService, 'dailyUserFigures'>;
  newsroom: Pick<NewsroomService, 'dailyReadFigures' | 'publicationsPerCircle'>;
  submissions: Pick<SubmissionsService, 'submissionsPerCircle'>;
  circles: Pick<CirclesService, 'circleNames'>;
  wenzheng: Pick<WenzhengService, 'dailyDepartmentFigures'>;
  volunteers: Pick<VolunteersService, 'dailyTeamHours' | 'volunteerHoursRows'>;
  coupons: Pick<CouponsService, 'dailyCouponFigures' | 'couponRedemptionRows'>;
  merchants: Pick<MerchantsService, 'merchantNames'>;
  points: Pick<PointsService, 'dailySourceTotals'>;
  audit: Pick<AuditService, 'rows'>;
}
