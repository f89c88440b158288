import { Types } from 'mongoose';
import type {
  ApplicationView,
  ApplyBody,
  ChannelListQuery,
  ChannelView,
  CircleListQuery,
  CircleView,
  CreateCircleBody,
  DecideApplicationBody,
  UpdateCircleBody,
} from '@shared/schemas/newsroom';
import { objectIdSchema } from '@shared/schemas/users';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import { eachReported } from '../../core/batch/each-reported';
import { containsPattern, createOrExisting, isDuplicateKey, oid, pageByIdAsc, pageByKey } from '../../core/db';
import { AppError, isAppError } from '../../core/errors';
import type { AuditService } from '../audit';
import type { NotificationsService } from '../notifications';
import type { UsersService } from '../users';
import { ApplicationModel, ChannelModel, CircleModel, type ApplicationDoc, type ChannelDoc, type CircleDoc } from './circles.model';

export interface CirclesServiceDeps {
  clock: Clock;
  users: Pick<UsersService, 'getView' | 'grantRole' | 'revokeRole' | 'publicProfiles'>;
  audit: Pick<AuditService, 'record'>;
  /** Where the applicant hears the decision (in-app; the applicationResult subscribe message with consent). */
  notifications: Pick<NotificationsService, 'raise'>;
  logger: Pick<Logger, 'warn'>;
}

/** Who performs an admin action (null: the seed or a job), for the audit log. */
type Actor = { id: string; requestId?: string } | null;

function toCircleView(doc: CircleDoc): CircleView {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    description: doc.description,
    leaderIds: doc.leaderIds.map((id) => id.toHexString()),
    memberCount: doc.memberIds.length,
    announcements: doc.announcements.map((a) => ({ text: a.text, at: a.at.toISOString(), by: a.by.toHexString() })),
    createdAt: doc.createdAt.toISOString(),
  };
}

function toChannelView(doc: ChannelDoc, names: ReadonlyMap<string, { nickname: string }>): ChannelView {
  const adminIds = doc.adminIds.map((id) => id.toHexString());
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    kind: doc.kind,
    adminIds,
    admins: adminIds.flatMap((id) => (names.has(id) ? [{ id, nickname: names.get(id)!.nickname }] : [])),
    createdAt: doc.createdAt.toISOString(),
  };
}

