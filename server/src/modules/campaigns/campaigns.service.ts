import { Types } from 'mongoose';
import type { CampaignView, CreateCampaignBody, ListCampaignsQuery } from '@shared/schemas/campaigns';
import type { QueryFilter } from 'mongoose';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { WechatClient } from '../../core/wechat';
import { shanghaiDay } from '../../core/time';
import type { CirclesService } from '../circles';
import type { NewsroomService } from '../newsroom';
import type { EarnPort } from '../points';
import type { SubmissionsService } from '../submissions';
import type { UsersService } from '../users';
import { CampaignMarkModel, CampaignModel, type CampaignDoc } from './campaigns.model';

/** Pieces approved this long after a campaign ends still get its bonus (review takes time). */
const BONUS_GRACE_MS = 30 * 24 * 3600_000;

export interface CampaignsServiceDeps {
  clock: Clock;
  /** The subscribe-message template announcing a campaign to correspondents (thing1 title, date2 start, thing3 hint). */
  launchTemplateId: string;
  logger: Logger;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  users: Pick<UsersService, 'scopeMemberIds' | 'openidOf'>;
  circles: Pick<CirclesService, 'get' | 'realNameOf'>;
  submissions: Pick<SubmissionsService, 'campaignPieces' | 'campaignTally'>;
  newsroom: Pick<NewsroomService, 'totalReads'>;
  ledger: EarnPort<'contribution'>;
}

/** WeChat's `thing` values hold at most 20 characters. */
const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);

export type CampaignsService = ReturnType<typeof createCampaignsService>;

