/**
 * The 商家 tab and 企业之家入驻 in the H5 build (Chromium, phone viewport, the position allowed at the county
 * seat) against the whole seeded stack. A resident sees the seeded shops with their photos, nearest first
 * with distances; a search narrows the list (and says so when nothing matches); 地图 falls back to a list of
 * places in H5; a shop's page shows its photos and promotions. A new resident applies as a merchant: the
 * empty form is refused field by field in Chinese (the licence photo too), the filled form (with the position,
 * a shop photo and the licence photo uploaded) is sent and shows 审核中; the application reached the editors'
 * queue as typed, its licence photo with it (never on the public shop page). Once an editor
 * approves it, the applicant finds 已入驻, opens 我的店铺, edits the shop's hours and introduction (the shop page
 * shows them) and creates a clerk invite — a code and its QR code; a neighbour opening the link the QR code holds
 * finds the code filled in, joins, and sees the shop as its 店员.
 */
import { clerkInviteQrText } from '@shared/schemas/merchants';
import { wgs84ToGcj02 } from '../../miniprogram/src/utils/gcj02';
import type { Page } from 'playwright-core';
import { answerSubscribe, current, eventually, phoneContext, shot, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { api } = e2e;

/** 老街米粉店 (seeded), in 城关街道. */
const COUNTY_SEAT = { latitude: 26.8382, longitude: 116.3251 };
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function located(): Promise<Page> {
  const context = await phoneContext(e2e.browser);
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation(COUNTY_SEAT);
  return context.newPage();
}

const rows = (page: Page) => page.locator('.taro_page_show [data-testid=mc-merchant]');
/** Thumbnails on the showing page that loaded (a picture, not a broken image). */
const loadedPhotos = (page: Page, selector: string) =>
  page.evaluate<number>(
    `[...document.querySelectorAll('.taro_page_show ${selector} img')].filter((i) => i.complete && i.naturalWidth > 0).length`,
  );

describe('商家 tab and 商户入驻 in the H5 app', () => {
  it('lists the shops with photos and distances, searches, falls back from the map to a list, opens a shop', async () => {
    const page = await located();
    const input = (testId: string) => current(page, `[data-testid=${testId}] input`);

    await step(page, 'mt-list', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/merchants/index`);
      await current(page, '[data-testid=tab-merchants]').waitFor({ timeout: 60_000 });
      // The position arrives, the list reloads nearest first with distances.
      await eventually(async () => (await current(page, '[data-testid=mt-summary]').textContent()) ?? '', '离你近的在前');
      await eventually(async () => String(await rows(page).count()), '6');
      await expect(rows(page).first().textContent()).resolves.toContain('老街米粉店');
      await expect(rows(page).first().textContent()).resolves.toMatch(/\d+ 米/);
      await expect(rows(page).nth(5).textContent()).resolves.toMatch(/\d+(\.\d)? 公里/);
      await eventually(async () => String(await loadedPhotos(page, '[data-testid=mc-merchant]')), '6');
      await shot(page, 'merchants-tab');
    });

    await step(page, 'mt-search', async () => {
      await input('mt-search-input').fill('米粉');
      await current(page, '[data-testid=mt-search-go]').tap();
      await eventually(async () => (await current(page, '[data-testid=mt-summary]').textContent()) ?? '', '“米粉” 共 1 家');
      await expect(rows(page).count()).resolves.toBe(1);
      await expect(rows(page).first().textContent()).resolves.toContain('老街米粉店');
      await shot(page, 'merchants-search');
      await input('mt-search-input').fill('没有这家店');
      await current(page, '[data-testid=mt-search-go]').tap();
      await current(page, '[data-testid=state-empty]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=state-empty]').textContent()).resolves.toContain('没有找到“没有这家店”相关的商家');
      await current(page, '[data-testid=mt-search-clear]').tap();
      await eventually(async () => String(await rows(page).count()), '6');
    });

    await step(page, 'mt-category', async () => {
      await current(page, '[data-testid=mt-category-餐饮]').tap();
      await eventually(async () => (await current(page, '[data-testid=mt-summary]').textContent()) ?? '', '共 2 家');
      await current(page, '[data-testid=mt-category-all]').tap();
      await eventually(async () => (await current(page, '[data-testid=mt-summary]').textContent()) ?? '', '共 6 家');
    });

    await step(page, 'mt-map-fallback', async () => {
      await current(page, '[data-testid=mt-view-map]').tap();
      const fallback = current(page, '[data-testid=mt-map-fallback]');
      await fallback.waitFor({ timeout: 30_000 });
      await expect(fallback.textContent()).resolves.toContain('网页版不能显示地图，下面按离你从近到远列出');
      await expect(page.locator('.taro_page_show [data-testid=mt-place]').count()).resolves.toBe(6);
      await shot(page, 'merchants-map-fallback');
    });

    await step(page, 'mt-shop', async () => {
      await current(page, '[data-testid=mt-place]:has-text("老街米粉店")').tap();
      await current(page, '[data-testid=mc-detail]').waitFor({ timeout: 60_000 });
      await eventually(async () => String((await loadedPhotos(page, '[data-testid=mc-detail-photo]')) > 0), 'true');
      await current(page, '[data-testid=mc-promotion]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=mc-detail]').textContent()).resolves.toContain('新店开业');
      await page.waitForTimeout(600); // the page's slide-in ends before the picture is taken
      await shot(page, 'merchant-detail');
    });
    await page.context().close();
  });

  it('a resident applies as a merchant, sees 审核中, and once approved invites a clerk', async () => {
    const NAME = `端到端豆花饭${Date.now() % 100000}`;
    const page = await located();
    const input = (testId: string) => current(page, `[data-testid=${testId}] input`);
    const fieldError = (field: string) => current(page, `[data-testid=sh-${field}-error]`);

    await step(page, 'apply-open', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/merchants/index`);
      await current(page, '[data-testid=tab-merchants]').waitFor({ timeout: 60_000 });
      await page.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      await expect(current(page, '[data-testid=mt-apply]').textContent()).resolves.toContain('商户入驻');
      await current(page, '[data-testid=mt-apply]').tap();
      await current(page, '[data-testid=sh-apply-form]').waitFor({ timeout: 60_000 });
    });

    await step(page, 'apply-refused-by-field', async () => {
      await current(page, '[data-testid=sh-apply-submit]').tap();
      await eventually(async () => (await current(page, '[data-testid=sh-apply-error]').textContent()) ?? '', '有 8 项需要修改');
      await expect(fieldError('name').textContent()).resolves.toBe('店名不能为空');
      await expect(fieldError('category').textContent()).resolves.toBe('请选择经营类别');
      await expect(fieldError('location').textContent()).resolves.toContain('请在地图上选择店铺位置');
      await expect(fieldError('licence').textContent()).resolves.toContain('统一社会信用代码');
      await expect(fieldError('licence-photo').textContent()).resolves.toBe('请上传营业执照照片');
      await shot(page, 'merchant-apply-errors');
    });

    await step(page, 'apply-fill', async () => {
      await input('sh-name').fill(NAME);
      await current(page, '[data-testid=sh-category-餐饮]').tap();
      await input('sh-hours').fill('每天 07:00-20:00');
      await input('sh-phone').fill('12345');
      await current(page, '[data-testid=sh-use-here]').tap();
      await eventually(async () => (await current(page, '[data-testid=sh-location-state]').textContent()) ?? '', '已选好位置');
      await input('sh-address').fill('城关街道滨江路 6 号');
      await input('sh-licenceNo').fill('91361030ma35000123');
      const chooser = page.waitForEvent('filechooser');
      await current(page, '[data-testid=sh-add-photo]').tap();
      await (await chooser).setFiles([{ name: 'front.png', mimeType: 'image/png', buffer: PNG }]);
      await eventually(async () => String(await page.locator('.taro_page_show [data-testid=sh-photo]').count()), '1');
      // The licence photo: one, through the same picker; its error goes once it is there.
      const licenceChooser = page.waitForEvent('filechooser');
      await current(page, '[data-testid=sh-licence-add-photo]').tap();
      await (await licenceChooser).setFiles([{ name: 'licence.png', mimeType: 'image/png', buffer: PNG }]);
      await eventually(async () => String(await page.locator('.taro_page_show [data-testid=sh-licence-photo]').count()), '1');
      await expect(page.locator('.taro_page_show [data-testid=sh-licence-add-photo]').count()).resolves.toBe(0);
      // A wrong phone number is refused under its field, the rest is fine.
      await current(page, '[data-testid=sh-apply-submit]').tap();
      await eventually(async () => (await fieldError('phone').textContent()) ?? '', '电话号码格式不正确');
      await expect(page.locator('.taro_page_show .sh-field__error').count()).resolves.toBe(1);
      await input('sh-phone').fill('13800001234');
      await shot(page, 'merchant-apply-form');
    });

    await step(page, 'apply-pending', async () => {
      await current(page, '[data-testid=sh-apply-submit]').tap();
      await expect(answerSubscribe(page)).resolves.toContain('申请审核结果');
      await current(page, '[data-testid=sh-status]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=sh-status-state]').textContent()).resolves.toBe('审核中');
      await expect(current(page, '[data-testid=sh-status]').textContent()).resolves.toContain(NAME);
      await shot(page, 'merchant-apply-pending');
      // Still 审核中 when the page is opened again.
      await page.reload();
      await current(page, '[data-testid=sh-status]').waitFor({ timeout: 60_000 });
      await expect(current(page, '[data-testid=sh-status-state]').textContent()).resolves.toBe('审核中');
    });

    // The application as the editors' queue holds it; an editor approves it.
    const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'editor', password: 'rongmei-editor-dev' },
    });
    const editor = login.body.accessToken;
    const queue = await api<{
      items: Array<{
        id: string;
        name: string;
        category: string;
        phone: string;
        licenceNo: string;
        licencePhoto?: { fileId: string; url: string };
        photos: string[];
        location: { lat: number; lng: number };
      }>;
    }>('/api/v1/merchants/applications?limit=100', { token: editor });
    const mine = queue.body.items.find((m) => m.name === NAME)!;
    expect(mine).toMatchObject({ category: '餐饮', phone: '13800001234', licenceNo: '91361030MA35000123' });
    // The browser reports GPS (WGS-84); the app stores the map datum every place here uses (GCJ-02).
    const stored = wgs84ToGcj02({ lat: COUNTY_SEAT.latitude, lng: COUNTY_SEAT.longitude });
    expect(mine.location.lat).toBeCloseTo(stored.lat, 4);
    expect(mine.location.lng).toBeCloseTo(stored.lng, 4);
    expect(mine.photos).toEqual([expect.stringMatching(/\/api\/v1\/files\/[0-9a-f]{24}/)]);
    // The licence photo reached the editor as a picture the API serves, by a short-lived signed URL only (it is private).
    expect(mine.licencePhoto?.url).toMatch(new RegExp(`/api/v1/files/${mine.licencePhoto?.fileId}\\.png\\?exp=\\d+&sig=[0-9a-f]{64}$`));
    expect((await fetch(new URL(mine.licencePhoto!.url, e2e.stack.apiUrl))).headers.get('content-type')).toBe('image/png');
    const approved = await api(`/api/v1/merchants/${mine.id}/decision`, { token: editor, body: { decision: 'approve' } });
    expect(approved.status).toBe(200);
    // The public shop page never carries it.
    const shopPage = await api<{ merchant: Record<string, unknown> }>(`/api/v1/merchants/${mine.id}`);
    expect(shopPage.body.merchant).toMatchObject({ name: NAME });
    expect(shopPage.body.merchant).not.toHaveProperty('licencePhoto');

    await step(page, 'apply-approved', async () => {
      await page.reload();
      await current(page, '[data-testid=sh-status]').waitFor({ timeout: 60_000 });
      await eventually(async () => (await current(page, '[data-testid=sh-status-state]').textContent()) ?? '', '已入驻');
      await current(page, '[data-testid=sh-my-shop]').tap();
      await current(page, '[data-testid=sh-shops]').waitFor({ timeout: 60_000 });
    });

    await step(page, 'owner-invites-clerk', async () => {
      const shop = current(page, `[data-testid=sh-shop]:has-text("${NAME}")`);
      await shop.waitFor({ timeout: 30_000 });
      await shop.locator('[data-testid=sh-invite]').tap();
      const code = shop.locator('[data-testid=sh-invite-code]');
      await code.waitFor({ timeout: 30_000 });
      await expect(code.textContent()).resolves.toMatch(/^[A-Z0-9]{8}$/);
      // The QR code is a picture that loaded, and the button reads as an action, not as disabled.
      await eventually(async () => String(await loadedPhotos(page, '[data-testid=sh-invite-qr]')), '1');
      await expect(shop.locator('[data-testid=sh-invite]').textContent()).resolves.toContain('换一个邀请码');
      await page.evaluate("document.querySelector('.taro_page_show [data-testid=sh-invite-card]').scrollIntoView({ block: 'center' })");
      await shot(page, 'merchant-my-shop-invite');
    });
    const inviteCode = (await current(page, '[data-testid=sh-invite-code]').textContent())!.trim();

    await step(page, 'owner-edits-profile', async () => {
      const shop = current(page, `[data-testid=sh-shop]:has-text("${NAME}")`);
      await shop.locator('[data-testid=sh-edit]').tap();
      await current(page, '[data-testid=sh-edit-form]').waitFor({ timeout: 60_000 });
      await expect(input('sh-name').count()).resolves.toBe(0); // the name is set at approval, not edited here
      await input('sh-hours').fill('周一至周六 06:30-21:00');
      await current(page, '[data-testid=sh-intro] textarea').fill('现磨豆花，柴火饭，欢迎街坊来尝。');
      await shot(page, 'merchant-edit-form');
      await current(page, '[data-testid=sh-edit-save]').tap();
      // Saved, the page goes back to 我的店铺, which shows the new hours.
      await current(page, '[data-testid=sh-shops]').waitFor({ timeout: 30_000 });
      await eventually(
        async () => (await current(page, `[data-testid=sh-shop]:has-text("${NAME}")`).textContent()) ?? '',
        '周一至周六 06:30-21:00',
      );
      // …and so does the public shop page.
      await current(page, `[data-testid=sh-shop]:has-text("${NAME}") .rm-list-item`).tap();
      await current(page, '[data-testid=mc-detail]').waitFor({ timeout: 60_000 });
      await eventually(async () => (await current(page, '[data-testid=mc-detail]').textContent()) ?? '', '现磨豆花，柴火饭');
      await expect(current(page, '[data-testid=mc-detail]').textContent()).resolves.toContain('周一至周六 06:30-21:00');
    });
    await page.context().close();

    // A neighbour opens what the QR code says (the app's scanner does the same in WeChat): the code is filled in.
    const clerk = await located();
    await step(clerk, 'clerk-joins', async () => {
      await clerk.goto(`${e2e.stack.h5Url}/#/pages/merchants/index`);
      await current(clerk, '[data-testid=tab-merchants]').waitFor({ timeout: 60_000 });
      await clerk.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      await clerk.goto(`${e2e.stack.h5Url}/#${clerkInviteQrText(inviteCode)}`);
      await current(clerk, '[data-testid=sh-join]').waitFor({ timeout: 60_000 });
      await expect(current(clerk, '[data-testid=sh-join-code] input').inputValue()).resolves.toBe(inviteCode);
      await shot(clerk, 'merchant-clerk-join');
      await current(clerk, '[data-testid=sh-join-submit]').tap();
      const joined = current(clerk, `[data-testid=sh-shop]:has-text("${NAME}")`);
      await joined.waitFor({ timeout: 30_000 });
      await expect(joined.textContent()).resolves.toContain('店员');
      // A clerk neither edits the shop nor invites others.
      await expect(joined.locator('[data-testid=sh-edit]').count()).resolves.toBe(0);
      await expect(joined.locator('[data-testid=sh-invite]').count()).resolves.toBe(0);
      await shot(clerk, 'merchant-clerk-joined');
    });
    await clerk.context().close();
  });
});
