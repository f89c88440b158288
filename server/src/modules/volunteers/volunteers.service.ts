import { createHmac } from 'node:crypto';
import { Types } from 'mongoose';
import QRCode from 'qrcode';
import type {
  ActivityView,
  CertificateCheck,
  CertificateView,
  CheckInBody,
  CorrectionBody,
  CreateActivityBody,
  CreateTeamBody,
  DecideJoinBody,
  JoinRequestState,
  JoinRequestView,
  RecordResponse,
  RosterEntry,
  SignupView,
  TeamView,
  UpdateTeamBody,
} from '@shared/schemas/volunteers';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import { AppError, isAppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { WechatClient } from '../../core/wechat';
import type { UsersService } from '../users';
import {
  SLOT_MS,
  clippedMinutes,
  distanceMetres,
  dynamicCode,
  hoursOf,
  pointsFor,
  shanghaiDate,
  shanghaiMinute,
  shanghaiMonth,
  slotOf,
  verifyDynamicCode,
} from './checkin-code';
import {
  ActivityModel,
  CertificateModel,
  JoinRequestModel,
  SignupModel,
  TeamModel,
  type ActivityDoc,
  type JoinRequestDoc,
  type SignupDoc,
  type TeamDoc,
} from './volunteers.model';

/** The part of the points ledger's contract (CONTRACTS.md, points) this module uses. */
export interface VolunteerPointsLedger {
  earn(input: {
    userId: string;
    source: 'volunteer';
    amount?: number;
    reason: string;
    ref: { type: string; id: string };
    idempotencyKey: string;
  }): Promise<
    | { status: 'credited'; amount: number; entryId: string; balance: number }
    | { status: 'duplicate'; entryId: string }
    | { status: 'capped'; cap: 'day' | 'month' | 'disabled'; message: string }
  >;
}

export interface VolunteersServiceDeps {
  clock: Clock;
  /** Derives the check-in HMAC key (see checkin-code.ts). */
  checkInSecret: Buffer;
  users: Pick<UsersService, 'grantRole' | 'getView' | 'publicProfiles' | 'openidOf'>;
  wechat: Pick<WechatClient, 'getUnlimitedQrCode' | 'sendSubscribeMessage'>;
  points: VolunteerPointsLedger;
  logger?: Pick<Logger, 'warn'>;
  /**
   * How people outside the app reach this API (the certificate's QR code points at its public check). Read
   * per use: without PUBLIC_BASE_URL it follows the listening port, known only after listen.
   */
  publicBaseUrl?: () => string;
  /** Subscribe message sent when a cancellation moves someone up from the waitlist (config.templates.volunteerWaitlist). */
  waitlistTemplateId: string;
}

/** The mini-program page a printed code opens (scene = the activity id). */
export const CHECKIN_PAGE = 'subpackages/activities/pages/checkin/index';
/** Check-out stays open this long after the activity ends (people forget; the leader can still correct). */
export const CHECKOUT_GRACE_MINUTES = 120;
export const CERTIFICATE_ISSUER = '县融媒体中心 · 融媒社区志愿服务平台';

/** 张三 → 张*, 欧阳娜娜 → 欧***: enough to match a paper certificate, not to find the person. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

const iso = (d: Date | undefined | null) => (d ? d.toISOString() : null);

/** Who runs a team's business: its leaders (admins pass every check). */
export const teamManager = (teamId: string) => ({ role: 'team_leader' as const, scope: { type: 'team' as const, id: teamId } });

function toTeamView(doc: TeamDoc): TeamView {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    area: doc.area,
    description: doc.description,
    leaderIds: doc.leaderIds.map((id) => id.toHexString()),
    memberCount: doc.memberIds.length,
    createdAt: doc.createdAt.toISOString(),
  };
}

function toSignupView(doc: SignupDoc, waitlistPosition: number | null = null): SignupView {
  return {
    activityId: doc.activityId.toHexString(),
    userId: doc.userId.toHexString(),
    state: doc.state,
    waitlistPosition: doc.state === 'waitlisted' ? waitlistPosition : null,
    checkInAt: iso(doc.checkInAt),
    checkOutAt: iso(doc.checkOutAt),
    minutes: doc.minutes ?? null,
    confirmedAt: iso(doc.confirmedAt),
    pointsAwarded: doc.pointsAwarded ?? 0,
    createdAt: doc.createdAt.toISOString(),
  };
}

function attendanceOf(doc: SignupDoc) {
  return {
    activityId: doc.activityId.toHexString(),
    checkInAt: iso(doc.checkInAt),
    checkOutAt: iso(doc.checkOutAt),
    minutes: doc.minutes ?? null,
  };
}

export type VolunteersService = ReturnType<typeof createVolunteersService>;