export function createCampaignsService(deps: CampaignsServiceDeps) {
  const { clock, logger, wechat, users, circles, submissions, newsroom, ledger } = deps;

  function toView(doc: CampaignDoc, now = clock.now()): CampaignView {
    const status = now < doc.startsAt ? 'upcoming' : now < doc.endsAt ? 'running' : 'ended';
    return {
      id: doc._id.toHexString(),
      title: doc.title,
      description: doc.description,
      cover: doc.cover ?? null,
      tag: doc.tag,
      startsAt: doc.startsAt.toISOString(),
      endsAt: doc.endsAt.toISOString(),
      status,
      targetCircleIds: doc.targetCircleIds.map((c) => c.toHexString()),
      bonusPoints: doc.bonusPoints,
      createdAt: doc.createdAt.toISOString(),
    };
  }

  async function mustFind(id: string): Promise<CampaignDoc> {
    const doc = await CampaignModel.findById(id).lean<CampaignDoc>();
    if (!doc) throw new AppError('CAMPAIGN_NOT_FOUND');
    return doc;
  }

  /** Sends the launch message to each correspondent of the target circles once (a mark per person). */
  async function notify(doc: CampaignDoc): Promise<{ notified: number; notSubscribed: number }> {
    const people = new Set<string>();
    for (const circleId of doc.targetCircleIds) {
      const ids = await users.scopeMemberIds({ type: 'circle', id: circleId.toHexString() }, ['correspondent', 'circle_leader']);
      for (const id of ids) people.add(id);
    }
    let notified = 0;
    let notSubscribed = 0;
    for (const userId of people) {
      const key = `notice:${doc._id.toHexString()}:${userId}`;
      try {
        await CampaignMarkModel.create({ _id: key, kind: 'notice', outcome: 'pending', at: clock.now() });
      } catch (err) {
        if (isDuplicateKey(err)) continue;
        throw err;
      }
      const openid = await users.openidOf(userId);
      if (!openid) continue;
      try {
        await wechat.sendSubscribeMessage({
          touser: openid,
          templateId: deps.launchTemplateId,
          page: `subpackages/campaigns/pages/detail/index?id=${doc._id.toHexString()}`,
          data: { thing1: thing(doc.title), date2: shanghaiDay(doc.startsAt), thing3: thing(`投稿时选择话题「${doc.tag}」`) },
        });
        await CampaignMarkModel.updateOne({ _id: key }, { $set: { outcome: 'sent' } });
        notified += 1;
      } catch (err) {
        if (err instanceof AppError && err.code === 'WECHAT_SUBSCRIPTION_REFUSED') {
          await CampaignMarkModel.updateOne({ _id: key }, { $set: { outcome: 'not_subscribed' } });
          notSubscribed += 1;
        } else {
          // Not sent: drop the mark so a later launch retry tries again.
          await CampaignMarkModel.deleteOne({ _id: key });
          logger.warn({ err, userId, campaignId: doc._id.toHexString() }, 'campaign notice failed');
        }
      }
    }
    return { notified, notSubscribed };
  }

  return {
    async launch(actor: RoleHolder, input: CreateCampaignBody) {
      authorize(actor, { role: 'admin' });
      for (const circleId of input.targetCircleIds) await circles.get(circleId);
      const now = clock.now();
      let doc: CampaignDoc;
      try {
        const created = await CampaignModel.create({
          title: input.title,
          description: input.description,
          ...(input.cover ? { cover: input.cover } : {}),
          tag: input.tag,
          startsAt: new Date(input.startsAt),
          endsAt: new Date(input.endsAt),
          targetCircleIds: [...new Set(input.targetCircleIds)].map((c) => new Types.ObjectId(c)),
          bonusPoints: input.bonusPoints,
          createdBy: new Types.ObjectId(actor.id),
          createdAt: now,
        });
        doc = created.toObject() as CampaignDoc;
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('CAMPAIGN_TAG_TAKEN', { details: { tag: input.tag } });
        throw err;
      }
      const sent = await notify(doc);
      return { campaign: toView(doc, now), ...sent };
    },

    /**
     * Campaigns newest launched first, a page at a time, optionally only those upcoming, running or ended now (the
     * same boundaries as a view's `status`). Paged by `_id`, not by `startsAt`: a keyset on the launch order stays
     * stable while campaigns are launched between pages.
     */
    async list({ status, cursor, limit }: ListCampaignsQuery): Promise<{ items: CampaignView[]; nextCursor: string | null }> {
      const now = clock.now();
      const byStatus: Record<CampaignView['status'], QueryFilter<CampaignDoc>> = {
        upcoming: { startsAt: { $gt: now } },
        running: { startsAt: { $lte: now }, endsAt: { $gt: now } },
        ended: { endsAt: { $lte: now } },
      };
      const filter = status ? byStatus[status] : {};
      const { docs, nextCursor } = await pageByIdDesc(CampaignModel, filter, { cursor, limit });
      return { items: docs.map((d) => toView(d, now)), nextCursor };
    },

    /** The campaign page: the campaign, live figures, and its approved pieces (newest first, paged). */
    async page(id: string, query: { cursor?: string; limit: number }) {
      const doc = await mustFind(id);
      const [tally, page] = await Promise.all([submissions.campaignTally(doc.tag), submissions.campaignPieces(doc.tag, query)]);
      const reads = await newsroom.totalReads(tally.flatMap((p) => (p.articleId ? [p.articleId] : [])));
      // Pieces are signed with the correspondent's real name, as their published stories are.
      const authors = [...new Set(page.items.map((s) => s.authorId))];
      const realNames = new Map(await Promise.all(authors.map(async (a) => [a, await circles.realNameOf(a)] as const)));
      return {
        campaign: toView(doc),
        figures: { pieces: tally.length, participants: new Set(tally.map((p) => p.authorId)).size, reads },
        pieces: page.items.map((s) => ({
          id: s.id,
          title: s.title,
          authorName: realNames.get(s.authorId) ?? s.authorName,
          cover: s.images[0]?.url ?? null,
          videoUrl: s.videoUrl,
          articleId: s.articleId,
          submittedAt: s.submittedAt,
        })),
        nextCursor: page.nextCursor,
      };
    },

    /**
     * Pays each approved piece of a campaign its bonus once (key per campaign and submission). Pieces
     * count when they were submitted within the campaign's dates. Run by the campaigns-bonus job.
     */
    async payBonuses(now: Date = clock.now()): Promise<number> {
      const open = await CampaignModel.find({
        bonusPoints: { $gt: 0 },
        startsAt: { $lte: now },
        endsAt: { $gte: new Date(now.getTime() - BONUS_GRACE_MS) },
      }).lean<CampaignDoc[]>();
      let paid = 0;
      for (const c of open) {
        const pieces = await submissions.campaignTally(c.tag);
        for (const p of pieces) {
          const submitted = p.submittedAt ? Date.parse(p.submittedAt) : NaN;
          if (!(submitted >= c.startsAt.getTime() && submitted <= c.endsAt.getTime())) continue;
          const key = `bonus:${c._id.toHexString()}:${p.id}`;
          if (await CampaignMarkModel.exists({ _id: key, outcome: { $in: ['paid', 'capped'] } })) continue;
          const result = await ledger.earn({
            userId: p.authorId,
            source: 'contribution',
            amount: c.bonusPoints,
            reason: `专题「${c.title}」稿件加分：《${p.title}》`,
            ref: { type: 'submission', id: p.id },
            idempotencyKey: `campaign:${c._id.toHexString()}:bonus:${p.id}`,
          });
          await CampaignMarkModel.updateOne(
            { _id: key },
            { $set: { kind: 'bonus', outcome: result.status === 'capped' ? 'capped' : 'paid', at: now } },
            { upsert: true },
          );
          if (result.status === 'credited') paid += 1;
        }
      }
      return paid;
    },
  };
}
