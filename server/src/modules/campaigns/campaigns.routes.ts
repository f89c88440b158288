import Router from '@koa/router';
import {
  campaignIdParamsSchema,
  campaignListResponseSchema,
  campaignPageResponseSchema,
  campaignPiecesQuerySchema,
  createCampaignBodySchema,
  launchCampaignResponseSchema,
} from '@shared/schemas/campaigns';
import { currentUser, requireRole } from '../../core/auth';
import { validate } from '../../core/middleware';
import type { CampaignsService } from './campaigns.service';

export function createCampaignsRouter(service: CampaignsService): Router {
  const router = new Router();
  const tags = ['campaigns'];

  const launch = validate(
    { body: createCampaignBodySchema },
    {
      summary: '发起专题活动（通知目标圈子的通讯员）',
      tags,
      response: launchCampaignResponseSchema,
      status: 201,
      access: { roles: ['admin'] },
    },
  );
  router.post('/api/v1/campaigns', requireRole('admin'), launch, async (ctx) => {
    ctx.status = 201;
    ctx.body = await service.launch(currentUser(ctx), launch.input(ctx).body);
  });

  const list = validate({}, { summary: '专题活动列表', tags, response: campaignListResponseSchema, access: 'public' });
  router.get('/api/v1/campaigns', list, async (ctx) => {
    ctx.body = { items: await service.list() };
  });

  const page = validate(
    { params: campaignIdParamsSchema, query: campaignPiecesQuerySchema },
    {
      summary: '专题页：活动、实时数据（稿件、参与人数、阅读量）与已通过的稿件',
      tags,
      response: campaignPageResponseSchema,
      access: 'public',
    },
  );
  router.get('/api/v1/campaigns/:id', page, async (ctx) => {
    const { params, query } = page.input(ctx);
    ctx.body = await service.page(params.id, query);
  });

  return router;
}
