import type { AppDeps, AppModule } from '../../core/deps';
import type { CirclesService } from '../circles';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { PointsService } from '../points';
import type { SubmissionsService } from '../submissions';
import type { UsersService } from '../users';
import { createCampaignsRouter } from './campaigns.routes';
import { createCampaignsService as createService, type CampaignsService } from './campaigns.service';

export { type CampaignsService } from './campaigns.service';

export interface CampaignsPorts {
  users: UsersService;
  notifications: NotificationsService;
  circles: CirclesService;
  submissions: SubmissionsService;
  newsroom: NewsroomService;
  points: PointsService;
}

export function createCampaignsService(deps: AppDeps, ports: CampaignsPorts): CampaignsService {
  return createService({
    clock: deps.clock,
    logger: deps.logger.child({ module: 'campaigns' }),
    notifications: ports.notifications,
    users: ports.users,
    circles: ports.circles,
    submissions: ports.submissions,
    newsroom: ports.newsroom,
    ledger: ports.points,
  });
}

/** Topic campaigns: admins launch them (correspondents notified), the campaign page with live figures. */
export function createCampaignsModule(_deps: AppDeps, { campaigns }: { campaigns: CampaignsService }): AppModule {
  return { router: createCampaignsRouter(campaigns) };
}
