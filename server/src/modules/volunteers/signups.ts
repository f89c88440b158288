import type { Types } from 'mongoose';
import type { SignupView } from '@shared/schemas/volunteers';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { NotificationsService } from '../notifications';
import { shanghaiDay } from '../../core/time';
import { shanghaiMinute } from './checkin-code';
import { ActivityModel, SignupModel, type ActivityDoc, type SignupDoc } from './volunteers.model';
import { isTeamMember, mustFindActivity, signupView } from './volunteer-store';

export interface SignupsDeps {
  clock: Clock;
  /** Where "候补成功" is raised (in-app, and the volunteerWaitlist subscribe message with consent). */
  notifications: Pick<NotificationsService, 'raise'>;
  logger?: Pick<Logger, 'warn'>;
}

/** Sign-up with a waitlist: seats taken in queue order, never beyond capacity; people moved up are told. */
export function createSignups({ clock, notifications, logger }: SignupsDeps) {
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
    const id = activityId.toHexString();
    const startsAt = `${shanghaiDay(activity.startAt)} ${shanghaiMinute(activity.startAt).slice(-5)}`;
    for (const userId of userIds) {
      try {
        // Keyed by the sign-up's promotion time would allow a second notice after cancel → re-sign-up → move up;
        // the queue time is what changes then, so it is part of the key.
        const queuedAt = (
          await SignupModel.findOne({ activityId, userId: oid(userId) }, { queuedAt: 1 }).lean<Pick<SignupDoc, 'queuedAt'>>()
        )?.queuedAt;
        await notifications.raise({
          userId,
          kind: 'volunteers',
          key: `volunteers:waitlist:${id}:${queuedAt?.getTime() ?? 0}`,
          title: '候补成功',
          body: `你已获得「${activity.title}」的活动名额，活动时间 ${startsAt}`,
          link: `subpackages/activities/pages/detail/index?id=${id}`,
          subscribe: {
            templateKey: 'volunteerWaitlist',
            data: { title: activity.title, startsAt: activity.startAt, hint: '候补成功，你已获得活动名额' },
          },
        });
      } catch (err) {
        logger?.warn({ err, userId, activityId: id }, 'waitlist notice not raised');
      }
    }
  }

  return {
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
  };
}
