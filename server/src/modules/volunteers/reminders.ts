/**
 * Activity reminders: a day and an hour before a volunteer activity starts, to its confirmed volunteers. The
 * activity-reminders job calls `remindDue(slot)`; each run looks at every activity not yet started and within a day,
 * so a window missed while no process ran is caught up (once: the claim on the sign-up), and nothing is sent after
 * the start.
 */
import type { Types } from 'mongoose';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import { shanghaiDateTime } from '../../core/time';
import { workDue } from '../../core/work-due';
import type { NotificationsService } from '../notifications';
import { ActivityModel, SignupModel, type ActivityDoc, type SignupDoc } from './volunteers.model';

export type ReminderWhich = 'day' | 'hour';

const HOUR_MS = 3600_000;
const CLAIM_FIELD = { day: 'remindedDayAt', hour: 'remindedHourAt' } as const;
/** Sign-ups looked at per window and run; the next run takes the rest. */
const BATCH = 2000;

export interface RemindersDeps {
  clock: Clock;
  notifications: Pick<NotificationsService, 'raise'>;
}

type Activity = Pick<ActivityDoc, '_id' | 'title' | 'startAt' | 'placeName'>;
type Due = { signup: Pick<SignupDoc, '_id' | 'userId'>; activity: Activity };

export function createReminders({ clock, notifications }: RemindersDeps) {
  /**
   * One reminder: the sign-up is claimed (a conditional set of its field, so two runs never both send), then the
   * notice raised under the key activity + user + which (a retried raise notifies once). A raise that fails gives the
   * claim back and stops the run, so the next slot tries again. The hour's reminder also settles the day's: a
   * volunteer caught up inside the last hour hears once, not twice.
   */
  async function remindOne(which: ReminderWhich, { signup, activity }: Due, now: Date): Promise<void> {
    const field = CLAIM_FIELD[which];
    const claimed = await SignupModel.updateOne(
      { _id: signup._id, state: 'confirmed', [field]: { $exists: false } },
      { $set: { [field]: now } },
    );
    if (claimed.modifiedCount === 0) throw new AppError('REMINDER_ALREADY_SENT');
    const activityId = activity._id.toHexString();
    const startsAt = shanghaiDateTime(activity.startAt);
    try {
      await notifications.raise({
        userId: signup.userId.toHexString(),
        kind: 'volunteers',
        key: `volunteers:reminder:${activityId}:${signup.userId.toHexString()}:${which}`,
        title: which === 'day' ? '志愿活动开始提醒' : '志愿活动一小时内开始',
        body: `「${activity.title}」将于 ${startsAt} 开始，地点：${activity.placeName}`,
        link: `subpackages/activities/pages/detail/index?id=${activityId}`,
        subscribe: {
          templateKey: 'activityReminder',
          data: {
            title: activity.title,
            startsAt: activity.startAt,
            place: activity.placeName,
            hint: which === 'day' ? '活动将在一天内开始，请准时参加' : '活动一小时内开始，请准时签到',
          },
        },
      });
    } catch (err) {
      await SignupModel.updateOne({ _id: signup._id }, { $unset: { [field]: 1 } });
      throw err;
    }
    if (which === 'hour')
      await SignupModel.updateOne({ _id: signup._id, remindedDayAt: { $exists: false } }, { $set: { remindedDayAt: now } });
  }

  /** Confirmed sign-ups of activities starting in (from, to] not yet reminded for `which`. */
  async function due(which: ReminderWhich, from: Date, to: Date): Promise<Due[]> {
    const activities = await ActivityModel.find({ startAt: { $gt: from, $lte: to } }, { title: 1, startAt: 1, placeName: 1 })
      .sort({ startAt: 1, _id: 1 })
      .lean<Activity[]>();
    if (activities.length === 0) return [];
    const byId = new Map(activities.map((a) => [a._id.toHexString(), a]));
    const signups = await SignupModel.find(
      { activityId: { $in: activities.map((a) => a._id) }, state: 'confirmed', [CLAIM_FIELD[which]]: { $exists: false } },
      { _id: 1, userId: 1, activityId: 1 },
    )
      .limit(BATCH)
      .lean<Array<Pick<SignupDoc, '_id' | 'userId'> & { activityId: Types.ObjectId }>>();
    return signups.map((s) => ({ signup: s, activity: byId.get(s.activityId.toHexString())! }));
  }

  return {
    /**
     * The reminder job's work at `now`: the hour's reminders for activities starting within the hour, then the day's
     * for those starting within a day but not the hour. Returns how many of each were raised here.
     */
    async remindDue(now: Date = clock.now()): Promise<{ day: number; hour: number }> {
      const inAnHour = new Date(now.getTime() + HOUR_MS);
      const inADay = new Date(now.getTime() + 24 * HOUR_MS);
      const hour = await workDue(await due('hour', now, inAnHour), (d) => remindOne('hour', d, now), 'REMINDER_ALREADY_SENT');
      const day = await workDue(await due('day', inAnHour, inADay), (d) => remindOne('day', d, now), 'REMINDER_ALREADY_SENT');
      return { day, hour };
    },
  };
}
