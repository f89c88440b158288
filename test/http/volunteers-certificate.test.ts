/**
 * The 志愿服务证明 over HTTP on the real stack: it counts confirmed service only, with hours per year; the
 * same figures keep their serial and issue date (also when asked twice at once); its QR code encodes the
 * public check, which anyone can open without signing in (JSON, or a small page for a browser) and which
 * shows the figures as issued with the name masked; more service gives a new serial and marks the old one as superseded; unknown or malformed
 * serials are refused in Chinese.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import supertest from 'supertest';
import { certificateCheckResponseSchema, certificateResponseSchema } from '@shared/schemas/volunteers';
import { CertificateModel } from '../../server/src/modules/volunteers/volunteers.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

jest.setTimeout(120_000);

let t: TestContext;
let admin: LoggedIn;
let leader: LoggedIn;
let teamId: string;
const START = new Date('2026-12-01T00:00:00Z');
const HOUR = 3600_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
  const team = await admin.agent.post('/api/v1/volunteers/teams').send({ name: '证明测试志愿队', area: '旴江镇', description: '' });
  expect(team.status).toBe(201);
  teamId = team.body.team.id as string;
  leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
});
afterAll(() => t.close());

let seq = 0;
/** An activity on `startAt` lasting `hours`; the volunteer signs up, the leader records the times and confirms. */
async function serve(v: LoggedIn, startAt: string, hours: number): Promise<void> {
  const start = new Date(startAt);
  const res = await leader.agent.post('/api/v1/volunteers/activities').send({
    teamId,
    title: `社区服务${++seq}`,
    placeName: '县文化广场',
    startAt: start.toISOString(),
    endAt: new Date(start.getTime() + 4 * HOUR).toISOString(),
    capacity: 10,
    signUpDeadline: start.toISOString(),
    audience: 'public',
    points: { mode: 'fixed', amount: 0 },
  });
  expect(res.status).toBe(201);
  const activityId = res.body.activity.id as string;
  expect((await v.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`)).body.signup.state).toBe('confirmed');
  const corrected = await leader.agent.patch(`/api/v1/volunteers/activities/${activityId}/roster/${v.user.id}`).send({
    checkInAt: start.toISOString(),
    checkOutAt: new Date(start.getTime() + hours * HOUR).toISOString(),
    reason: '纸质签到表补录',
  });
  expect(corrected.status).toBe(200);
  expect((await leader.agent.post(`/api/v1/volunteers/activities/${activityId}/confirm`).send({})).status).toBe(200);
}

const anonymous = () => supertest(t.app.callback());

function decodeQr(dataUrl: string): string {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? '';
}

describe('the volunteer service certificate', () => {
  it('shows confirmed hours per year, and its QR code opens a public check of the figures as issued', async () => {
    const v = await loginAs(t, 'citizen', undefined, { nickname: '志愿者小周' });
    await serve(v, '2026-12-05T01:00:00Z', 3);
    await serve(v, '2027-01-09T01:00:00Z', 2);
    // Signed up but never served: not on the certificate.
    const unserved = await leader.agent.post('/api/v1/volunteers/activities').send({
      teamId,
      title: '未参加的活动',
      placeName: '县文化广场',
      startAt: '2027-02-01T01:00:00Z',
      endAt: '2027-02-01T03:00:00Z',
      capacity: 5,
      signUpDeadline: '2027-02-01T01:00:00Z',
      audience: 'public',
      points: { mode: 'fixed', amount: 0 },
    });
    await v.agent.post(`/api/v1/volunteers/activities/${unserved.body.activity.id}/signup`);

    // Asked twice at once the first time: one record, one serial, one date.
    const [a, b] = await Promise.all([v.agent.get('/api/v1/volunteers/me/certificate'), v.agent.get('/api/v1/volunteers/me/certificate')]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const cert = certificateResponseSchema.parse(a.body).certificate;
    expect(b.body.certificate.serial).toBe(cert.serial);
    expect(b.body.certificate.issuedAt).toBe(cert.issuedAt);
    expect(await CertificateModel.countDocuments({ userId: v.user.id })).toBe(1);
    expect(cert).toMatchObject({
      name: '志愿者小周',
      teams: [],
      totalHours: 5,
      activityCount: 2,
      byYear: [
        { year: '2027', hours: 2 },
        { year: '2026', hours: 3 },
      ],
      lines: [
        { date: '2027-01-09', hours: 2 },
        { date: '2026-12-05', hours: 3 },
      ],
      issuedAt: START.toISOString(),
    });
    expect(cert.issuer).toContain('融媒体中心');
    expect(cert.serial).toMatch(/^[0-9A-F]{16}$/);
    expect(cert.verifyUrl).toMatch(new RegExp(`^https?://.+/api/v1/volunteers/certificates/${cert.serial}$`));
    expect(decodeQr(cert.qrDataUrl)).toBe(cert.verifyUrl);

    // Anyone can check it, without signing in.
    const path = new URL(cert.verifyUrl).pathname;
    const check = await anonymous().get(path);
    expect(check.status).toBe(200);
    expect(certificateCheckResponseSchema.parse(check.body).check).toEqual({
      valid: true,
      serial: cert.serial,
      maskedName: '志****',
      totalHours: 5,
      activityCount: 2,
      byYear: [
        { year: '2027', hours: 2 },
        { year: '2026', hours: 3 },
      ],
      issuedAt: cert.issuedAt,
      issuer: cert.issuer,
      latest: true,
    });
    // A phone's browser opening the QR code gets a readable page instead of JSON.
    const html = await anonymous().get(path).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(html.status).toBe(200);
    expect(html.type).toBe('text/html');
    expect(html.text).toContain('✓ 证明有效');
    expect(html.text).toContain('志****');
    expect(html.text).toContain('5 小时');
    expect(html.text).not.toContain('志愿者小周');
    // Typed in by hand: lower case and spaces are forgiven.
    const typed = await anonymous().get(`/api/v1/volunteers/certificates/${cert.serial.toLowerCase().replace(/(.{4})/g, '$1%20')}`);
    expect(typed.status).toBe(200);
    expect(typed.body.check.serial).toBe(cert.serial);

    // The same figures later: same serial, same issue date.
    t.clock.set(new Date(START.getTime() + 5 * 60_000));
    const again = await v.agent.get('/api/v1/volunteers/me/certificate');
    expect(again.body.certificate).toMatchObject({ serial: cert.serial, issuedAt: cert.issuedAt });

    // More service: a new certificate; the old one still checks, marked as superseded.
    await serve(v, '2027-01-20T01:00:00Z', 1);
    const newer = certificateResponseSchema.parse((await v.agent.get('/api/v1/volunteers/me/certificate')).body).certificate;
    expect(newer.serial).not.toBe(cert.serial);
    expect(newer).toMatchObject({ totalHours: 6, activityCount: 3, issuedAt: t.clock.now().toISOString() });
    expect((await anonymous().get(path)).body.check).toMatchObject({ totalHours: 5, latest: false });
    expect((await anonymous().get(`/api/v1/volunteers/certificates/${newer.serial}`)).body.check).toMatchObject({
      totalHours: 6,
      latest: true,
    });
    t.clock.set(START);
  });

  it('refuses a serial that was never issued, and a malformed one, in Chinese', async () => {
    const unknown = await anonymous().get('/api/v1/volunteers/certificates/0123456789ABCDEF');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'NOT_FOUND', message: '没有这个编号的志愿服务证明，请核对编号' });
    const malformed = await anonymous().get('/api/v1/volunteers/certificates/not-a-serial');
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body.error)).toContain('证明编号应为 16 位字母或数字');
  });

  it('gives a volunteer with no confirmed service a certificate of zero hours', async () => {
    const v = await loginAs(t, 'citizen', undefined, { nickname: '新人' });
    const res = await v.agent.get('/api/v1/volunteers/me/certificate');
    expect(res.status).toBe(200);
    expect(res.body.certificate).toMatchObject({ totalHours: 0, activityCount: 0, byYear: [], lines: [], firstServiceAt: null });
  });
});
