import { createHmac, timingSafeEqual } from 'node:crypto';
import { EARTH_MEAN_RADIUS_M, greatCircleMetres, type LatLng } from '../../core/geo';
import { shanghaiDateTime } from '../../core/time';

/** The leader's code rotates every 30 s; a scan is accepted for the current or the previous slot. */
export const SLOT_MS = 30_000;
/** Prefix of the QR text, so the mini-program's scanner can tell our codes from anything else. */
export const CODE_PREFIX = 'RMVOL1';

export const slotOf = (at: Date): number => Math.floor(at.getTime() / SLOT_MS);

/** The check-in secret, derived from the server's signing secret so no new setting can be forgotten in production. */
export function checkInSecret(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update('rongmei:volunteer-checkin:v1').digest();
}

function signature(secret: Buffer, activityId: string, slot: number): string {
  return createHmac('sha256', secret).update(`${activityId}:${slot}`).digest('base64url').slice(0, 22);
}

/** The text the leader's QR shows for `slot`: `RMVOL1|<activityId>|<slot>.<signature>`. */
export function dynamicCode(secret: Buffer, activityId: string, slot: number): string {
  return `${CODE_PREFIX}|${activityId}|${slot}.${signature(secret, activityId, slot)}`;
}

export type CodeVerdict = { ok: true; slot: number } | { ok: false; reason: 'invalid' | 'other_activity' | 'expired' };

/**
 * Checks a scanned code: signed by us for this activity (anything else is invalid, including a future
 * slot), then fresh (current or previous slot). The signature is checked first so a forged code never
 * learns whether its slot would have been accepted.
 */
export function verifyDynamicCode(secret: Buffer, activityId: string, scanned: string, now: Date): CodeVerdict {
  const parts = scanned.split('|');
  let token = scanned;
  if (parts.length === 3) {
    if (parts[0] !== CODE_PREFIX) return { ok: false, reason: 'invalid' };
    if (parts[1] !== activityId) return { ok: false, reason: 'other_activity' };
    token = parts[2] ?? '';
  } else if (parts.length !== 1) {
    return { ok: false, reason: 'invalid' };
  }
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const slot = Number(match[1]);
  const given = Buffer.from(match[2] ?? '');
  const expected = Buffer.from(signature(secret, activityId, slot));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const current = slotOf(now);
  if (slot > current) return { ok: false, reason: 'invalid' };
  if (slot < current - 1) return { ok: false, reason: 'expired' };
  return { ok: true, slot };
}

/** The geofence's distance, rounded to the metre (stored on the sign-up and shown when refused). */
export function distanceMetres(a: LatLng, b: LatLng): number {
  return Math.round(greatCircleMetres(a, b, EARTH_MEAN_RADIUS_M));
}

/** Service minutes between check-in and check-out, clipped to the activity's span (never negative). */
export function clippedMinutes(checkInAt: Date, checkOutAt: Date, startAt: Date, endAt: Date): number {
  const from = Math.max(checkInAt.getTime(), startAt.getTime());
  const to = Math.min(checkOutAt.getTime(), endAt.getTime());
  return Math.max(0, Math.floor((to - from) / 60_000));
}

/** Points for confirmed service: per hour pro rata by minute (rounded down), or the fixed amount. */
export function pointsFor(points: { mode: 'per_hour'; perHour: number } | { mode: 'fixed'; amount: number }, minutes: number): number {
  return points.mode === 'fixed' ? points.amount : Math.floor((points.perHour * minutes) / 60);
}

/** 2026-11-24 → "11月24日 10:30" in Asia/Shanghai. */
export function shanghaiMinute(at: Date): string {
  const local = shanghaiDateTime(at);
  return `${Number(local.slice(5, 7))}月${Number(local.slice(8, 10))}日 ${local.slice(11, 16)}`;
}
// The county's calendar under the names the check-in code's callers use (one implementation, in core).
export const hoursOf = (minutes: number): number => Math.round((minutes / 60) * 10) / 10;
