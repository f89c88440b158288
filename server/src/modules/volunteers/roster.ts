import type { Types } from 'mongoose';
import type { CorrectionBody, RosterEntry } from '@shared/schemas/volunteers';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid, pageByKey } from '../../core/db';
import { AppError } from '../../core/errors';
import type { EarnPort } from '../points';
import type { UsersService } from '../users';
import { clippedMinutes, hoursOf, pointsFor } from './checkin-code';
import { SignupModel, type SignupDoc } from './volunteers.model';
import { mustFindActivity, mustFindSignup } from './volunteer-store';
import { iso, toSignupView } from './volunteer-views';
import { teamManager } from './teams';

/** The part of the points ledger this module uses: earn() for volunteer service (server/src/modules/points). */
export type VolunteerPointsLedger = EarnPort<'volunteer'>;

export interface RosterDeps {
  clock: Clock;
  users: Pick<UsersService, 'publicProfiles'>;
  points: VolunteerPointsLedger;
}

/** The leader's roster: who signed up and attended, times corrected with a reason, hours confirmed and paid as points. */
export function createRoster({ clock, users, points }: RosterDeps) {
  async function toEntries(docs: SignupDoc[], firstPosition: number): Promise<RosterEntry[]> {
    const profiles = await users.publicProfiles(docs.map((d) => d.userId.toHexString()));
    let position = firstPosition - 1;
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

  /** One entry as the roster shows it, its waitlist position counted among those queued before it. */
  async function rosterEntry(doc: SignupDoc): Promise<RosterEntry> {
    return (await toEntries([doc], doc.state === 'waitlisted' ? 1 + (await queuedBefore(doc)) : 1))[0]!;
  }

  /** How many of the activity's waitlisted signups queue before `doc` (the `(queuedAt, id)` order of the waitlist). */
  function queuedBefore(doc: SignupDoc): Promise<number> {
    return SignupModel.countDocuments({
      activityId: doc.activityId,
      state: 'waitlisted',
      $or: [{ queuedAt: { $lt: doc.queuedAt } }, { queuedAt: doc.queuedAt, _id: { $lt: doc._id } }],
    });
  }

  /** The whole activity's counts, whichever page is asked (five counts on the activity's signups). */
  async function counts(activityId: Types.ObjectId) {
    const count = (filter: Record<string, unknown>) => SignupModel.countDocuments({ activityId, ...filter });
    const seated = { state: 'confirmed' };
    const [signedUp, waitlisted, checkedIn, checkedOut, confirmed] = await Promise.all([
      count(seated),
      count({ state: 'waitlisted' }),
      count({ ...seated, checkInAt: { $ne: null } }),
      count({ ...seated, checkOutAt: { $ne: null } }),
      count({ ...seated, confirmedAt: { $ne: null } }),
    ]);
    return { signedUp, waitlisted, checkedIn, checkedOut, confirmed };
  }

  return {
    /**
     * One state of the roster (报名 or 候补) in queue order, a page at a time, with the activity's counts. Paged by
     * `(queuedAt, id)`: a signup moved from the waitlist takes a new place in the other list, never two in one.
     */
    async roster(
      actor: RoleHolder,
      activityId: string,
      { state, cursor, limit }: { state: 'confirmed' | 'waitlisted'; cursor?: string; limit: number },
    ) {
      const activity = await mustFindActivity(activityId);
      authorize(actor, teamManager(activity.teamId.toHexString()));
      const [page, totals] = await Promise.all([
        pageByKey(SignupModel, { activityId: activity._id, state }, { cursor, limit }, { key: 'queuedAt', order: 1 }),
        counts(activity._id),
      ]);
      const first = page.docs[0];
      const firstPosition = state === 'waitlisted' && first ? 1 + (await queuedBefore(first)) : 1;
      return { counts: totals, items: await toEntries(page.docs, firstPosition), nextCursor: page.nextCursor };
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
      return rosterEntry(doc as SignupDoc);
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
  };
}
