import Router from '@koa/router';
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
  flaggedVotesQuerySchema,
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
import { currentUser, optionalUser, requireAuth, requireRole } from '../../core/auth';
import { requestKeyOf } from '../../core/idempotency';
import { validate } from '../../core/middleware';
import type { ContestsService } from './contests.service';

/** The mini-program sends a stable per-install id; anything else is ignored rather than trusted. */
const DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function createContestsRouter(service: ContestsService): Router {
  const router = new Router();
  const tags = ['contests'];

  const create = validate(
    { body: createContestBodySchema },
    {
      summary: '创建比赛（轮次与时间、投票规则、评分权重、奖项）',
      tags,
      response: contestResponseSchema,
      status: 201,
      access: { roles: ['admin'] },
    },
  );
  router.post('/api/v1/contests', requireRole('admin'), create, async (ctx) => {
    ctx.status = 201;
    ctx.body = { contest: await service.create(currentUser(ctx), create.input(ctx).body) };
  });

  const reconfigure = validate(
    { params: contestIdParamsSchema, body: createContestBodySchema },
    { summary: '修改尚未开始的比赛配置（整体替换；评委保留）', tags, response: contestResponseSchema, access: { roles: ['admin'] } },
  );
  router.put('/api/v1/contests/:id', requireRole('admin'), reconfigure, async (ctx) => {
    const { params, body } = reconfigure.input(ctx);
    ctx.body = { contest: await service.reconfigure(currentUser(ctx), params.id, body) };
  });

  const list = validate({}, { summary: '比赛列表', tags, response: contestListResponseSchema, access: 'public' });
  router.get('/api/v1/contests', list, async (ctx) => {
    ctx.body = { items: await service.list() };
  });

  const get = validate(
    { params: contestIdParamsSchema },
    { summary: '比赛详情（当前阶段、规则）', tags, response: contestResponseSchema, access: 'public' },
  );
  router.get('/api/v1/contests/:id', get, async (ctx) => {
    ctx.body = { contest: await service.get(get.input(ctx).params.id) };
  });

  const juror = validate(
    { params: contestIdParamsSchema, body: appointJurorBodySchema },
    { summary: '任命评委', tags, response: contestResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/contests/:id/jurors', requireRole('admin'), juror, async (ctx) => {
    const { params, body } = juror.input(ctx);
    ctx.body = { contest: await service.appointJuror(currentUser(ctx), params.id, body.userId) };
  });

  const file = validate(
    { params: contestIdParamsSchema, body: fileEntryBodySchema },
    { summary: '报名参赛（已通过的稿件，或图片/视频链接）', tags, response: entryResponseSchema, status: 201, access: 'signed_in' },
  );
  router.post('/api/v1/contests/:id/entries', requireAuth, file, async (ctx) => {
    const { params, body } = file.input(ctx);
    ctx.status = 201;
    ctx.body = { entry: await service.fileEntry(currentUser(ctx), params.id, body) };
  });

  const entries = validate(
    { params: contestIdParamsSchema, query: entriesQuerySchema },
    { summary: '参赛作品（票数在隐藏期间为 null）', tags, response: entryListResponseSchema, access: 'public' },
  );
  router.get('/api/v1/contests/:id/entries', entries, async (ctx) => {
    const { params, query } = entries.input(ctx);
    ctx.body = { items: await service.entries(optionalUser(ctx), params.id, query) };
  });

  const entry = validate({ params: entryParamsSchema }, { summary: '作品详情', tags, response: entryResponseSchema, access: 'public' });
  router.get('/api/v1/contests/:id/entries/:entryId', entry, async (ctx) => {
    const { params } = entry.input(ctx);
    ctx.body = { entry: await service.entry(params.id, params.entryId) };
  });

  const byId = validate(
    { params: contestIdParamsSchema },
    { summary: '作品详情（仅凭作品 ID，分享卡片用）', tags, response: entryResponseSchema, access: 'public' },
  );
  router.get('/api/v1/contest-entries/:id', byId, async (ctx) => {
    ctx.body = { entry: await service.entryById(byId.input(ctx).params.id) };
  });

  const shortlist = validate(
    { params: entryParamsSchema, body: shortlistBodySchema },
    {
      summary: '评委初选：入围或取消入围',
      tags,
      response: entryResponseSchema,
      access: { owner: 'a juror of this contest (or an admin)' },
    },
  );
  router.post('/api/v1/contests/:id/entries/:entryId/shortlist', requireAuth, shortlist, async (ctx) => {
    const { params, body } = shortlist.input(ctx);
    ctx.body = { entry: await service.shortlist(currentUser(ctx), params.id, params.entryId, body.shortlisted) };
  });

  const score = validate(
    { params: entryParamsSchema, body: scoreBodySchema },
    {
      summary: '评委打分（0–100，可修改至结果公布）',
      tags,
      response: z.object({ entryId: z.string(), score: z.number().int() }).strict(),
      access: { owner: 'a juror of this contest' },
    },
  );
  router.put('/api/v1/contests/:id/entries/:entryId/score', requireAuth, score, async (ctx) => {
    const { params, body } = score.input(ctx);
    ctx.body = await service.score(currentUser(ctx), params.id, params.entryId, body.score);
  });

  const vote = validate(
    { params: entryParamsSchema },
    {
      summary: '投票（微信用户，每日限额；可带 X-Device-Id、Idempotency-Key）',
      tags,
      response: voteResponseSchema,
      status: 201,
      access: 'signed_in',
    },
  );
  // An Idempotency-Key is kept by the vote gate itself, in the vote's one Lua step (no extra round trip, and
  // safe even when the first answer never left), so the generic middleware does not wrap this route.
  router.post('/api/v1/contests/:id/entries/:entryId/votes', requireAuth, vote, async (ctx) => {
    const { params } = vote.input(ctx);
    const device = ctx.get('x-device-id');
    const user = currentUser(ctx);
    const voter = { ...user, deviceId: DEVICE_ID.test(device) ? device : null, ip: ctx.ip };
    const { replayed, ...answer } = await service.vote(voter, params.id, params.entryId, requestKeyOf(ctx));
    if (replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = 201;
    ctx.body = answer;
  });

  const votes = validate(
    { params: contestIdParamsSchema, query: flaggedVotesQuerySchema },
    { summary: '被标记的可疑投票（管理员）', tags, response: voteListResponseSchema, access: { roles: ['admin'] } },
  );
  router.get('/api/v1/contests/:id/flagged-votes', requireRole('admin'), votes, async (ctx) => {
    const { params, query } = votes.input(ctx);
    ctx.body = await service.votes(currentUser(ctx), params.id, query);
  });

  const voidVote = validate(
    { params: voteParamsSchema, body: voidVoteBodySchema },
    {
      summary: '作废投票（附理由，票数随之减少）',
      tags,
      response: z.object({ voteId: z.string(), status: z.literal('void'), reason: z.string() }).strict(),
      access: { roles: ['admin'] },
    },
  );
  router.post('/api/v1/contests/:id/votes/:voteId/void', requireRole('admin'), voidVote, async (ctx) => {
    const { params, body } = voidVote.input(ctx);
    ctx.body = await service.voidVote(currentUser(ctx), params.id, params.voteId, body.reason);
  });

  const reconcile = validate(
    { params: contestIdParamsSchema },
    { summary: '按已存投票重建票数（管理员）', tags, response: reconcileResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/contests/:id/reconcile', requireRole('admin'), reconcile, async (ctx) => {
    ctx.body = await service.reconcile(currentUser(ctx), reconcile.input(ctx).params.id);
  });

  const results = validate(
    { params: contestIdParamsSchema },
    { summary: '比赛结果（排名、得分、奖项）', tags, response: resultsResponseSchema, access: 'public' },
  );
  router.get('/api/v1/contests/:id/results', results, async (ctx) => {
    ctx.body = await service.results(results.input(ctx).params.id);
  });

  const advance = validate(
    {},
    {
      summary: '立即推进到期的比赛轮次（管理员；定时任务每分钟也会执行）',
      tags,
      response: advanceResponseSchema,
      access: { roles: ['admin'] },
    },
  );
  router.post('/api/v1/admin/contests/advance', requireRole('admin'), advance, async (ctx) => {
    ctx.body = await service.advanceDue();
  });

  return router;
}
