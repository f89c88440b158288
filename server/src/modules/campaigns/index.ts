import type { AppDeps, AppModule } from '../../core/deps';
import { createCirclesService } from '../circles';
import { createNewsroomService } from '../newsroom';
import { createPointsService } from '../points';
import { createSubmissionsService } from '../submissions';
import { createUsersService } from '../users';
import { createCampaignsRouter } from './campaigns.routes';
import { createCampaignsService as createService, type CampaignsService } from './campaigns.service';

export { type CampaignsService } from './campaigns.service';

export function createCampaignsService(deps: AppDeps): CampaignsService {
  return createService({
    clock: deps.clock,
    logger: deps.logger.child({ module: 'campaigns' }),
    launchTemplateId: deps.config.templates.campaignLaunch,
    wechat: deps.wechat,
    users: createUsersService(deps),
    circles: createCirclesService(deps),
    submissions: createSubmissionsService(deps),
    newsroom: createNewsroomService(deps),
    ledger: createPointsService(deps),
  });
}

/** Topic campaigns: admins launch them (correspondents notified), the campaign page with live figures. */
export function createCampaignsModule(deps: AppDeps): AppModule & { service: CampaignsService } {
  const service = createCampaignsService(deps);
  return { router: createCampaignsRouter(service), service };
}
