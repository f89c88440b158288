import type Router from '@koa/router';
import {
  advanceResponseSchema,
  appointJurorBodySchema,
  contestIdParamsSchema,
  contestListResponseSchema,
  contestResponseSchema,
  createContestBodySchema,
  entriesQuerySchema,
  entryListResponseSchema,
  entryParamsSchema,
  entryResponseSchema,
  fileEntryBodySchema,
  jurorListResponseSchema,
  flaggedVotesQuerySchema,
  listContestsQuerySchema,
  reconcileResponseSchema,
  resultsResponseSchema,
  scoreBodySchema,
  shortlistBodySchema,
  voidVoteBodySchema,
  voteListResponseSchema,
  voteParamsSchema,
  voteResponseSchema,
} from '@shared/schemas/contests';
import { z } from 'zod';
import { currentUser, optionalUser } from '../../core/auth';
import { requestKeyOf } from '../../core/idempotency';
import { routes } from '../../core/middleware';
import type { ContestsService } from './contests.service';

/** The mini-program sends a stable per-install id; anything else is ignored rather than trusted. */
const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function createContestsRouter(service: ContestsService): Router {
  const api = routes(['contests']);
  const ADMIN = { roles: ['admin'] } as const;

  api.post(
    '/api/v1/contests',
    {
      body: createContestBodySchema,
      summary: '创建比赛（轮次与时间、投票规则、评分权重、奖项）',
      response: contestResponseSchema,
      status: 201,
      access: ADMIN,
    },
    async ({ body }, ctx) => ({ contest: await service.create(currentUser(ctx), body) }),
  );
  api.put(
    '/api/v1/contests/:id',
    {
      params: contestIdParamsSchema,
      body: createContestBodySchema,
      summary: '修改尚未开始的比赛配置（整体替换；评委保留）',
      response: contestResponseSchema,
      access: ADMIN,
    },
    async ({ params, body }, ctx) => ({ contest: await service.reconfigure(currentUser(ctx), params.id, body) }),
  );
  api.get(
    '/api/v1/contests',
    {
      query: listContestsQuerySchema,
      summary: '比赛列表（新的在前，分页；q 按标题查找）',
      response: contestListResponseSchema,
      access: 'public',
    },
    ({ query }) => service.list(query),
  );
  api.get(
    '/api/v1/contests/:id',
    { params: contestIdParamsSchema, summary: '比赛详情（当前阶段、规则）', response: contestResponseSchema, access: 'public' },
    async ({ params }) => ({ contest: await service.get(params.id) }),
  );
  api.post(
    '/api/v1/contests/:id/jurors',
    { params: contestIdParamsSchema, body: appointJurorBodySchema, summary: '任命评委', response: contestResponseSchema, access: ADMIN },
    async ({ params, body }, ctx) => ({ contest: await service.appointJuror(currentUser(ctx), params.id, body.userId) }),
  );
  api.get(
    '/api/v1/contests/:id/jurors',
    {
      params: contestIdParamsSchema,
      summary: '评委名单（编辑、管理员；按任命先后）',
      response: jurorListResponseSchema,
      access: { roles: ['editor', 'admin'] },
    },
    ({ params }, ctx) => service.jurors(currentUser(ctx), params.id),
  );
  api.post(
    '/api/v1/contests/:id/entries',
    {
      params: contestIdParamsSchema,
      body: fileEntryBodySchema,
      summary: '报名参赛（已通过的稿件，或图片/视频链接）',
      response: entryResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    async ({ params, body }, ctx) => ({ entry: await service.fileEntry(currentUser(ctx), params.id, body) }),
  );
  api.get(
    '/api/v1/contests/:id/entries',
    {
      params: contestIdParamsSchema,
      query: entriesQuerySchema,
      summary: '参赛作品（按报名先后分页；票数在隐藏期间为 null）',
      response: entryListResponseSchema,
      access: 'public',
    },
    ({ params, query }, ctx) => service.entries(optionalUser(ctx), params.id, query),
  );
  api.get(
    '/api/v1/contests/:id/entries/:entryId',
    { params: entryParamsSchema, summary: '作品详情', response: entryResponseSchema, access: 'public' },
    async ({ params }) => ({ entry: await service.entry(params.id, params.entryId) }),
  );
  api.get(
    '/api/v1/contest-entries/:id',
    { params: contestIdParamsSchema, summary: '作品详情（仅凭作品 ID，分享卡片用）', response: entryResponseSchema, access: 'public' },
    async ({ params }) => ({ entry: await service.entryById(params.id) }),
  );
  api.post(
    '/api/v1/contests/:id/entries/:entryId/shortlist',
    {
      params: entryParamsSchema,
      body: shortlistBodySchema,
      summary: '评委初选：入围或取消入围',
      response: entryResponseSchema,
      access: { owner: 'a juror of this contest (or an admin)' },
    },
    async ({ params, body }, ctx) => ({ entry: await service.shortlist(currentUser(ctx), params.id, params.entryId, body.shortlisted) }),
  );
  api.put(
    '/api/v1/contests/:id/entries/:entryId/score',
    {
      params: entryParamsSchema,
      body: scoreBodySchema,
      summary: '评委打分（0–100，可修改至结果公布）',
      response: z.object({ entryId: z.string(), score: z.number().int() }).strict(),
      access: { owner: 'a juror of this contest' },
    },
    ({ params, body }, ctx) => service.score(currentUser(ctx), params.id, params.entryId, body.score),
  );
  // An Idempotency-Key is kept by the vote gate itself, in the vote's one Lua step (no extra round trip, and
  // safe even when the first answer never left), so the generic middleware does not wrap this route.
  api.post(
    '/api/v1/contests/:id/entries/:entryId/votes',
    {
      params: entryParamsSchema,
      summary: '投票（微信用户，每日限额；可带 X-Device-Id、Idempotency-Key）',
      response: voteResponseSchema,
      status: 201,
      access: 'signed_in',
    },
    async ({ params }, ctx) => {
      const device = ctx.get('x-device-id');
      const voter = { ...currentUser(ctx), deviceId: DEVICE_ID.test(device) ? device : null, ip: ctx.ip };
      const { replayed, ...answer } = await service.vote(voter, params.id, params.entryId, requestKeyOf(ctx));
      if (replayed) ctx.set('Idempotent-Replayed', 'true');
      return answer;
    },
  );
  api.get(
    '/api/v1/contests/:id/flagged-votes',
    {
      params: contestIdParamsSchema,
      query: flaggedVotesQuerySchema,
      summary: '被标记的可疑投票（管理员）',
      response: voteListResponseSchema,
      access: ADMIN,
    },
    ({ params, query }, ctx) => service.votes(currentUser(ctx), params.id, query),
  );
  api.post(
    '/api/v1/contests/:id/votes/:voteId/void',
    {
      params: voteParamsSchema,
      body: voidVoteBodySchema,
      summary: '作废投票（附理由，票数随之减少）',
      response: z.object({ voteId: z.string(), status: z.literal('void'), reason: z.string() }).strict(),
      access: ADMIN,
    },
    ({ params, body }, ctx) => service.voidVote(currentUser(ctx), params.id, params.voteId, body.reason),
  );
  api.post(
    '/api/v1/contests/:id/reconcile',
    { params: contestIdParamsSchema, summary: '按已存投票重建票数（管理员）', response: reconcileResponseSchema, access: ADMIN },
    ({ params }, ctx) => service.reconcile(currentUser(ctx), params.id),
  );
  api.get(
    '/api/v1/contests/:id/results',
    { params: contestIdParamsSchema, summary: '比赛结果（排名、得分、奖项）', response: resultsResponseSchema, access: 'public' },
    ({ params }) => service.results(params.id),
  );
  api.post(
    '/api/v1/admin/contests/advance',
    { summary: '立即推进到期的比赛轮次（管理员；定时任务每分钟也会执行）', response: advanceResponseSchema, access: ADMIN },
    () => service.advanceDue(),
  );

  return api.router;
}
