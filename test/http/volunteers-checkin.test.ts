/**
 * Volunteer check-in and check-out over HTTP on the real stack: the leader's rotating HMAC code (current
 * and previous slot accepted, a forged code, another activity's code and a code three slots old refused),
 * the check-in window, the geofence (distance in metres in the message), not signed up / waitlisted,
 * idempotent double scans (also concurrent), the printed mini-program code (geofence required), hours
 * clipped to the activity's span, the live roster, corrections with a reason, confirmation paying points
 * through the ledger exactly once when called twice at the same time, and the volunteer's record and
 * certificate.
 */
import {
  attendanceResponseSchema,
  confirmResponseSchema,
  dynamicCodeResponseSchema,
  rosterResponseSchema,
} from '@shared/schemas/volunteers';
import { distanceMetres } from '../../server/src/modules/volunteers/checkin-code';
import { SignupModel } from '../../server/src/modules/volunteers/volunteers.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

// The machine running the suite is shared; these flows make many requests per test.
jest.setTimeout(180_000);

let t: TestContext;
let admin: LoggedIn;
/** Who the current test signed in: access tokens live 15 minutes of business time, so moving the clock refreshes them. */
const people: LoggedIn[] = [];
const START = new Date('2026-11-28T00:00:00Z'); // 08:00 in 广昌
const HOUR = 3600_000;
const MIN = 60_000;
const PLACE = { lat: 26.8378, lng: 116.3252 };

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());
beforeEach(() => {
  people.length = 0;
  people.push(admin);
});

let seq = 0;
interface Setup {
  teamId: string;
  activityId: string;
  leader: LoggedIn;
}
/** A team, its leader, and an activity from START+1h to START+3h (check-in opens 30 min before). */
async function setUp(over: Record<string, unknown> = {}): Promise<Setup> {
  await at(0);
  const teamRes = await admin.agent
    .post('/api/v1/volunteers/teams')
    .send({ name: `旴江志愿服务队${++seq}`, area: '旴江镇', description: '' });
  expect(teamRes.status).toBe(201);
  const teamId = teamRes.body.team.id as string;
  const leader = await track(loginAs(t, 'team_leader', { type: 'team', id: teamId }, { nickname: '队长老刘' }));
  const res = await leader.agent.post('/api/v1/volunteers/activities').send({
    teamId,
    title: `河道清洁${seq}`,
    description: '沿旴江捡拾垃圾',
    placeName: '旴江公园北门',
    geofence: { ...PLACE, radiusM: 200 },
    startAt: new Date(START.getTime() + HOUR).toISOString(),
    endAt: new Date(START.getTime() + 3 * HOUR).toISOString(),
    capacity: 20,
    signUpDeadline: new Date(START.getTime() + HOUR).toISOString(),
    audience: 'public',
    points: { mode: 'per_hour', perHour: 10 },
    checkInOpensMinutesBefore: 30,
    ...over,
  });
  expect(res.status).toBe(201);
  return { teamId, activityId: res.body.activity.id as string, leader };
}

async function volunteer(s: Setup, nickname = '志愿者小周'): Promise<LoggedIn> {
  const v = await track(loginAs(t, 'citizen', undefined, { nickname }));
  const res = await v.agent.post(`/api/v1/volunteers/activities/${s.activityId}/signup`);
  expect(res.status).toBe(200);
  expect(res.body.signup.state).toBe('confirmed');
  return v;
}

async function currentCode(s: Setup): Promise<string> {
  const res = await s.leader.agent.get(`/api/v1/volunteers/activities/${s.activityId}/code`);
  expect(res.status).toBe(200);
  return dynamicCodeResponseSchema.parse(res.body).code;
}

const checkIn = (v: LoggedIn, s: Setup, body: Record<string, unknown>) =>
  v.agent.post(`/api/v1/volunteers/activities/${s.activityId}/check-in`).send(body);
const checkOut = (v: LoggedIn, s: Setup, body: Record<string, unknown>) =>
  v.agent.post(`/api/v1/volunteers/activities/${s.activityId}/check-out`).send(body);
async function track(p: Promise<LoggedIn>): Promise<LoggedIn> {
  const who = await p;
  people.push(who);
  return who;
}
async function at(ms: number): Promise<void> {
  t.clock.set(new Date(START.getTime() + ms));
  const auth = t.services.auth;
  for (const who of people) {
    const session = await auth.refresh(who.refreshToken);
    who.refreshToken = session.refreshToken;
    who.token = session.accessToken;
    who.agent.set('Authorization', `Bearer ${session.accessToken}`);
  }
}
/** ~1.1 km north of the place. */
const FAR = { lat: PLACE.lat + 0.01, lng: PLACE.lng };
const NEAR = { lat: PLACE.lat + 0.0005, lng: PLACE.lng }; // ~56 m

