/**
 * 附近的志愿活动 over HTTP: GET /api/v1/volunteers/activities?near=lat,lng lists the upcoming activities nearest
 * first with each one's distance in metres (activities with no place come last, with a null distance), pages by
 * (metres, id) with none lost or repeated, keeps the other filters, and refuses a malformed position with
 * VALIDATION_FAILED and a Chinese message.
 */
import { activityListResponseSchema, type ActivityView } from '@shared/schemas/volunteers';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let leader: LoggedIn;
let teamId: string;
const START = new Date('2026-12-01T00:00:00Z');
const HOUR = 3600_000;
/** 县文化广场, where the reader stands. */
const HERE = { lat: 26.8382, lng: 116.3251 };

beforeAll(async () => {
  t = await createTestContext({ now: START });
  const admin = await loginAs(t, 'admin');
  const res = await admin.agent.post('/api/v1/volunteers/teams').send({ name: '附近测试志愿队', area: '城关街道', description: '' });
  teamId = res.body.team.id as string;
  leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
});
afterAll(() => t.close());

async function publish(title: string, place: { lat: number; lng: number } | null, startsInHours = 24): Promise<string> {
  const startAt = START.getTime() + startsInHours * HOUR;
  const res = await leader.agent.post('/api/v1/volunteers/activities').send({
    teamId,
    title,
    placeName: `${title}地点`,
    ...(place ? { geofence: { ...place, radiusM: 300 } } : {}),
    startAt: new Date(startAt).toISOString(),
    endAt: new Date(startAt + 2 * HOUR).toISOString(),
    capacity: 10,
    signUpDeadline: new Date(startAt - HOUR).toISOString(),
    audience: 'public',
    points: { mode: 'per_hour', perHour: 10 },
  });
  expect(res.status).toBe(201);
  return res.body.activity.id as string;
}

async function list(query: Record<string, string | number>) {
  const res = await t.request.get('/api/v1/volunteers/activities').query(query);
  expect(res.status).toBe(200);
  return activityListResponseSchema.parse(res.body);
}

describe('GET /api/v1/volunteers/activities?near=', () => {
  let far: string, mid: string, near: string, nowhere: string;
  beforeAll(async () => {
    // Published in an order that is neither the distance order nor the start order.
    far = await publish('附近·驿前古镇', { lat: 26.6, lng: 116.5 }, 2); // ~31 km
    nowhere = await publish('附近·线上答疑', null, 1);
    near = await publish('附近·广场清扫', { lat: 26.839, lng: 116.326 }, 48); // ~120 m
    mid = await publish('附近·白莲湖护河', { lat: 26.85, lng: 116.33 }, 30); // ~1.4 km
  });

  it('lists nearest first with distances in metres, activities without a place last', async () => {
    const page = await list({ near: `${HERE.lat},${HERE.lng}`, q: '附近', limit: 20 });
    expect(page.items.map((a) => a.id)).toEqual([near, mid, far, nowhere]);
    const d = (id: string) => page.items.find((a) => a.id === id)!.distanceM;
    expect(d(near)).toBeGreaterThan(50);
    expect(d(near)).toBeLessThan(200);
    expect(d(mid)).toBeGreaterThan(1000);
    expect(d(mid)).toBeLessThan(2000);
    expect(d(far)).toBeGreaterThan(25_000);
    expect(d(nowhere)).toBeNull();
    expect(page.nextCursor).toBeNull();
    // Without near the order is by start time and no distance is given.
    const plain = await list({ q: '附近', limit: 20 });
    expect(plain.items.map((a) => a.id)).toEqual([nowhere, far, mid, near]);
    expect(plain.items.every((a) => a.distanceM === undefined)).toBe(true);
  });

  it('pages by distance with none lost or repeated', async () => {
    const seen: ActivityView[] = [];
    let cursor: string | null = null;
    do {
      const page = await list({ near: `${HERE.lat},${HERE.lng}`, q: '附近', limit: 1, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((a) => a.id)).toEqual([near, mid, far, nowhere]);
  });

  it('keeps the other filters: ended activities stay out of the upcoming list', async () => {
    t.clock.set(new Date(START.getTime() + 5 * HOUR)); // 驿前古镇 and 线上答疑 have ended
    try {
      const page = await list({ near: `${HERE.lat},${HERE.lng}`, q: '附近' });
      expect(page.items.map((a) => a.id)).toEqual([near, mid]);
    } finally {
      t.clock.set(START);
    }
  });

  it('refuses a position it cannot read', async () => {
    for (const near of ['26.8', '26.8,abc', '95,116', '26.8,190', '']) {
      const res = await t.request.get('/api/v1/volunteers/activities').query({ near });
      expect({ near, status: res.status, code: res.body.error?.code }).toEqual({ near, status: 400, code: 'VALIDATION_FAILED' });
    }
    const res = await t.request.get('/api/v1/volunteers/activities').query({ near: '26.8' });
    expect(JSON.stringify(res.body.error)).toContain('纬度,经度');
  });
});
