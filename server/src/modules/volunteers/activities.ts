import type { Types } from 'mongoose';
import { parseNear, type ActivityView, type CreateActivityBody, type SignupView } from '@shared/schemas/volunteers';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { containsPattern, oid, pageByKey } from '../../core/db';
import { greatCircleMetres, type LatLng } from '../../core/geo';
import { ActivityModel, SignupModel, TeamModel, type ActivityDoc, type SignupDoc, type TeamDoc } from './volunteers.model';
import { mustFindActivity, mustFindTeam, signupView } from './volunteer-store';
import { teamManager } from './teams';

/** Activities as shown: their team's name, the waitlist's length and the viewer's own sign-up. */
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

/** Where an activity without a place sorts in a near-me list: after every real distance (fits the cursor's 15 digits). */
const NO_PLACE_KEY = 999_999_999_999_999;

/**
 * A near-me page: the matching activities sorted by whole metres from `here` (no place last), then id, and the
 * page after `cursor` ("<metres>.<id>", the same form as the date cursors). Sorted in memory like the merchant
 * directory: a county has a few hundred activities open at a time, far fewer than a geo index pays for.
 */
async function pageByDistance(
  filter: Record<string, unknown>,
  here: LatLng,
  { cursor, limit }: { cursor?: string; limit: number },
): Promise<{ docs: Array<{ doc: ActivityDoc; distanceM: number | null }>; nextCursor: string | null }> {
  const all = await ActivityModel.find(filter).lean<ActivityDoc[]>();
  const keyed = all
    .map((doc) => {
      const distanceM = doc.geofence ? Math.round(greatCircleMetres(here, doc.geofence)) : null;
      return { doc, distanceM, key: distanceM ?? NO_PLACE_KEY, id: doc._id.toHexString() };
    })
    .sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let rest = keyed;
  if (cursor) {
    const dot = cursor.indexOf('.');
    const key = Number(cursor.slice(0, dot));
    const id = cursor.slice(dot + 1);
    rest = keyed.filter((k) => k.key > key || (k.key === key && k.id > id));
  }
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return { docs: page, nextCursor: rest.length > limit && last ? `${last.key}.${last.id}` : null };
}

/** Volunteer activities: published by a team's leaders, listed and shown. */
export function createActivities({ clock }: { clock: Clock }) {
  const activities = {
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
      return activities.createActivity(actor, input);
    },
    async listActivities(
      viewerId: string | null,
      query: { teamId?: string; include: 'upcoming' | 'all'; q?: string; near?: string; cursor?: string; limit: number },
    ): Promise<{ items: ActivityView[]; nextCursor: string | null }> {
      const filter: Record<string, unknown> = {};
      if (query.teamId) filter.teamId = oid(query.teamId);
      if (query.q) {
        const re = containsPattern(query.q);
        filter.$or = [{ title: re }, { placeName: re }];
      }
      if (query.include === 'upcoming') filter.endAt = { $gte: clock.now() };
      const here = query.near ? parseNear(query.near) : null;
      if (here) {
        const near = await pageByDistance(filter, here, query);
        const views = await toActivityViews(
          near.docs.map((n) => n.doc),
          viewerId,
        );
        return { items: views.map((v, i) => ({ ...v, distanceM: near.docs[i]?.distanceM ?? null })), nextCursor: near.nextCursor };
      }
      // Paged by start time (what people look for), with the id as tie-break: see core/db/key-page.ts.
      const order = query.include === 'upcoming' ? 1 : -1;
      const { cursor, limit } = query;
      const { docs, nextCursor } = await pageByKey(ActivityModel, filter, { cursor, limit }, { key: 'startAt', order });
      return { items: await toActivityViews(docs, viewerId), nextCursor };
    },
    async getActivity(viewerId: string | null, id: string): Promise<ActivityView> {
      return (await toActivityViews([await mustFindActivity(id)], viewerId))[0] as ActivityView;
    },
  };
  return activities;
}