export function createVolunteersService({
  clock,
  checkInSecret,
  users,
  wechat,
  points,
  logger,
  publicBaseUrl = () => '',
  waitlistTemplateId,
}: VolunteersServiceDeps) {
  async function mustFindTeam(id: string): Promise<TeamDoc> {
    const doc = Types.ObjectId.isValid(id) ? await TeamModel.findById(id).lean<TeamDoc>() : null;
    if (!doc) throw new AppError('TEAM_NOT_FOUND');
    return doc;
  }
  async function mustFindActivity(id: string): Promise<ActivityDoc> {
    const doc = Types.ObjectId.isValid(id) ? await ActivityModel.findById(id).lean<ActivityDoc>() : null;
    if (!doc) throw new AppError('ACTIVITY_NOT_FOUND');
    return doc;
  }
  /**
   * What check-in needs of an activity (id, team, times, geofence) never changes after publishing, so it is
   * kept in process for a minute: thousands of volunteers arriving at once don't each re-read it.
   */
  const factsCache = new Map<string, { at: number; doc: ActivityDoc }>();
  async function checkInFacts(id: string): Promise<ActivityDoc> {
    const hit = factsCache.get(id);
    if (hit && Date.now() - hit.at < 60_000) return hit.doc;
    const doc = await mustFindActivity(id);
    if (factsCache.size >= 1000) factsCache.clear();
    factsCache.set(id, { at: Date.now(), doc });
    return doc;
  }
  async function isTeamMember(teamId: Types.ObjectId, userId: string): Promise<boolean> {
    const u = oid(userId);
    return Boolean(await TeamModel.exists({ _id: teamId, $or: [{ memberIds: u }, { leaderIds: u }] }));
  }
  async function waitlistPosition(doc: SignupDoc): Promise<number | null> {
    if (doc.state !== 'waitlisted') return null;
    const ahead = await SignupModel.countDocuments({
      activityId: doc.activityId,
      state: 'waitlisted',
      $or: [{ queuedAt: { $lt: doc.queuedAt } }, { queuedAt: doc.queuedAt, _id: { $lt: doc._id } }],
    });
    return ahead + 1;
  }
  async function signupView(doc: SignupDoc): Promise<SignupView> {
    return toSignupView(doc, await waitlistPosition(doc));
  }

  async function toActivityViews(docs: ActivityDoc[], viewerId: string | null): Promise<ActivityView[]> {
    if (docs.length === 0) return [];
    const ids = docs.map((d) => d._id);
    const teams = await TeamModel.find({ _id: { $in: [...new Set(docs.map((d) => d.teamId.toHexString()))].map(oid) } }, { name: 1 }).lean<
      Pick<TeamDoc, '_id' | 'name'>[]
    >();
    const teamName = new Map(teams.map((t) => [t._id.toHexString(), t.name]));
    const waiting = await SignupModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { activityId: { $in: ids }, state: 'waitlisted' } },
      { $group: { _id: '$activityId', n: { $sum: 1 } } },
    ]);
    const waitingBy = new Map(waiting.map((w) => [w._id.toHexString(), w.n]));
    const mine = new Map<string, SignupView>();
    if (viewerId) {
      const rows = await SignupModel.find({ activityId: { $in: ids }, userId: oid(viewerId) }).lean<SignupDoc[]>();
      for (const row of rows) mine.set(row.activityId.toHexString(), await signupView(row));
    }
    return docs.map((d) => {
      const id = d._id.toHexString();
      return {
        id,
        teamId: d.teamId.toHexString(),
        teamName: teamName.get(d.teamId.toHexString()) ?? '',
        title: d.title,
        description: d.description,
        placeName: d.placeName,
        geofence: d.geofence ? { lat: d.geofence.lat, lng: d.geofence.lng, radiusM: d.geofence.radiusM } : null,
        startAt: d.startAt.toISOString(),
        endAt: d.endAt.toISOString(),
        capacity: d.capacity,
        seatsLeft: d.seatsLeft,
        waitlisted: waitingBy.get(id) ?? 0,
        signUpDeadline: d.signUpDeadline.toISOString(),
        audience: d.audience,
        points: d.points.mode === 'fixed' ? { mode: 'fixed', amount: d.points.amount } : { mode: 'per_hour', perHour: d.points.perHour },
        checkInOpensMinutesBefore: d.checkInOpensMinutesBefore,
        mySignup: mine.get(id) ?? null,
        createdAt: d.createdAt.toISOString(),
      };
    });
  }

  /**
   * Moves waitlisted people into free seats, oldest first. A seat is taken from `seatsLeft` by a
   * conditional decrement before anyone is promoted, so confirmed sign-ups never exceed capacity however
   * many requests run at once; a seat taken with nobody waiting is given back, and the waitlist is looked
   * at again afterwards so a sign-up queued meanwhile is not stranded next to a free seat.
   */
  async function fillSeats(activityId: Types.ObjectId): Promise<void> {
    const movedUp: string[] = [];
    for (;;) {
      const seat = await ActivityModel.findOneAndUpdate(
        { _id: activityId, seatsLeft: { $gt: 0 } },
        { $inc: { seatsLeft: -1 } },
        { projection: { _id: 1 } },
      ).lean();
      if (!seat) break;
      const promoted = await SignupModel.findOneAndUpdate(
        { activityId, state: 'waitlisted' },
        { $set: { state: 'confirmed' } },
        { sort: { queuedAt: 1, _id: 1 }, projection: { _id: 1, userId: 1, toldWaitlisted: 1 } },
      ).lean<Pick<SignupDoc, '_id' | 'userId' | 'toldWaitlisted'>>();
      if (promoted) {
        // The state change is one atomic update, so each move up is seen by exactly one caller: one notice.
        if (promoted.toldWaitlisted) movedUp.push(promoted.userId.toHexString());
        continue;
      }
      await ActivityModel.updateOne({ _id: activityId }, { $inc: { seatsLeft: 1 } });
      if (!(await SignupModel.exists({ activityId, state: 'waitlisted' }))) break;
    }
    if (movedUp.length > 0) await notifyMovedUp(activityId, movedUp);
  }

  /**
   * "候补成功" to people who were answered 候补 and have now got a seat. Someone seated within their own
   * sign-up request (never told 候补) gets nothing. A refused or failed send is logged, never fatal: the
   * seat is theirs either way and the activity page shows it.
   */
  async function notifyMovedUp(activityId: Types.ObjectId, userIds: string[]): Promise<void> {
    const activity = await ActivityModel.findById(activityId, { title: 1, startAt: 1 }).lean<Pick<ActivityDoc, 'title' | 'startAt'>>();
    if (!activity) return;
    for (const userId of userIds) {
      try {
        const openid = await users.openidOf(userId);
        if (!openid) continue;
        await wechat.sendSubscribeMessage({
          touser: openid,
          templateId: waitlistTemplateId,
          page: `subpackages/activities/pages/detail/index?id=${activityId.toHexString()}`,
          data: {
            thing1: [...activity.title].slice(0, 20).join(''),
            time2: `${shanghaiDate(activity.startAt)} ${shanghaiMinute(activity.startAt).slice(-5)}`,
            thing3: '候补成功，你已获得活动名额',
          },
        });
      } catch (err) {
        if (!(isAppError(err) && err.code === 'WECHAT_SUBSCRIPTION_REFUSED'))
          logger?.warn({ err, userId, activityId: activityId.toHexString() }, 'waitlist notice not sent');
      }
    }
  }

  function checkWindow(activity: ActivityDoc, now: Date): void {
    const opens = new Date(activity.startAt.getTime() - activity.checkInOpensMinutesBefore * 60_000);
    if (now < opens) {
      throw new AppError('CHECKIN_WINDOW_NOT_OPEN', {
        message: `签到时间还没到：${shanghaiMinute(opens)} 开始签到（活动开始前 ${activity.checkInOpensMinutesBefore} 分钟）`,
        details: { opensAt: opens.toISOString() },
      });
    }
    if (now > activity.endAt) throw new AppError('CHECKIN_WINDOW_CLOSED', { details: { endedAt: activity.endAt.toISOString() } });
  }

  /** The code and the place: the rotating code when one was scanned, and the geofence whenever the activity has one. */
  function checkPresence(activity: ActivityDoc, body: CheckInBody, now: Date): { method: 'dynamic' | 'printed'; distanceM?: number } {
    const activityId = activity._id.toHexString();
    let method: 'dynamic' | 'printed' = 'printed';
    if (body.code !== undefined) {
      const verdict = verifyDynamicCode(checkInSecret, activityId, body.code, now);
      if (!verdict.ok) {
        if (verdict.reason === 'expired') throw new AppError('CHECKIN_CODE_EXPIRED');
        if (verdict.reason === 'other_activity')
          throw new AppError('CHECKIN_CODE_INVALID', { message: '这是其他活动的签到码，请扫描本活动的签到码' });
        throw new AppError('CHECKIN_CODE_INVALID');
      }
      method = 'dynamic';
    } else if (!activity.geofence) {
      // A printed code can be photographed and sent anywhere: without a geofence only the rotating code proves presence.
      throw new AppError('CHECKIN_CODE_REQUIRED');
    }
    if (!activity.geofence) return { method };
    if (!body.location) throw new AppError('LOCATION_REQUIRED');
    const distanceM = distanceMetres(activity.geofence, body.location);
    if (distanceM > activity.geofence.radiusM) {
      throw new AppError('TOO_FAR_FROM_ACTIVITY', {
        message: `你距离活动地点还有 ${distanceM} 米，需在 ${activity.geofence.radiusM} 米范围内签到`,
        details: { distanceM, radiusM: activity.geofence.radiusM },
      });
    }
    return { method, distanceM };
  }

  async function mustFindSignup(activityId: Types.ObjectId, userId: string): Promise<SignupDoc> {
    const doc = await SignupModel.findOne({ activityId, userId: oid(userId) }).lean<SignupDoc>();
    if (!doc || doc.state === 'cancelled') throw new AppError('NOT_SIGNED_UP');
    if (doc.state === 'waitlisted') throw new AppError('NOT_SIGNED_UP', { message: '你还在候补名单中，没有获得名额，不能签到' });
    return doc;
  }

  async function rosterEntries(activityId: Types.ObjectId, filter: Record<string, unknown> = {}): Promise<RosterEntry[]> {
    const docs = await SignupModel.find({ activityId, state: { $ne: 'cancelled' }, ...filter })
      .sort({ state: 1, queuedAt: 1, _id: 1 })
      .lean<SignupDoc[]>();
    const profiles = await users.publicProfiles(docs.map((d) => d.userId.toHexString()));
    let position = 0;
    return docs.map((d) => ({
      ...toSignupView(d, d.state === 'waitlisted' ? ++position : null),
      nickname: profiles.get(d.userId.toHexString())?.nickname ?? '',
      corrections: d.corrections.map((c) => ({
        by: c.by.toHexString(),
        at: c.at.toISOString(),
        reason: c.reason,
        checkInAt: iso(c.checkInAt),
        checkOutAt: iso(c.checkOutAt),
      })),
    }));
  }

  const service = {
    // ── teams ──
    async listTeams(query: { area?: string; q?: string }): Promise<TeamView[]> {
      const filter: Record<string, unknown> = {};
      if (query.area) filter.area = query.area;
      if (query.q) filter.name = new RegExp(query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      return (await TeamModel.find(filter).sort({ createdAt: 1 }).limit(200).lean<TeamDoc[]>()).map(toTeamView);
    },
    async getTeam(id: string): Promise<TeamView> {
      return toTeamView(await mustFindTeam(id));
    },
    async myTeams(userId: string): Promise<TeamView[]> {
      const u = oid(userId);
      return (
        await TeamModel.find({ $or: [{ memberIds: u }, { leaderIds: u }] })
          .sort({ createdAt: 1 })
          .lean<TeamDoc[]>()
      ).map(toTeamView);
    },
    /** Creates a team (admins); the same name twice is a conflict. */
    async createTeam(input: CreateTeamBody): Promise<TeamView> {
      const now = clock.now();
      try {
        const doc = await TeamModel.create({ ...input, leaderIds: [], memberIds: [], createdAt: now, updatedAt: now });
        return toTeamView(doc.toObject() as TeamDoc);
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('TEAM_NAME_TAKEN');
        throw err;
      }
    },
    /** The team of that name, created when missing (the seed relies on this). */
    async ensureTeam(input: CreateTeamBody): Promise<TeamView> {
      const existing = await TeamModel.findOne({ name: input.name }).lean<TeamDoc>();
      if (existing) return toTeamView(existing);
      try {
        return await service.createTeam(input);
      } catch (err) {
        const doc = await TeamModel.findOne({ name: input.name }).lean<TeamDoc>();
        if (!doc) throw err;
        return toTeamView(doc);
      }
    },
    async updateTeam(actor: RoleHolder, id: string, patch: UpdateTeamBody): Promise<TeamView> {
      authorize(actor, teamManager(id));
      try {
        const doc = await TeamModel.findByIdAndUpdate(
          id,
          { $set: { ...patch, updatedAt: clock.now() } },
          { returnDocument: 'after', lean: true },
        );
        if (!doc) throw new AppError('TEAM_NOT_FOUND');
        return toTeamView(doc as TeamDoc);
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('TEAM_NAME_TAKEN');
        throw err;
      }
    },
    /** Appoints a leader (admins): the team_leader role scoped to this team, through the users service. */
    async appointLeader(actor: { id: string; requestId?: string } | null, teamId: string, userId: string): Promise<TeamView> {
      await mustFindTeam(teamId);
      await users.grantRole(actor, userId, { role: 'team_leader', scope: { type: 'team', id: teamId } });
      const doc = await TeamModel.findByIdAndUpdate(
        teamId,
        { $addToSet: { leaderIds: oid(userId) }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      return toTeamView(doc as TeamDoc);
    },
    /** Makes a user a volunteer of the team: the scoped role (users service) and the member list. */
    async admit(actor: { id: string; requestId?: string } | null, teamId: string, userId: string): Promise<void> {
      await users.grantRole(actor, userId, { role: 'volunteer', scope: { type: 'team', id: teamId } });
      await TeamModel.updateOne({ _id: teamId }, { $addToSet: { memberIds: oid(userId) }, $set: { updatedAt: clock.now() } });
    },
    async members(actor: RoleHolder, teamId: string) {
      const team = await mustFindTeam(teamId);
      if (!(await isTeamMember(team._id, actor.id))) authorize(actor, teamManager(teamId));
      const leaderSet = new Set(team.leaderIds.map((id) => id.toHexString()));
      const ids = [...new Set([...team.leaderIds, ...team.memberIds].map((id) => id.toHexString()))];
      const profiles = await users.publicProfiles(ids);
      return ids.map((id) => ({
        id,
        nickname: profiles.get(id)?.nickname ?? '',
        avatarUrl: profiles.get(id)?.avatarUrl ?? null,
        leader: leaderSet.has(id),
      }));
    },

    // ── join requests ──
    async requestToJoin(userId: string, teamId: string, message: string): Promise<JoinRequestView> {
      const team = await mustFindTeam(teamId);
      if (await isTeamMember(team._id, userId)) throw new AppError('ALREADY_TEAM_MEMBER');
      try {
        const doc = await JoinRequestModel.create({
          teamId: team._id,
          userId: oid(userId),
          pendingKey: `${teamId}:${userId}`,
          message,
          state: 'pending',
          createdAt: clock.now(),
        });
        return (await service.joinRequestViews([doc.toObject() as JoinRequestDoc]))[0] as JoinRequestView;
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('JOIN_REQUEST_PENDING');
        throw err;
      }
    },
    async joinRequestViews(docs: JoinRequestDoc[]): Promise<JoinRequestView[]> {
      const profiles = await users.publicProfiles(docs.map((d) => d.userId.toHexString()));
      return docs.map((d) => ({
        id: d._id.toHexString(),
        teamId: d.teamId.toHexString(),
        userId: d.userId.toHexString(),
        nickname: profiles.get(d.userId.toHexString())?.nickname ?? '',
        message: d.message,
        state: d.state,
        decidedBy: d.decidedBy?.toHexString() ?? null,
        decidedAt: iso(d.decidedAt),
        reason: d.reason ?? null,
        createdAt: d.createdAt.toISOString(),
      }));
    },
    async joinRequests(actor: RoleHolder, teamId: string, state: JoinRequestState): Promise<JoinRequestView[]> {
      authorize(actor, teamManager(teamId));
      const docs = await JoinRequestModel.find({ teamId: oid(teamId), state })
        .sort({ createdAt: 1 })
        .limit(200)
        .lean<JoinRequestDoc[]>();
      return service.joinRequestViews(docs);
    },
    /** A leader of THAT team approves (→ volunteer role scoped to the team) or declines. Decided once. */
    async decideJoin(actor: RoleHolder & { requestId?: string }, requestId: string, input: DecideJoinBody): Promise<JoinRequestView> {
      const request = await JoinRequestModel.findById(requestId).lean<JoinRequestDoc>();
      if (!request) throw new AppError('JOIN_REQUEST_NOT_FOUND');
      authorize(actor, teamManager(request.teamId.toHexString()));
      const state = input.decision === 'approve' ? 'approved' : 'declined';
      const doc = await JoinRequestModel.findOneAndUpdate(
        { _id: request._id, state: 'pending' },
        {
          $set: { state, decidedBy: oid(actor.id), decidedAt: clock.now(), ...(input.reason ? { reason: input.reason } : {}) },
          $unset: { pendingKey: 1 },
        },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('JOIN_REQUEST_DECIDED', { details: { state: request.state } });
      if (state === 'approved') await service.admit(actor, request.teamId.toHexString(), request.userId.toHexString());
      return (await service.joinRequestViews([doc as JoinRequestDoc]))[0] as JoinRequestView;
    },

    // ── activities ──
    async createActivity(actor: RoleHolder, input: CreateActivityBody): Promise<ActivityView> {
      authorize(actor, teamManager(input.teamId));
      const team = await mustFindTeam(input.teamId);
      const doc = await ActivityModel.create({
        teamId: team._id,
        title: input.title,
        description: input.description,
        placeName: input.placeName,
        ...(input.geofence ? { geofence: input.geofence } : {}),
        startAt: new Date(input.startAt),
        endAt: new Date(input.endAt),
        capacity: input.capacity,
        seatsLeft: input.capacity,
        signUpDeadline: new Date(input.signUpDeadline),
        audience: input.audience,
        points: input.points,
        checkInOpensMinutesBefore: input.checkInOpensMinutesBefore,
        createdBy: oid(actor.id),
        createdAt: clock.now(),
      });
      return (await toActivityViews([doc.toObject() as ActivityDoc], actor.id))[0] as ActivityView;
    },
    /** The team's activity of that title, published when missing (the seed relies on this). */
    async ensureActivity(actor: RoleHolder, input: CreateActivityBody): Promise<ActivityView> {
      const existing = await ActivityModel.findOne({ teamId: oid(input.teamId), title: input.title }).lean<ActivityDoc>();
      if (existing) return (await toActivityViews([existing], actor.id))[0] as ActivityView;
      return service.createActivity(actor, input);
    },
    async listActivities(viewerId: string | null, query: { teamId?: string; include: 'upcoming' | 'all' }): Promise<ActivityView[]> {
      const filter: Record<string, unknown> = {};
      if (query.teamId) filter.teamId = oid(query.teamId);
      if (query.include === 'upcoming') filter.endAt = { $gte: clock.now() };
      const docs = await ActivityModel.find(filter)
        .sort({ startAt: query.include === 'upcoming' ? 1 : -1 })
        .limit(100)
        .lean<ActivityDoc[]>();
      return toActivityViews(docs, viewerId);
    },
    async getActivity(viewerId: string | null, id: string): Promise<ActivityView> {
      return (await toActivityViews([await mustFindActivity(id)], viewerId))[0] as ActivityView;
    },

    // ── sign-up ──
    /**
     * Signs up (idempotent: signing up again answers the current sign-up). Everyone joins the waitlist
     * first and `fillSeats` promotes in queue order, so the seat count alone decides who gets in.
     */
    async signUp(userId: string, activityId: string): Promise<SignupView> {
      const activity = await mustFindActivity(activityId);
      const now = clock.now();
      // Who may sign up before whether sign-up is still open (issue #16: access before state).
      if (activity.audience === 'team' && !(await isTeamMember(activity.teamId, userId))) throw new AppError('ACTIVITY_TEAM_ONLY');
      if (now > activity.signUpDeadline || now > activity.endAt) throw new AppError('SIGNUP_CLOSED');
      const key = { activityId: activity._id, userId: oid(userId) };
      const again = await SignupModel.findOneAndUpdate(
        { ...key, state: 'cancelled' },
        { $set: { state: 'waitlisted', queuedAt: now }, $unset: { toldWaitlisted: 1 } },
        { returnDocument: 'after', lean: true },
      );
      if (!again) {
        try {
          await SignupModel.create({ ...key, state: 'waitlisted', queuedAt: now, corrections: [], pointsAwarded: 0, createdAt: now });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      await fillSeats(activity._id);
      const answer = (await SignupModel.findOne(key).lean<SignupDoc>()) as SignupDoc;
      if (answer.state !== 'waitlisted') return signupView(answer);
      // About to answer 候补: remember it, in the same step as checking it is still true, so a move up
      // either happened before (and the answer says 已报名) or happens after (and sends the notice).
      const told = await SignupModel.findOneAndUpdate(
        { _id: answer._id, state: 'waitlisted' },
        { $set: { toldWaitlisted: true } },
        { returnDocument: 'after', lean: true },
      );
      return signupView((told as SignupDoc | null) ?? ((await SignupModel.findById(answer._id).lean<SignupDoc>()) as SignupDoc));
    },
    /** Cancels (idempotent); a freed seat goes to the head of the waitlist. Not once checked in or started. */
    async cancelSignUp(userId: string, activityId: string): Promise<SignupView> {
      const activity = await mustFindActivity(activityId);
      const key = { activityId: activity._id, userId: oid(userId) };
      const current = await SignupModel.findOne(key).lean<SignupDoc>();
      if (!current) throw new AppError('NOT_SIGNED_UP', { message: '你没有报名该活动' });
      if (current.state === 'cancelled') return signupView(current);
      if (current.checkInAt || clock.now() >= activity.startAt) throw new AppError('SIGNUP_CANCEL_TOO_LATE');
      const before = await SignupModel.findOneAndUpdate(
        { ...key, state: { $in: ['confirmed', 'waitlisted'] }, checkInAt: { $exists: false } },
        { $set: { state: 'cancelled' } },
        { returnDocument: 'before', lean: true },
      );
      if (before?.state === 'confirmed') {
        await ActivityModel.updateOne({ _id: activity._id }, { $inc: { seatsLeft: 1 } });
        await fillSeats(activity._id);
      }
      return signupView((await SignupModel.findOne(key).lean<SignupDoc>()) as SignupDoc);
    },
    async mySignups(userId: string): Promise<SignupView[]> {
      const docs = await SignupModel.find({ userId: oid(userId) })
        .sort({ createdAt: -1 })
        .limit(200)
        .lean<SignupDoc[]>();
      return Promise.all(docs.map(signupView));
    },

    // ── codes ──
    /** The rotating code for the leader's screen: the current slot's QR text and image. */
    async dynamicCode(actor: RoleHolder, activityId: string) {
      const activity = await mustFindActivity(activityId);
      authorize(actor, teamManager(activity.teamId.toHexString()));
      const now = clock.now();
      const slot = slotOf(now);
      const code = dynamicCode(checkInSecret, activityId, slot);
      const qrDataUrl = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
      return { code, slot, rotatesAt: new Date((slot + 1) * SLOT_MS).toISOString(), qrDataUrl };
    },
    /** The printed mini-program code (WeChat getUnlimited, scene = activity id) for places without a leader's phone. */
    async printedCode(actor: RoleHolder, activityId: string): Promise<Buffer> {
      const activity = await mustFindActivity(activityId);
      authorize(actor, teamManager(activity.teamId.toHexString()));
      return wechat.getUnlimitedQrCode({ scene: activityId, page: CHECKIN_PAGE, checkPath: false, width: 430 });
    },

    // ── check-in / check-out ──
    /**
     * Checks a signed-up volunteer in: inside the window, with a fresh rotating code (or the printed code)
     * and inside the geofence. Scanning again answers the same check-in without writing anything.
     */
    async checkIn(userId: string, activityId: string, body: CheckInBody) {
      const activity = await checkInFacts(activityId);
      const now = clock.now();
      // Fast path (the crowd at the gate): code, window and place are pure checks, then one conditional write.
      let refusal: unknown = null;
      try {
        checkWindow(activity, now);
        const presence = checkPresence(activity, body, now);
        const doc = await SignupModel.findOneAndUpdate(
          { activityId: activity._id, userId: oid(userId), state: 'confirmed', checkInAt: { $exists: false } },
          {
            $set: {
              checkInAt: now,
              checkInMethod: presence.method,
              ...(presence.distanceM !== undefined ? { checkInDistanceM: presence.distanceM } : {}),
            },
          },
          { returnDocument: 'after', lean: true },
        );
        if (doc) return attendanceOf(doc as SignupDoc);
      } catch (err) {
        refusal = err;
      }
      // Nothing written: say why in a stable order — not signed up (or waitlisted), then a repeat scan
      // (same answer, whatever code it carried), then the window/code/place refusal.
      const signup = await mustFindSignup(activity._id, userId);
      if (signup.checkInAt) return attendanceOf(signup);
      if (refusal) throw refusal;
      const doc = await SignupModel.findOneAndUpdate(
        { _id: signup._id, state: 'confirmed', checkInAt: { $exists: false } },
        { $set: { checkInAt: now, checkInMethod: body.code === undefined ? 'printed' : 'dynamic' } },
        { returnDocument: 'after', lean: true },
      );
      return attendanceOf((doc as SignupDoc | null) ?? ((await SignupModel.findById(signup._id).lean<SignupDoc>()) as SignupDoc));
    },
    /** Check-out, the same way (until two hours after the end); minutes are clipped to the activity's span. */
    async checkOut(userId: string, activityId: string, body: CheckInBody) {
      const activity = await mustFindActivity(activityId);
      const signup = await mustFindSignup(activity._id, userId);
      if (signup.checkOutAt) return attendanceOf(signup);
      if (!signup.checkInAt) throw new AppError('NOT_CHECKED_IN');
      const now = clock.now();
      if (now.getTime() > activity.endAt.getTime() + CHECKOUT_GRACE_MINUTES * 60_000) {
        throw new AppError('CHECKIN_WINDOW_CLOSED', { message: '签退已关闭（活动结束 2 小时后），请联系队长更正时间' });
      }
      const presence = checkPresence(activity, body, now);
      const doc = await SignupModel.findOneAndUpdate(
        { _id: signup._id, checkInAt: { $exists: true }, checkOutAt: { $exists: false }, confirmedAt: { $exists: false } },
        {
          $set: {
            checkOutAt: now,
            minutes: clippedMinutes(signup.checkInAt, now, activity.startAt, activity.endAt),
            ...(presence.distanceM !== undefined ? { checkOutDistanceM: presence.distanceM } : {}),
          },
        },
        { returnDocument: 'after', lean: true },
      );
      return attendanceOf((doc as SignupDoc | null) ?? ((await SignupModel.findById(signup._id).lean<SignupDoc>()) as SignupDoc));
    },

    // ── leader: roster, corrections, confirmation ──
    async roster(actor: RoleHolder, activityId: string) {
      const activity = await mustFindActivity(activityId);
      authorize(actor, teamManager(activity.teamId.toHexString()));
      const entries = await rosterEntries(activity._id);
      const confirmed = entries.filter((e) => e.state === 'confirmed');
      return {
        counts: {
          signedUp: confirmed.length,
          waitlisted: entries.length - confirmed.length,
          checkedIn: confirmed.filter((e) => e.checkInAt).length,
          checkedOut: confirmed.filter((e) => e.checkOutAt).length,
          confirmed: confirmed.filter((e) => e.confirmedAt).length,
        },
        entries,
      };
    },
    /** A leader corrects a volunteer's times with a reason (kept on the entry) until hours are confirmed. */
    async correct(actor: RoleHolder, activityId: string, userId: string, input: CorrectionBody): Promise<RosterEntry> {
      const activity = await mustFindActivity(activityId);
      authorize(actor, teamManager(activity.teamId.toHexString()));
      const signup = await mustFindSignup(activity._id, userId);
      if (signup.confirmedAt) throw new AppError('ATTENDANCE_CONFIRMED');
      const checkInAt = input.checkInAt ? new Date(input.checkInAt) : (signup.checkInAt ?? null);
      const checkOutAt = input.checkOutAt ? new Date(input.checkOutAt) : (signup.checkOutAt ?? null);
      if (!checkInAt && checkOutAt) throw new AppError('CORRECTION_INVALID', { message: '请同时填写签到时间' });
      if (checkInAt && checkOutAt && checkOutAt < checkInAt) throw new AppError('CORRECTION_INVALID');
      const set: Record<string, unknown> = {};
      if (checkInAt) set.checkInAt = checkInAt;
      if (checkOutAt) set.checkOutAt = checkOutAt;
      if (checkInAt && checkOutAt) set.minutes = clippedMinutes(checkInAt, checkOutAt, activity.startAt, activity.endAt);
      const doc = await SignupModel.findOneAndUpdate(
        { _id: signup._id, confirmedAt: { $exists: false } },
        { $set: set, $push: { corrections: { by: oid(actor.id), at: clock.now(), reason: input.reason, checkInAt, checkOutAt } } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('ATTENDANCE_CONFIRMED');
      return (await rosterEntries(activity._id, { _id: signup._id }))[0] as RosterEntry;
    },
    /**
     * Confirms checked-out volunteers' hours and pays them through the points ledger. The ledger's
     * idempotency key (`volunteer:<activity>:<user>`) makes payment happen once even when two confirmations
     * run at the same time or one is retried after a crash between confirming and paying.
     */
    async confirm(actor: RoleHolder, activityId: string, userIds?: string[]) {
      const activity = await mustFindActivity(activityId);
      authorize(actor, teamManager(activity.teamId.toHexString()));
      const filter: Record<string, unknown> = { activityId: activity._id, state: 'confirmed', checkOutAt: { $exists: true } };
      if (userIds) filter.userId = { $in: userIds.map(oid) };
      const now = clock.now();
      await SignupModel.updateMany(
        { ...filter, confirmedAt: { $exists: false } },
        { $set: { confirmedAt: now, confirmedBy: oid(actor.id) } },
      );
      const due = await SignupModel.find({ ...filter, confirmedAt: { $exists: true }, pointsEntryId: { $exists: false } }).lean<
        SignupDoc[]
      >();
      const results: Array<{ userId: string; minutes: number; points: number; payment: 'credited' | 'duplicate' | 'capped' | 'none' }> = [];
      for (const s of due) {
        const userId = s.userId.toHexString();
        const minutes = s.minutes ?? 0;
        const amount = pointsFor(activity.points, minutes);
        if (amount <= 0) {
          await SignupModel.updateOne({ _id: s._id, pointsEntryId: { $exists: false } }, { $set: { pointsEntryId: 'none' } });
          results.push({ userId, minutes, points: 0, payment: 'none' });
          continue;
        }
        const paid = await points.earn({
          userId,
          source: 'volunteer',
          amount,
          reason: `志愿服务《${activity.title}》${hoursOf(minutes)}小时`,
          ref: { type: 'volunteer_activity', id: activityId },
          idempotencyKey: `volunteer:${activityId}:${userId}`,
        });
        if (paid.status === 'capped') {
          results.push({ userId, minutes, points: 0, payment: 'capped' });
          continue;
        }
        await SignupModel.updateOne(
          { _id: s._id, pointsEntryId: { $exists: false } },
          { $set: { pointsEntryId: paid.entryId, pointsAwarded: paid.status === 'credited' ? paid.amount : amount } },
        );
        results.push({ userId, minutes, points: paid.status === 'credited' ? paid.amount : 0, payment: paid.status });
      }
      return { confirmed: results };
    },

    // ── the volunteer's record ──
    async record(userId: string): Promise<RecordResponse> {
      const signups = await SignupModel.find({ userId: oid(userId), state: { $ne: 'cancelled' } }).lean<SignupDoc[]>();
      const activities = await ActivityModel.find({ _id: { $in: signups.map((s) => s.activityId) } }).lean<ActivityDoc[]>();
      const byId = new Map(activities.map((a) => [a._id.toHexString(), a]));
      const teams = await TeamModel.find({ _id: { $in: activities.map((a) => a.teamId) } }, { name: 1 }).lean<
        Pick<TeamDoc, '_id' | 'name'>[]
      >();
      const teamName = new Map(teams.map((t) => [t._id.toHexString(), t.name]));
      const byYear = new Map<string, number>();
      const byMonth = new Map<string, number>();
      let total = 0;
      const rows: RecordResponse['activities'] = [];
      for (const s of signups) {
        const a = byId.get(s.activityId.toHexString());
        if (!a) continue;
        const confirmed = Boolean(s.confirmedAt);
        if (confirmed && s.minutes) {
          const month = shanghaiMonth(a.startAt);
          total += s.minutes;
          byMonth.set(month, (byMonth.get(month) ?? 0) + s.minutes);
          byYear.set(month.slice(0, 4), (byYear.get(month.slice(0, 4)) ?? 0) + s.minutes);
        }
        rows.push({
          activityId: a._id.toHexString(),
          title: a.title,
          teamName: teamName.get(a.teamId.toHexString()) ?? '',
          startAt: a.startAt.toISOString(),
          endAt: a.endAt.toISOString(),
          state: s.state,
          minutes: s.minutes ?? null,
          confirmed,
          pointsAwarded: s.pointsAwarded ?? 0,
        });
      }
      rows.sort((x, y) => (x.startAt < y.startAt ? 1 : -1));
      const series = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => (a < b ? 1 : -1));
      return {
        totalMinutes: total,
        totalHours: hoursOf(total),
        byYear: series(byYear).map(([year, minutes]) => ({ year, minutes, hours: hoursOf(minutes) })),
        byMonth: series(byMonth).map(([month, minutes]) => ({ month, minutes, hours: hoursOf(minutes) })),
        activities: rows,
      };
    },
    /**
     * 志愿服务证明: confirmed service only. The serial is an HMAC of the holder and the figures, so the same
     * figures always give the same serial and date; new service gives a new one. Each serial is recorded
     * (first issue wins) so anyone can check it publicly (`checkCertificate`) from the QR code.
     */
    async certificate(userId: string): Promise<{ certificate: CertificateView }> {
      const record = await service.record(userId);
      const user = await users.getView(userId);
      const teams = await service.myTeams(userId);
      const served = record.activities.filter((a) => a.confirmed && a.minutes);
      const serial = createHmac('sha256', checkInSecret)
        .update(`certificate:${userId}:${record.totalMinutes}:${served.length}`)
        .digest('hex')
        .slice(0, 16)
        .toUpperCase();
      const firstServiceAt = served.at(-1)?.startAt ?? null;
      const lastServiceAt = served[0]?.startAt ?? null;
      const issued = await CertificateModel.findOneAndUpdate(
        { _id: serial },
        {
          $setOnInsert: {
            userId: oid(userId),
            name: user.nickname,
            teams: teams.map((t) => t.name),
            totalMinutes: record.totalMinutes,
            activityCount: served.length,
            byYear: record.byYear.map((y) => ({ year: y.year, minutes: y.minutes })),
            firstServiceAt: firstServiceAt ? new Date(firstServiceAt) : null,
            lastServiceAt: lastServiceAt ? new Date(lastServiceAt) : null,
            issuer: CERTIFICATE_ISSUER,
            issuedAt: clock.now(),
          },
        },
        { upsert: true, returnDocument: 'after', lean: true },
      ).catch(async (err: unknown) => {
        // Two first requests at once: one inserted, the other hit the key; read the winner.
        if (!isDuplicateKey(err)) throw err;
        return CertificateModel.findById(serial).lean();
      });
      const verifyUrl = `${publicBaseUrl()}/api/v1/volunteers/certificates/${serial}`;
      const qrDataUrl = await QRCode.toDataURL(verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 360 });
      return {
        certificate: {
          serial,
          name: user.nickname,
          teams: teams.map((t) => t.name),
          totalHours: record.totalHours,
          activityCount: served.length,
          firstServiceAt,
          lastServiceAt,
          byYear: record.byYear.map((y) => ({ year: y.year, hours: y.hours })),
          issuedAt: (issued?.issuedAt ?? clock.now()).toISOString(),
          issuer: issued?.issuer ?? CERTIFICATE_ISSUER,
          lines: served.map((a) => ({ date: shanghaiDate(new Date(a.startAt)), title: a.title, hours: hoursOf(a.minutes ?? 0) })),
          verifyUrl,
          qrDataUrl,
        },
      };
    },
    /** The public check behind a certificate's QR code: the figures as issued, or 404 for a serial never issued. */
    async checkCertificate(serial: string): Promise<CertificateCheck> {
      const doc = await CertificateModel.findById(serial).lean();
      if (!doc) throw new AppError('NOT_FOUND', { message: '没有这个编号的志愿服务证明，请核对编号' });
      const newer = await CertificateModel.exists({ userId: doc.userId, issuedAt: { $gt: doc.issuedAt } });
      return {
        valid: true,
        serial: doc._id,
        maskedName: maskName(doc.name),
        totalHours: hoursOf(doc.totalMinutes),
        activityCount: doc.activityCount,
        byYear: doc.byYear.map((y) => ({ year: y.year, hours: hoursOf(y.minutes) })),
        issuedAt: doc.issuedAt.toISOString(),
        issuer: doc.issuer,
        latest: !newer,
      };
    },
  };
  return service;
}