describe('the rotating code', () => {
  it('shows the leader a QR image of the current slot, and refuses it to anyone else', async () => {
    const s = await setUp();
    const res = await s.leader.agent.get(`/api/v1/volunteers/activities/${s.activityId}/code`);
    expect(res.status).toBe(200);
    const body = dynamicCodeResponseSchema.parse(res.body);
    expect(body.code).toMatch(new RegExp(`^RMVOL1\\|${s.activityId}\\|\\d+\\.[A-Za-z0-9_-]{22}$`));
    expect(body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(Date.parse(body.rotatesAt) - t.clock.now().getTime()).toBeLessThanOrEqual(30_000);
    const v = await volunteer(s);
    const refused = await v.agent.get(`/api/v1/volunteers/activities/${s.activityId}/code`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });

  it('accepts the current and the previous slot, refuses a code three slots old', async () => {
    const s = await setUp();
    const a = await volunteer(s, '小A');
    const b = await volunteer(s, '小B');
    const c = await volunteer(s, '小C');
    await at(HOUR - 10 * MIN);
    const code = await currentCode(s);
    expect((await checkIn(a, s, { code, location: NEAR })).status).toBe(200);
    t.clock.advance(30_000); // the next slot: the shown code is now the previous one
    expect((await checkIn(b, s, { code, location: NEAR })).status).toBe(200);
    t.clock.advance(60_000); // three slots after the code's own
    const old = await checkIn(c, s, { code, location: NEAR });
    expect(old.status).toBe(410);
    expect(old.body.error.code).toBe('CHECKIN_CODE_EXPIRED');
    expect(old.body.error.message).toContain('过期');
    expect((await SignupModel.findOne({ userId: c.user.id }).lean())?.checkInAt).toBeUndefined();
  });

  it('refuses a forged code, a code with a forged slot, and another activity’s code', async () => {
    const s = await setUp();
    const other = await setUp();
    const v = await volunteer(s);
    await at(HOUR - 5 * MIN);
    const real = await currentCode(s);
    const slot = Number(real.split('|')[2]?.split('.')[0]);
    const forged = await checkIn(v, s, { code: `RMVOL1|${s.activityId}|${slot}.${'A'.repeat(22)}`, location: NEAR });
    expect(forged.status).toBe(422);
    expect(forged.body.error.code).toBe('CHECKIN_CODE_INVALID');
    expect(forged.body.error.message).toContain('签到码无效');
    // The real signature with a later slot (trying to stretch a photo's life) does not verify.
    const stretched = await checkIn(v, s, { code: real.replace(`|${slot}.`, `|${slot + 1}.`), location: NEAR });
    expect(stretched.body.error.code).toBe('CHECKIN_CODE_INVALID');
    const foreign = await checkIn(v, s, { code: await currentCode(other), location: NEAR });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.message).toContain('其他活动');
    expect((await checkIn(v, s, { code: 'hello', location: NEAR })).body.error.code).toBe('CHECKIN_CODE_INVALID');
    expect((await SignupModel.findOne({ userId: v.user.id }).lean())?.checkInAt).toBeUndefined();
  });
});

describe('who, when and where', () => {
  it('refuses outside the window: before it opens (with the opening time) and after the end', async () => {
    const s = await setUp();
    const v = await volunteer(s);
    await at(HOUR - 31 * MIN);
    const early = await checkIn(v, s, { code: await currentCode(s), location: NEAR });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('CHECKIN_WINDOW_NOT_OPEN');
    expect(early.body.error.message).toContain('8:30'.padStart(5, '0')); // 08:30 Asia/Shanghai
    await at(3 * HOUR + 1 * MIN);
    const late = await checkIn(v, s, { code: await currentCode(s), location: NEAR });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CHECKIN_WINDOW_CLOSED');
    await at(HOUR - 30 * MIN);
    expect((await checkIn(v, s, { code: await currentCode(s), location: NEAR })).status).toBe(200);
  });

  it('refuses a phone outside the geofence, saying how far away it is in metres', async () => {
    const s = await setUp();
    const v = await volunteer(s);
    await at(HOUR);
    const res = await checkIn(v, s, { code: await currentCode(s), location: FAR });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('TOO_FAR_FROM_ACTIVITY');
    const expected = distanceMetres(PLACE, FAR);
    expect(expected).toBeGreaterThan(1000);
    expect(res.body.error.message).toBe(`你距离活动地点还有 ${expected} 米，需在 200 米范围内签到`);
    expect(res.body.error.details).toEqual({ distanceM: expected, radiusM: 200 });
    const noLocation = await checkIn(v, s, { code: await currentCode(s) });
    expect(noLocation.body.error.code).toBe('LOCATION_REQUIRED');
    expect((await checkIn(v, s, { code: await currentCode(s), location: NEAR })).status).toBe(200);
  });

  it('refuses someone not signed up, and someone only on the waitlist', async () => {
    const s = await setUp({ capacity: 1 });
    await volunteer(s, '占位者');
    const stranger = await track(loginAs(t, 'citizen'));
    const waiting = await track(loginAs(t, 'citizen'));
    const w = await waiting.agent.post(`/api/v1/volunteers/activities/${s.activityId}/signup`);
    expect(w.body.signup).toMatchObject({ state: 'waitlisted', waitlistPosition: 1 });
    await at(HOUR);
    const code = await currentCode(s);
    const res = await checkIn(stranger, s, { code, location: NEAR });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_SIGNED_UP');
    expect(res.body.error.message).toContain('没有报名');
    const wl = await checkIn(waiting, s, { code, location: NEAR });
    expect(wl.body.error.code).toBe('NOT_SIGNED_UP');
    expect(wl.body.error.message).toContain('候补');
  });
});

describe('double scans and the printed code', () => {
  it('answers a second scan (and concurrent scans) with the same check-in, writing once', async () => {
    const s = await setUp();
    const v = await volunteer(s);
    await at(HOUR - 20 * MIN);
    const code = await currentCode(s);
    const first = await checkIn(v, s, { code, location: NEAR });
    expect(first.status).toBe(200);
    const attendance = attendanceResponseSchema.parse(first.body).attendance;
    expect(attendance.checkInAt).toBe(t.clock.now().toISOString());
    t.clock.advance(45_000);
    const again = await checkIn(v, s, { code: await currentCode(s), location: NEAR });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const w = await volunteer(s, '手快的');
    const burst = await Promise.all(Array.from({ length: 8 }, async () => checkIn(w, s, { code: await currentCode(s), location: NEAR })));
    expect(burst.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(burst.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await SignupModel.countDocuments({ userId: w.user.id, checkInAt: { $exists: true } })).toBe(1);
  });

  it('accepts the printed code (no rotating code) inside the geofence only, and never without a geofence', async () => {
    const s = await setUp();
    const v = await volunteer(s);
    await at(HOUR);
    const far = await checkIn(v, s, { location: FAR });
    expect(far.body.error.code).toBe('TOO_FAR_FROM_ACTIVITY');
    const near = await checkIn(v, s, { location: NEAR });
    expect(near.status).toBe(200);
    expect((await SignupModel.findOne({ userId: v.user.id }).lean())?.checkInMethod).toBe('printed');

    const png = await s.leader.agent.get(`/api/v1/volunteers/activities/${s.activityId}/printed-code.png`).buffer(true);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');

    const open = await setUp({ geofence: undefined });
    const w = await volunteer(open);
    await at(HOUR);
    const refused = await checkIn(w, open, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CHECKIN_CODE_REQUIRED');
    // Without a geofence the rotating code alone is enough.
    expect((await checkIn(w, open, { code: await currentCode(open) })).status).toBe(200);
  });
});

describe('hours, roster, corrections and confirmation', () => {
  it('clips hours to the activity span, shows the roster, and pays once when confirmation is sent twice at once', async () => {
    const s = await setUp();
    const early = await volunteer(s, '早到的');
    const normal = await volunteer(s, '准时的');
    const forgetful = await volunteer(s, '忘签退的');
    await volunteer(s, '没来的');

    await at(HOUR - 25 * MIN);
    expect((await checkIn(early, s, { code: await currentCode(s), location: NEAR })).status).toBe(200);
    await at(HOUR + 10 * MIN);
    expect((await checkIn(normal, s, { code: await currentCode(s), location: NEAR })).status).toBe(200);
    expect((await checkIn(forgetful, s, { code: await currentCode(s), location: NEAR })).status).toBe(200);
    expect((await checkOut(early, s, { code: await currentCode(s), location: FAR })).body.error.code).toBe('TOO_FAR_FROM_ACTIVITY');

    await at(2 * HOUR + 10 * MIN);
    const out = await checkOut(normal, s, { code: await currentCode(s), location: NEAR });
    expect(out.status).toBe(200);
    expect(out.body.attendance.minutes).toBe(60);
    await at(3 * HOUR + 50 * MIN); // after the end, inside the check-out grace
    const clipped = await checkOut(early, s, { code: await currentCode(s), location: NEAR });
    expect(clipped.status).toBe(200);
    expect(clipped.body.attendance.minutes).toBe(120); // 07:35–10:50 clipped to 09:00–11:00
    const twice = await checkOut(early, s, { code: await currentCode(s), location: NEAR });
    expect(twice.body).toEqual(clipped.body);

    const roster = rosterResponseSchema.parse((await s.leader.agent.get(`/api/v1/volunteers/activities/${s.activityId}/roster`)).body);
    expect(roster.counts).toEqual({ signedUp: 4, waitlisted: 0, checkedIn: 3, checkedOut: 2, confirmed: 0 });
    expect(roster.items.find((e) => e.userId === forgetful.user.id)).toMatchObject({ nickname: '忘签退的', checkOutAt: null });
    expect((await early.agent.get(`/api/v1/volunteers/activities/${s.activityId}/roster`)).status).toBe(403);

    // The leader closes the forgotten check-out with a reason.
    const noReason = await s.leader.agent.patch(`/api/v1/volunteers/activities/${s.activityId}/roster/${forgetful.user.id}`).send({
      checkOutAt: new Date(START.getTime() + 2 * HOUR + 40 * MIN).toISOString(),
    });
    expect(noReason.status).toBe(400);
    const corrected = await s.leader.agent.patch(`/api/v1/volunteers/activities/${s.activityId}/roster/${forgetful.user.id}`).send({
      checkOutAt: new Date(START.getTime() + 2 * HOUR + 40 * MIN).toISOString(),
      reason: '队员手机没电，现场确认 10:40 离开',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.entry).toMatchObject({ minutes: 90, corrections: [{ reason: '队员手机没电，现场确认 10:40 离开' }] });
    const backwards = await s.leader.agent.patch(`/api/v1/volunteers/activities/${s.activityId}/roster/${forgetful.user.id}`).send({
      checkOutAt: START.toISOString(),
      reason: '误操作',
    });
    expect(backwards.body.error.code).toBe('CORRECTION_INVALID');

    const confirm = () => s.leader.agent.post(`/api/v1/volunteers/activities/${s.activityId}/confirm`).send({});
    const [one, two] = await Promise.all([confirm(), confirm()]);
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    const payments = [...confirmResponseSchema.parse(one.body).confirmed, ...confirmResponseSchema.parse(two.body).confirmed];
    const credited = payments.filter((p) => p.payment === 'credited');
    expect(credited.map((p) => [p.userId, p.points]).sort()).toEqual(
      [
        [early.user.id, 20],
        [normal.user.id, 10],
        [forgetful.user.id, 15],
      ].sort(),
    );
    expect((await confirm()).body.confirmed).toEqual([]);

    const balances = await Promise.all(
      [early, normal, forgetful].map(async (v) => (await v.agent.get('/api/v1/me/points')).body.balance as number),
    );
    expect(balances).toEqual([20, 10, 15]);
    const ledger = await early.agent.get('/api/v1/me/points/ledger');
    expect(ledger.body.items.filter((e: { source: string }) => e.source === 'volunteer')).toHaveLength(1);

    const late = await s.leader.agent.patch(`/api/v1/volunteers/activities/${s.activityId}/roster/${early.user.id}`).send({
      checkInAt: START.toISOString(),
      reason: '补录',
    });
    expect(late.body.error.code).toBe('ATTENDANCE_CONFIRMED');

    // The volunteer's record and certificate count confirmed service only.
    const record = await early.agent.get('/api/v1/volunteers/me/record');
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      totalMinutes: 120,
      totalHours: 2,
      byYear: [{ year: '2026', minutes: 120, hours: 2 }],
      byMonth: [{ month: '2026-11', minutes: 120, hours: 2 }],
    });
    expect(record.body.activities[0]).toMatchObject({ confirmed: true, minutes: 120, pointsAwarded: 20 });
    const cert = await early.agent.get('/api/v1/volunteers/me/certificate');
    expect(cert.status).toBe(200);
    expect(cert.body.certificate).toMatchObject({
      name: '早到的',
      totalHours: 2,
      activityCount: 1,
      lines: [{ date: '2026-11-28', hours: 2 }],
    });
    expect(cert.body.certificate.serial).toMatch(/^[0-9A-F]{16}$/);
  });

  it('refuses check-out before check-in', async () => {
    const s = await setUp();
    const v = await volunteer(s);
    await at(HOUR);
    const res = await checkOut(v, s, { code: await currentCode(s), location: NEAR });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOT_CHECKED_IN');
  });
});
