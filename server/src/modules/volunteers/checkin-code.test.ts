/**
 * The pure rules behind check-in: the rotating code (signature, activity binding, current/previous slot),
 * the haversine distance, hours clipped to the activity's span, and points for confirmed service.
 */
import {
  SLOT_MS,
  checkInSecret,
  clippedMinutes,
  distanceMetres,
  dynamicCode,
  pointsFor,
  shanghaiMinute,
  slotOf,
  verifyDynamicCode,
} from './checkin-code';

const secret = checkInSecret('a-server-secret-of-at-least-32-characters');
const activityId = '6561a0f0c0ffee0000000001';
const now = new Date('2026-11-28T01:00:10Z');

describe('rotating check-in code', () => {
  it('accepts the current and the previous slot only', () => {
    const slot = slotOf(now);
    expect(verifyDynamicCode(secret, activityId, dynamicCode(secret, activityId, slot), now)).toEqual({ ok: true, slot });
    expect(verifyDynamicCode(secret, activityId, dynamicCode(secret, activityId, slot - 1), now)).toEqual({ ok: true, slot: slot - 1 });
    expect(verifyDynamicCode(secret, activityId, dynamicCode(secret, activityId, slot - 2), now)).toEqual({ ok: false, reason: 'expired' });
    // A code for a future slot can only come from someone holding the secret: refused as invalid.
    expect(verifyDynamicCode(secret, activityId, dynamicCode(secret, activityId, slot + 1), now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses another secret, another activity, tampering and junk', () => {
    const slot = slotOf(now);
    const other = checkInSecret('another-server-secret-of-32-characters!!');
    expect(verifyDynamicCode(secret, activityId, dynamicCode(other, activityId, slot), now)).toEqual({ ok: false, reason: 'invalid' });
    const otherActivity = '6561a0f0c0ffee0000000002';
    expect(verifyDynamicCode(secret, activityId, dynamicCode(secret, otherActivity, slot), now)).toEqual({
      ok: false,
      reason: 'other_activity',
    });
    // Relabelling another activity's code as ours breaks its signature.
    const relabelled = dynamicCode(secret, otherActivity, slot).replace(otherActivity, activityId);
    expect(verifyDynamicCode(secret, activityId, relabelled, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const junk of ['', 'RMVOL1', 'a|b', `RMVOL2|${activityId}|1.x`, `${slot}.short`, 'x'.repeat(200)]) {
      expect(verifyDynamicCode(secret, activityId, junk, now).ok).toBe(false);
    }
    // The bare token (without prefix and activity) verifies too: some scanners hand over only part of the text.
    const token = dynamicCode(secret, activityId, slot).split('|')[2] as string;
    expect(verifyDynamicCode(secret, activityId, token, now).ok).toBe(true);
  });

  it('rotates every 30 seconds', () => {
    expect(slotOf(new Date(now.getTime() + SLOT_MS))).toBe(slotOf(now) + 1);
    expect(dynamicCode(secret, activityId, slotOf(now))).not.toBe(dynamicCode(secret, activityId, slotOf(now) + 1));
  });
});

describe('distance, hours and points', () => {
  it('measures great-circle distance in metres', () => {
    const a = { lat: 26.8378, lng: 116.3252 };
    expect(distanceMetres(a, a)).toBe(0);
    // 0.01° of latitude is about 1,112 m anywhere.
    expect(distanceMetres(a, { lat: a.lat + 0.01, lng: a.lng })).toBe(1112);
    // Beijing Tiananmen → Shanghai People's Square ≈ 1,067 km.
    const km = distanceMetres({ lat: 39.9087, lng: 116.3975 }, { lat: 31.2304, lng: 121.4737 }) / 1000;
    expect(km).toBeGreaterThan(1060);
    expect(km).toBeLessThan(1075);
  });

  it('clips hours to the activity span and never goes negative', () => {
    const start = new Date('2026-11-28T01:00:00Z');
    const end = new Date('2026-11-28T03:00:00Z');
    expect(clippedMinutes(new Date('2026-11-28T00:20:00Z'), new Date('2026-11-28T04:00:00Z'), start, end)).toBe(120);
    expect(clippedMinutes(new Date('2026-11-28T01:10:00Z'), new Date('2026-11-28T02:10:59Z'), start, end)).toBe(60);
    expect(clippedMinutes(new Date('2026-11-28T03:10:00Z'), new Date('2026-11-28T03:20:00Z'), start, end)).toBe(0);
  });

  it('pays per hour pro rata (rounded down) or a fixed amount', () => {
    expect(pointsFor({ mode: 'per_hour', perHour: 10 }, 90)).toBe(15);
    expect(pointsFor({ mode: 'per_hour', perHour: 10 }, 59)).toBe(9);
    expect(pointsFor({ mode: 'fixed', amount: 30 }, 5)).toBe(30);
  });

  it('shows times in Asia/Shanghai', () => {
    expect(shanghaiMinute(new Date('2026-11-28T00:30:00Z'))).toBe('11月28日 08:30');
    expect(shanghaiMinute(new Date('2026-12-31T16:05:00Z'))).toBe('1月1日 00:05');
  });
});
