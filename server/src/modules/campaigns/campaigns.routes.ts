import type Router from '@koa/router';
import {
  campaignIdParamsSchema,
  campaignListResponseSchema,
  campaignPageResponseSchema,
  campaignPiecesQuerySchema,
  createCampaignBodySchema,
  launchCampaignResponseSchema,
  listCampaignsQuerySchema,
} from '@shared/schemas/campaigns';
import { currentUser } from '../../core/auth';
import { routes } from '../../core/middleware';
import type { CampaignsService } from './campaigns.service';

export function createCampaignsRouter(service: CampaignsService): Router {
  const api = routes(['campaigns']);

  api.post(
    '/api/v1/campaigns',
    {
      body: createCampaignBodySchema,
      summary: '发起专题活动（通知目标圈子的通讯员）',
      response: launchCampaignResponseSchema,
      status: 201,
      access: { roles: ['admin'] },
    },
    ({ body }, ctx) => service.launch(currentUser(ctx), body),
  );
  api.get(
    '/api/v1/campaigns',
    {
      query: listCampaignsQuerySchema,
      summary: '专题活动列表（新发起的在前，分页；可按状态筛选）',
      response: campaignListResponseSchema,
      access: 'public',
    },
    ({ query }) => service.list(query),
  );
  api.get(
    '/api/v1/campaigns/:id',
    {
      params: campaignIdParamsSchema,
      query: campaignPiecesQuerySchema,
      summary: '专题页：活动、实时数据（稿件、参与人数、阅读量）与已通过的稿件',
      response: campaignPageResponseSchema,
      access: 'public',
    },
    ({ params, query }) => service.page(params.id, query),
  );

  return api.router;
}
