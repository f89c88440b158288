/**
 * Volunteering in the H5 build (Chromium, phone viewport) against the whole seeded stack: a citizen signs
 * up for an activity under way, checks in and out with the leader's rotating code (pasted: H5 has no
 * camera scanner), the leader (the seeded admin, through the API) records the check-out time with a reason
 * and confirms the hours, and the citizen's page and points balance show the points paid once. The citizen
 * then opens 志愿服务证明 from the service record: hours and the activity are on it, its QR code (and the
 * same code in the downloaded picture) opens the public check, and the 核验 page shows it valid.
 * A newly appointed team leader publishes an activity through the full 发布志愿活动 form (team only, a
 * geofence typed in — H5 has no map picker —, fixed points, check-in window) and finds it on the desk.
 * With the position allowed, 活动 lists the volunteer activities nearest first, each with its distance.
 */
import { readFileSync } from 'node:fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { wgs84ToGcj02 } from '../../miniprogram/src/utils/gcj02';
import { answerSubscribe, current, eventually, phoneContext, shot, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

const { api } = e2e;

describe('volunteering in the H5 app', () => {
  it('sign-up → check-in → check-out → confirmation → points', async () => {
    const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'admin', password: 'rongmei-admin-dev' },
    });
    expect(login.status).toBe(200);
    const admin = login.body.accessToken;
    const teams = await api<{ items: Array<{ id: string }> }>('/api/v1/volunteers/teams');
    const now = Date.now();
    const created = await api<{ activity: { id: string } }>('/api/v1/volunteers/activities', {
      token: admin,
      body: {
        teamId: teams.body.items[0]!.id,
        title: '端到端测试：广场文明劝导',
        placeName: '县文化广场',
        startAt: new Date(now - 5 * 60_000).toISOString(),
        endAt: new Date(now + 2 * 3600_000).toISOString(),
        capacity: 5,
        signUpDeadline: new Date(now + 3600_000).toISOString(),
        audience: 'public',
        points: { mode: 'fixed', amount: 5 },
        checkInOpensMinutesBefore: 30,
      },
    });
    expect(created.status).toBe(201);
    const activityId = created.body.activity.id;
    const code = async () => (await api<{ code: string }>(`/api/v1/volunteers/activities/${activityId}/code`, { token: admin })).body.code;

    const context = await phoneContext(e2e.browser);
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 31.7312, longitude: 104.9436 });
    const page = await context.newPage();
    const mine = () => current(page, '[data-testid=vl-my-signup]');

    await step(page, 'vl-signup', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/activities/pages/detail/index?id=${activityId}`);
      await current(page, '[data-testid=vl-detail]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=vl-signup]').tap();
      // Consent is asked from the tap, for what signing up leads to (reminders, 候补成功); refusing still signs up.
      await expect(answerSubscribe(page, 'reject')).resolves.toContain('活动开始提醒、活动候补结果');
      await mine().waitFor({ timeout: 30_000 });
      await eventually(async () => (await mine().textContent()) ?? '', '已报名');
    });

    await step(page, 'vl-checkin', async () => {
      await current(page, '[data-testid=vl-code-input] input').fill(await code());
      await current(page, '[data-testid=vl-checkin]').tap();
      await eventually(async () => (await mine().textContent()) ?? '', '签到');
      await shot(page, 'volunteers-checked-in');
    });

    await step(page, 'vl-checkout', async () => {
      await current(page, '[data-testid=vl-checkout]').waitFor({ timeout: 30_000 });
      await current(page, '[data-testid=vl-code-input] input').fill(await code());
      await current(page, '[data-testid=vl-checkout]').tap();
      await eventually(async () => (await mine().textContent()) ?? '', '签退');
    });

    await step(page, 'vl-confirm', async () => {
      // The leader records the real check-out time (the citizen left the page open) with a reason: 90 minutes.
      const signedUp = await api<{ items: Array<{ userId: string; checkInAt: string }> }>(
        `/api/v1/volunteers/activities/${activityId}/roster`,
        { token: admin },
      );
      const entry = signedUp.body.items[0]!;
      const corrected = await fetch(`${e2e.stack.apiUrl}/api/v1/volunteers/activities/${activityId}/roster/${entry.userId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ checkOutAt: new Date(Date.parse(entry.checkInAt) + 90 * 60_000).toISOString(), reason: '现场登记离开时间' }),
      });
      expect(corrected.status).toBe(200);
      const confirm = () =>
        api<{ confirmed: Array<{ payment: string; points: number }> }>(`/api/v1/volunteers/activities/${activityId}/confirm`, {
          token: admin,
          body: {},
        });
      const [a, b] = await Promise.all([confirm(), confirm()]);
      const credited = [...a.body.confirmed, ...b.body.confirmed].filter((c) => c.payment === 'credited');
      expect(credited).toEqual([expect.objectContaining({ points: 5 })]);
      await page.reload();
      await mine().waitFor({ timeout: 60_000 });
      await eventually(async () => (await mine().textContent()) ?? '', '获得 5 积分');
      // The ledger holds exactly one volunteer credit for the citizen.
      const roster = await api<{ items: Array<{ userId: string }> }>(`/api/v1/volunteers/activities/${activityId}/roster`, {
        token: admin,
      });
      expect(roster.body.items).toHaveLength(1);
      const ledger = await api<{ items: Array<{ amount: number; source: string; balanceAfter: number }> }>(
        `/api/v1/admin/users/${roster.body.items[0]!.userId}/points/ledger`,
        { token: admin },
      );
      expect(ledger.body.items.filter((e) => e.source === 'volunteer')).toEqual([expect.objectContaining({ amount: 5, balanceAfter: 5 })]);
      await shot(page, 'volunteers-confirmed');
    });
    await step(page, 'vl-certificate', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/activities/pages/record/index`);
      await current(page, '[data-testid=vl-record]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=vl-open-certificate]').tap();
      await current(page, '[data-testid=vl-certificate]').waitFor({ timeout: 60_000 });
      const statement = (await current(page, '[data-testid=vl-cert-statement]').textContent()) ?? '';
      expect(statement).toContain('参加志愿服务活动 1 次，累计服务时长 1.5 小时');
      await expect(current(page, '[data-testid=vl-cert-line]').textContent()).resolves.toContain('端到端测试：广场文明劝导');
      await expect(current(page, '[data-testid=vl-cert-year]').textContent()).resolves.toContain('1.5 小时');
      const serial = /证明编号：([0-9A-F]{16})/.exec((await current(page, '[data-testid=vl-cert-serial]').textContent()) ?? '')?.[1] ?? '';
      expect(serial).toMatch(/^[0-9A-F]{16}$/);
      await shot(page, 'volunteers-certificate');

      // The QR code on the page opens the public check, which needs no sign-in.
      const src = (await current(page, '[data-testid=vl-cert-qr] img').getAttribute('src')) ?? '';
      const png = PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'));
      const verifyUrl = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? '';
      expect(verifyUrl).toMatch(new RegExp(`/api/v1/volunteers/certificates/${serial}$`));
      // Opened as it is (the address the API publishes), without a token.
      const check = await fetch(verifyUrl, { headers: { accept: 'application/json' } });
      expect(check.status).toBe(200);
      expect(await check.json()).toMatchObject({ check: { valid: true, totalHours: 1.5, activityCount: 1 } });

      // Exported as a picture (drawn on a canvas): the same QR code is in it.
      const [download] = await Promise.all([page.waitForEvent('download'), current(page, '[data-testid=vl-cert-export]').tap()]);
      expect(download.suggestedFilename()).toBe(`志愿服务证明-${serial}.png`);
      const picture = PNG.sync.read(readFileSync((await download.path())!));
      expect(picture.width).toBe(1500);
      expect(jsQR(new Uint8ClampedArray(picture.data), picture.width, picture.height)?.data).toBe(verifyUrl);

      // 核验 shows it valid, with the name masked.
      await current(page, '[data-testid=vl-cert-verify]').tap();
      const result = current(page, '[data-testid=vl-verify-result]');
      await result.waitFor({ timeout: 60_000 });
      await expect(result.textContent()).resolves.toContain('证明有效');
      await expect(result.textContent()).resolves.toContain('累计 1.5 小时');
      await shot(page, 'volunteers-certificate-verified');
    });
    await context.close();
  });

  it('a team leader publishes an activity with every option through the form', async () => {
    const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'admin', password: 'rongmei-admin-dev' },
    });
    const admin = login.body.accessToken;
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    const input = (testId: string) => current(page, `[data-testid=${testId}] input`);
    const TITLE = `端到端队内活动${Date.now() % 100000}`;

    let teamId = '';
    await step(page, 'tm-appointed', async () => {
      // A citizen (silent H5 login) is appointed leader of a new team by the admin.
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/team/pages/index/index`);
      await page.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 60_000 });
      const stored = JSON.parse(await page.evaluate<string>("localStorage.getItem('rongmei.session')")) as { data: string };
      const userId = (JSON.parse(stored.data) as { user: { id: string } }).user.id;
      const team = await api<{ team: { id: string } }>('/api/v1/volunteers/teams', {
        token: admin,
        body: { name: `端到端志愿队${Date.now() % 100000}`, area: '旴江镇', description: '' },
      });
      expect(team.status).toBe(201);
      teamId = team.body.team.id;
      const appointed = await api(`/api/v1/volunteers/teams/${teamId}/leaders`, { token: admin, body: { userId } });
      expect(appointed.status).toBe(200);
      // The old token is retired by the role change: 我的 asks for the profile, gets 401 and refreshes the
      // session, which then carries the role.
      await page.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await page.waitForFunction(
        "JSON.parse(JSON.parse(localStorage.getItem('rongmei.session')).data).user.roles.some((r) => r.role === 'team_leader')",
        undefined,
        { timeout: 60_000 },
      );
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/team/pages/index/index`);
      await current(page, '[data-testid=tm-new-activity]').waitFor({ timeout: 60_000 });
    });

    await step(page, 'tm-create-form', async () => {
      await current(page, '[data-testid=tm-new-activity]').tap();
      await current(page, '[data-testid=tm-create]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=tm-submit]').tap();
      await eventually(async () => (await current(page, '[data-testid=tm-error]').textContent()) ?? '', '活动标题');
      await input('tm-title').fill(TITLE);
      await current(page, '[data-testid=tm-description] textarea').fill('队内活动：清理河道垃圾，自带手套。');
      await input('tm-place').fill('旴江公园北门');
      await current(page, '[data-testid=tm-geofence]').click();
      await input('tm-lat').waitFor({ timeout: 10_000 });
      await input('tm-lat').fill('26.8378');
      await input('tm-lng').fill('116.3252');
      await input('tm-radius').fill('150');
      await input('tm-capacity').fill('12');
      await input('tm-opens-before').fill('45');
      await current(page, '[data-testid=tm-audience-team]').tap();
      await current(page, '[data-testid=tm-points-mode-fixed]').tap();
      await input('tm-points').fill('8');
      await shot(page, 'team-create-form');
      await current(page, '[data-testid=tm-submit]').tap();
      const row = current(page, `[data-testid=team-desk] :text("${TITLE}")`);
      await row.waitFor({ timeout: 30_000 });
    });

    const listed = await api<{ items: Array<Record<string, unknown>> }>(`/api/v1/volunteers/activities?teamId=${teamId}&include=all`);
    const created = listed.body.items.find((a) => a.title === TITLE);
    expect(created).toMatchObject({
      placeName: '旴江公园北门',
      description: '队内活动：清理河道垃圾，自带手套。',
      geofence: { lat: 26.8378, lng: 116.3252, radiusM: 150 },
      capacity: 12,
      audience: 'team',
      points: { mode: 'fixed', amount: 8 },
      checkInOpensMinutesBefore: 45,
    });
    // Tomorrow 09:00–11:00 Beijing time, sign-up until it starts (the form's defaults).
    const startAt = new Date(created!.startAt as string);
    expect((startAt.getUTCHours() + 8) % 24).toBe(9);
    expect(Date.parse(created!.endAt as string) - startAt.getTime()).toBe(2 * 3600_000);
    expect(created!.signUpDeadline).toBe(created!.startAt);
    await context.close();
  });

  it('活动 lists volunteer activities nearest first with their distances once the position is allowed', async () => {
    // Standing at 县社会福利院 (a seeded activity's place, GCJ-02): the browser reports GPS, which the app shifts
    // to GCJ-02, so the browser is given the GPS point that shifts onto it.
    const home = { lat: 31.7268, lng: 104.9381 };
    const shifted = wgs84ToGcj02(home);
    const gps = { latitude: home.lat - (shifted.lat - home.lat), longitude: home.lng - (shifted.lng - home.lng) };
    const context = await phoneContext(e2e.browser);
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation(gps);
    const page = await context.newPage();
    const rows = page.locator('.taro_page_show [data-testid=ev-activity]');

    await step(page, 'ev-near-me', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/activities/index`);
      await current(page, '[data-testid=tab-activities]').waitFor({ timeout: 60_000 });
      await eventually(async () => (await current(page, '[data-testid=ev-activities-title]').textContent()) ?? '', '离你近的在前');
      await eventually(async () => (await rows.first().textContent()) ?? '', '县社会福利院');
      const extras = await rows.evaluateAll((els) => els.map((el) => el.querySelector('.rm-list-item__extra')?.textContent ?? ''));
      // Metres for every activity with a place, nearest first; any without a place come after them.
      const metres = extras.map((t) => {
        const m = /^(\d+(?:\.\d)?) (米|公里)$/.exec(t) ?? (t === '100 米内' ? ['', '0', '米'] : null);
        return m ? Number(m[1]) * (m[2] === '公里' ? 1000 : 1) : null;
      });
      expect(metres[0]).not.toBeNull();
      expect(metres[0]!).toBeLessThan(100);
      const known = metres.filter((m): m is number => m !== null);
      expect(known).toEqual([...known].sort((a, b) => a - b));
      expect(metres.slice(0, known.length).every((m) => m !== null)).toBe(true);
      expect(extras.some((t) => /公里$/.test(t) || / 米$/.test(t))).toBe(true);
      await page.evaluate("document.querySelector('.taro_page_show [data-testid=ev-activities-title]').scrollIntoView({ block: 'start' })");
      await shot(page, 'activities-near-me');
    });
    await context.close();
  });
});