function toApplicationView(doc: ApplicationDoc): ApplicationView {
  return {
    id: doc._id.toHexString(),
    userId: doc.userId.toHexString(),
    realName: doc.realName,
    phone: doc.phone,
    circleId: doc.circleId.toHexString(),
    district: doc.district,
    system: doc.system,
    domain: doc.domain,
    intro: doc.intro,
    samples: doc.samples,
    state: doc.state,
    decidedBy: doc.decidedBy?.toHexString() ?? null,
    decidedAt: doc.decidedAt?.toISOString() ?? null,
    reason: doc.reason ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** Who may run a circle's business: its leaders and the editorial team (admins pass every check). */
export const circleManager = (circleId: string) => ({
  anyOf: ['circle_leader', 'editor'] as const,
  scope: { type: 'circle' as const, id: circleId },
});

export type CirclesService = ReturnType<typeof createCirclesService>;

export function createCirclesService({ clock, users, audit, notifications, logger }: CirclesServiceDeps) {
  const audited = (actor: Actor, action: string, target: { type: string; id: string }, details?: Record<string, unknown>) =>
    audit.record({ actorId: actor?.id ?? null, action, target, details, requestId: actor?.requestId });

  /**
   * The applicant hears the decision once (keyed by the application: it is decided once). A notice that cannot be
   * raised is logged and costs the decision nothing: the apply page shows the state either way.
   */
  async function notifyDecision(app: ApplicationDoc): Promise<void> {
    const approved = app.state === 'approved';
    const circle = await CircleModel.findById(app.circleId, { name: 1 }).lean<Pick<CircleDoc, 'name'>>();
    const title = `通讯员申请${approved ? '已通过' : '未通过'}`;
    const where = circle ? `「${circle.name}」` : '';
    await notifications
      .raise({
        userId: app.userId.toHexString(),
        kind: 'newsroom',
        key: `circles:application:${app._id.toHexString()}`,
        title,
        body: approved ? `你已成为${where}通讯员，可以开始投稿了` : `你申请加入${where}的通讯员申请未通过：${app.reason ?? ''}`,
        link: approved ? 'subpackages/newsroom/pages/desk/index' : 'subpackages/newsroom/pages/apply/index',
        subscribe: {
          templateKey: 'applicationResult',
          data: {
            title: '通讯员申请',
            result: approved ? '已通过' : '未通过',
            reason: approved ? '欢迎加入，开始投稿吧' : app.reason || '未写明理由',
            time: app.decidedAt ?? clock.now(),
          },
        },
      })
      .catch((err: unknown) => logger.warn({ err, applicationId: app._id.toHexString() }, 'application notice not raised'));
  }

  async function mustFindCircle(id: string): Promise<CircleDoc> {
    const doc = Types.ObjectId.isValid(id) ? await CircleModel.findById(id).lean<CircleDoc>() : null;
    if (!doc) throw new AppError('CIRCLE_NOT_FOUND');
    return doc;
  }
  /** Channels as views, their admins named in one query for the whole page. */
  async function channelViews(docs: readonly ChannelDoc[]): Promise<ChannelView[]> {
    const names = await users.publicProfiles(docs.flatMap((d) => d.adminIds.map((id) => id.toHexString())));
    return docs.map((d) => toChannelView(d, names));
  }
  async function mustFindChannel(id: string): Promise<ChannelDoc> {
    const doc = await ChannelModel.findById(id).lean<ChannelDoc>();
    if (!doc) throw new AppError('CHANNEL_NOT_FOUND');
    return doc;
  }

  const service = {
    /** Circle names by id (the stats roll-ups label their rows with them). */
    async circleNames(ids: readonly string[]): Promise<Map<string, string>> {
      const docs = await CircleModel.find({ _id: { $in: ids.filter((id) => Types.ObjectId.isValid(id)) } }, { name: 1 }).lean<
        Pick<CircleDoc, '_id' | 'name'>[]
      >();
      return new Map(docs.map((d) => [d._id.toHexString(), d.name]));
    },

    /** Channel names by id (the audit log names the channels acted on). */
    async channelNames(ids: readonly string[]): Promise<Map<string, string>> {
      const docs = await ChannelModel.find({ _id: { $in: ids.filter((id) => Types.ObjectId.isValid(id)) } }, { name: 1 }).lean<
        Pick<ChannelDoc, '_id' | 'name'>[]
      >();
      return new Map(docs.map((d) => [d._id.toHexString(), d.name]));
    },

    /** Circles oldest first, a page at a time (`q`: words in the name). */
    async list(query: CircleListQuery): Promise<{ items: CircleView[]; nextCursor: string | null }> {
      const filter = query.q ? { name: containsPattern(query.q) } : {};
      const { docs, nextCursor } = await pageByKey(CircleModel, filter, query, { key: 'createdAt', order: 1 });
      return { items: docs.map(toCircleView), nextCursor };
    },
    async get(id: string): Promise<CircleView> {
      return toCircleView(await mustFindCircle(id));
    },
    /** Creates the circle, or returns the existing one of that name (the seed relies on this). */
    async create(input: CreateCircleBody, actor: Actor = null): Promise<CircleView> {
      const now = clock.now();
      const doc = await createOrExisting(
        async () => {
          const created = await CircleModel.create({
            ...input,
            leaderIds: [],
            memberIds: [],
            announcements: [],
            createdAt: now,
            updatedAt: now,
          });
          await audited(actor, 'circle.create', { type: 'circle', id: created._id.toHexString() }, { name: input.name });
          return created.toObject() as CircleDoc;
        },
        () => CircleModel.findOne({ name: input.name }).lean<CircleDoc>(),
      );
      return toCircleView(doc);
    },
    async update(id: string, patch: UpdateCircleBody, actor: Actor = null): Promise<CircleView> {
      const doc = await CircleModel.findByIdAndUpdate(
        id,
        { $set: { ...patch, updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('CIRCLE_NOT_FOUND');
      await audited(actor, 'circle.update', { type: 'circle', id }, { ...patch });
      return toCircleView(doc as CircleDoc);
    },
    /** Appoints a leader: the circle_leader role scoped to this circle, through the identity service. */
    async appointLeader(actor: { id: string } | null, circleId: string, userId: string): Promise<CircleView> {
      await mustFindCircle(circleId);
      await users.grantRole(actor, userId, { role: 'circle_leader', scope: { type: 'circle', id: circleId } });
      const doc = await CircleModel.findByIdAndUpdate(
        circleId,
        { $addToSet: { leaderIds: oid(userId) }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      return toCircleView(doc as CircleDoc);
    },
    /** Dismisses a leader: the scoped role is revoked (identity) and the circle forgets them. Idempotent. */
    async dismissLeader(actor: { id: string } | null, circleId: string, userId: string): Promise<CircleView> {
      await mustFindCircle(circleId);
      try {
        await users.revokeRole(actor, userId, { role: 'circle_leader', scope: { type: 'circle', id: circleId } });
      } catch (err) {
        if (!(isAppError(err) && err.code === 'ROLE_NOT_HELD')) throw err;
      }
      const doc = await CircleModel.findByIdAndUpdate(
        circleId,
        { $pull: { leaderIds: oid(userId) }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      return toCircleView(doc as CircleDoc);
    },
    async announce(actor: RoleHolder, circleId: string, text: string): Promise<CircleView> {
      authorize(actor, circleManager(circleId));
      const doc = await CircleModel.findByIdAndUpdate(
        circleId,
        { $push: { announcements: { $each: [{ text, at: clock.now(), by: oid(actor.id) }], $position: 0, $slice: 20 } } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('CIRCLE_NOT_FOUND');
      return toCircleView(doc as CircleDoc);
    },
    /** Makes a user a correspondent of the circle: the scoped role (identity) and the member list. */
    async admit(actor: { id: string } | null, circleId: string, userId: string): Promise<void> {
      await users.grantRole(actor, userId, { role: 'correspondent', scope: { type: 'circle', id: circleId } });
      await CircleModel.updateOne({ _id: circleId }, { $addToSet: { memberIds: oid(userId) } });
    },

    // ── applications ──
    async apply(userId: string, input: ApplyBody): Promise<ApplicationView> {
      await mustFindCircle(input.circleId);
      const user = await users.getView(userId);
      if (!user.phone) throw new AppError('PHONE_REQUIRED');
      try {
        const doc = await ApplicationModel.create({
          ...input,
          userId: oid(userId),
          pendingOf: oid(userId),
          circleId: oid(input.circleId),
          phone: user.phone,
          state: 'pending',
          createdAt: clock.now(),
        });
        return toApplicationView(doc.toObject() as ApplicationDoc);
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('APPLICATION_PENDING');
        throw err;
      }
    },
    /** The real name a person gave in their latest approved correspondent application (null: none approved). */
    async realNameOf(userId: string): Promise<string | null> {
      const app = await ApplicationModel.findOne({ userId: oid(userId), state: 'approved' })
        .sort({ decidedAt: -1, _id: -1 })
        .select('realName')
        .lean<Pick<ApplicationDoc, 'realName'>>();
      return app?.realName ?? null;
    },
    async myApplications(userId: string): Promise<ApplicationView[]> {
      return (await ApplicationModel.find({ userId }).sort({ createdAt: -1 }).limit(20).lean<ApplicationDoc[]>()).map(toApplicationView);
    },
    /** Correspondent applications waiting for an editor (the console's to-do badge). */
    async pendingApplicationCount(actor: RoleHolder): Promise<number> {
      authorize(actor, { role: 'editor' });
      return ApplicationModel.countDocuments({ state: 'pending' });
    },

    /** Applications in one state (a leader's own circles, or every circle for editors), the longest-waiting first, a page at a time. */
    async applications(
      actor: RoleHolder,
      query: { circleId?: string; state: ApplicationDoc['state']; cursor?: string; limit: number },
    ): Promise<{ items: ApplicationView[]; nextCursor: string | null }> {
      const filter: Record<string, unknown> = { state: query.state };
      if (query.circleId) {
        authorize(actor, circleManager(query.circleId));
        filter.circleId = oid(query.circleId);
      } else {
        authorize(actor, { anyOf: ['circle_leader', 'editor'] });
        if (!actor.roles.some((g) => g.role === 'editor' || g.role === 'admin')) {
          // An admin may grant any string as a scope id: one that is no ObjectId names no circle (casting it threw: 500).
          const circleIds = actor.roles.flatMap((g) => (g.role === 'circle_leader' && g.scope ? [g.scope.id] : []));
          filter.circleId = { $in: circleIds.filter((id) => objectIdSchema.safeParse(id).success).map(oid) };
        }
      }
      const { docs, nextCursor } = await pageByIdAsc(ApplicationModel, filter, { cursor: query.cursor, limit: query.limit });
      return { items: docs.map(toApplicationView), nextCursor };
    },
    /** Several applications decided at once, each as `decide` would (its own circle's rights), each row's outcome reported. */
    async decideMany(actor: RoleHolder, ids: readonly string[], input: DecideApplicationBody) {
      authorize(actor, { anyOf: ['circle_leader', 'editor'] });
      // Who may decide is the request's question, not a row's: one application of a circle the actor does not manage
      // refuses the whole batch (403), as deciding it alone would. Unknown ids and decided ones are the rows' answers.
      const circles = await ApplicationModel.find({ _id: { $in: ids.map(oid) } }, { circleId: 1 }).lean<
        Array<Pick<ApplicationDoc, 'circleId'>>
      >();
      for (const { circleId } of circles) authorize(actor, circleManager(circleId.toHexString()));
      return eachReported(ids, (id) => service.decide(actor, id, input));
    },
    /** A leader of THAT circle or an editor approves (→ correspondent role scoped to the circle) or declines with a reason. */
    async decide(actor: RoleHolder, id: string, input: DecideApplicationBody): Promise<ApplicationView> {
      const app = await ApplicationModel.findById(id).lean<ApplicationDoc>();
      if (!app) throw new AppError('APPLICATION_NOT_FOUND');
      authorize(actor, circleManager(app.circleId.toHexString()));
      if (app.userId.toHexString() === actor.id) throw new AppError('SELF_REVIEW_FORBIDDEN');
      const state = input.decision === 'approve' ? 'approved' : 'declined';
      const doc = await ApplicationModel.findOneAndUpdate(
        { _id: id, state: 'pending' },
        {
          $set: { state, decidedBy: oid(actor.id), decidedAt: clock.now(), ...(input.reason ? { reason: input.reason } : {}) },
          $unset: { pendingOf: 1 },
        },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('APPLICATION_DECIDED', { details: { state: app.state } });
      if (state === 'approved') await service.admit(actor, app.circleId.toHexString(), app.userId.toHexString());
      await notifyDecision(doc as ApplicationDoc);
      return toApplicationView(doc as ApplicationDoc);
    },

    // ── unit channels ──
    /** Channels oldest first (by id: the order they were created in), filtered by name and kind, a page at a time. */
    async listChannels(query: ChannelListQuery): Promise<{ items: ChannelView[]; nextCursor: string | null }> {
      const filter: Record<string, unknown> = {};
      if (query.q) filter.name = containsPattern(query.q);
      if (query.kind) filter.kind = query.kind;
      const { docs, nextCursor } = await pageByIdAsc(ChannelModel, filter, { cursor: query.cursor, limit: query.limit });
      return { items: await channelViews(docs), nextCursor };
    },
    async createChannel(input: { name: string; kind: ChannelDoc['kind'] }, actor: Actor = null): Promise<ChannelView> {
      const doc = await createOrExisting(
        async () => {
          const created = await ChannelModel.create({ ...input, adminIds: [], createdAt: clock.now() });
          await audited(actor, 'channel.create', { type: 'channel', id: created._id.toHexString() }, { ...input });
          return created.toObject() as ChannelDoc;
        },
        () => ChannelModel.findOne({ name: input.name }).lean<ChannelDoc>(),
      );
      return (await channelViews([doc]))[0]!;
    },
    async addChannelAdmin(channelId: string, userId: string, actor: Actor = null): Promise<ChannelView> {
      const before = await mustFindChannel(channelId);
      await users.getView(userId);
      const doc = await ChannelModel.findByIdAndUpdate(
        channelId,
        { $addToSet: { adminIds: oid(userId) } },
        { returnDocument: 'after', lean: true },
      );
      if (!before.adminIds.some((id) => id.equals(userId))) {
        await audited(actor, 'channel.admin_add', { type: 'channel', id: channelId }, { userId });
      }
      return (await channelViews([doc as ChannelDoc]))[0]!;
    },
    /** Removes an admin of a channel (audited when they were one; removing someone who isn't changes nothing). */
    async removeChannelAdmin(channelId: string, userId: string, actor: Actor = null): Promise<ChannelView> {
      const after = await ChannelModel.findOneAndUpdate(
        { _id: oid(channelId), adminIds: oid(userId) },
        { $pull: { adminIds: oid(userId) } },
        { returnDocument: 'after', lean: true },
      );
      if (after) await audited(actor, 'channel.admin_remove', { type: 'channel', id: channelId }, { userId });
      // Not an admin of it (or no such channel: CHANNEL_NOT_FOUND): the channel as it is.
      return (await channelViews([(after as ChannelDoc | null) ?? (await mustFindChannel(channelId))]))[0]!;
    },
    /** The channel a user administers, if any: their pieces take the lighter review lane. */
    async channelOf(userId: string): Promise<string | null> {
      const doc = await ChannelModel.findOne({ adminIds: oid(userId) }, { _id: 1 }).lean<Pick<ChannelDoc, '_id'>>();
      return doc?._id.toHexString() ?? null;
    },
  };
  return service;
}
