import { Types } from 'mongoose';
import type { CampaignView, CreateCampaignBody, ListCampaignsQuery } from '@shared/schemas/campaigns';
import type { QueryFilter } from 'mongoose';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { shanghaiDay } from '../../core/time';
import type { CirclesService } from '../circles';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { EarnPort } from '../points';
import type { SubmissionsService } from '../submissions';
import type { UsersService } from '../users';
import { CampaignMarkModel, CampaignModel, type CampaignDoc } from './campaigns.model';

/** Pieces approved this long after a campaign ends still get its bonus (review takes time). */
const BONUS_GRACE_MS = 30 * 24 * 3600_000;

export interface CampaignsServiceDeps {
  clock: Clock;
  logger: Logger;
  /** Where the launch is announced to correspondents (in-app, and the campaignLaunch subscribe message with consent). */
  notifications: Pick<NotificationsService, 'raiseMany'>;
  users: Pick<UsersService, 'scopeMemberIds'>;
  circles: Pick<CirclesService, 'get' | 'realNameOf'>;
  submissions: Pick<SubmissionsService, 'campaignPieces' | 'campaignTally'>;
  newsroom: Pick<NewsroomService, 'totalReads'>;
  ledger: EarnPort<'contribution'>;
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;

export function createCampaignsService(deps: CampaignsServiceDeps) {
  const { clock, users, circles, submissions, newsroom, ledger } = deps;

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

  /** The correspondents and circle leaders of the target circles (the one place this module reads scope members). */
  async function audienceOf(doc: CampaignDoc): Promise<Set<string>> {
    const people = new Set<string>();
    for (const circleId of doc.targetCircleIds) {
      const ids = await users.scopeMemberIds({ type: 'circle', id: circleId.toHexString() }, ['correspondent', 'circle_leader']);
      for (const id of ids) people.add(id);
    }
    return people;
  }

  /**
   * Announces the launch to each person of the target circles once (the notice's key is the campaign's): an in-app
   * message always, a subscribe message to those who consented. `notSubscribed` counts those without one. A launch to
   * more than a handful leaves its subscribe messages to the outbox job: both figures then count only what was
   * decided at once (the console's 通知统计 shows the rest).
   */
  async function notify(doc: CampaignDoc): Promise<{ notified: number; notSubscribed: number }> {
    const id = doc._id.toHexString();
    const link = `subpackages/campaigns/pages/detail/index?id=${id}`;
    const hint = `投稿时选择话题「${doc.tag}」`;
    // Batched: a launch may reach thousands; their subscribe messages beyond a handful go out paced by the outbox job.
    const result = await deps.notifications.raiseMany(
      [...(await audienceOf(doc))].map((userId) => ({
        userId,
        kind: 'campaigns' as const,
        key: `campaigns:launch:${id}`,
        title: `专题活动「${doc.title}」开始征稿`,
        body: `${shanghaiDay(doc.startsAt)} 开始，${hint}`,
        link,
        subscribe: { templateKey: 'campaignLaunch' as const, data: { title: doc.title, startsOn: doc.startsAt, hint } },
      })),
    );
    return { notified: result.sent, notSubscribed: result.dropped };
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
