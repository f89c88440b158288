import QRCode from 'qrcode';
import type { CheckInBody } from '@shared/schemas/volunteers';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import type { WechatClient } from '../../core/wechat';
import { SLOT_MS, clippedMinutes, distanceMetres, dynamicCode, shanghaiMinute, slotOf, verifyDynamicCode } from './checkin-code';
import { SignupModel, type ActivityDoc, type SignupDoc } from './volunteers.model';
import { mustFindActivity, mustFindSignup } from './volunteer-store';
import { attendanceOf } from './volunteer-views';
import { teamManager } from './teams';

/** The mini-program page a printed code opens (scene = the activity id). */
export const CHECKIN_PAGE = 'subpackages/activities/pages/checkin/index';
/** Check-out stays open this long after the activity ends (people forget; the leader can still correct). */
export const CHECKOUT_GRACE_MINUTES = 120;

export interface AttendanceDeps {
  clock: Clock;
  /** Derives the check-in HMAC key (see checkin-code.ts). */
  checkInSecret: Buffer;
  wechat: Pick<WechatClient, 'getUnlimitedQrCode'>;
}

/**
 * Attendance: the check-in codes (the leader's rotating QR, the printed mini-program code) and checking in
 * and out inside the window, with a valid code and inside the geofence.
 */
export function createAttendance({ clock, checkInSecret, wechat }: AttendanceDeps) {
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

  return {
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
  };
}
