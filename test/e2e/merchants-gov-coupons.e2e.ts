/**
 * Promotions with photos and government lottery coupons in the H5 build (Chromium, phone viewport) against
 * the whole seeded e2e.stack. A shop owner posts a promotion with a photo through 发布活动 (the shared photo
 * picker uploads it) and sees it 待审核 with its photo in the 商户工作台 list; after an editor rejects it,
 * the list shows 未通过 and the reason. An admin, from the staff 工作台, issues a government consumption
 * coupon released by 抽签 with participating shops; a citizen signs up for it in 领券中心 (the button turns
 * 已报名, the server holds the entry) and the batch page says they are waiting for the draw. Once a short
 * lottery's sign-up has closed, the admin taps 开奖 (or the minute job drew it first) and the entrant's batch page
 * says 恭喜中签 (the coupon in 我的券).
 */
import { answerSubscribe, current, eventually, phoneContext, sessionToken, shot, staffLogin, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

const SHOP = '老街米粉店';
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const { api } = e2e;

async function staffToken(username: string, password: string): Promise<string> {
  const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', { body: { username, password } });
  expect(login.status).toBe(200);
  return login.body.accessToken;
}

describe('merchant promotions and government coupons in the H5 app', () => {
  it('the owner posts a promotion with a photo and follows its review in the workspace', async () => {
    const PROMO = `端到端带图活动${Date.now() % 100000}`;
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    const input = (testId: string) => current(page, `[data-testid=${testId}] input`);

    await step(page, 'mcp-login', async () => {
      await staffLogin(page, e2e.stack.h5Url, 'shop-mifen', 'rongmei-merchant-dev');
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/merchant/pages/index/index`);
      await current(page, '[data-testid=merchant-console]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=merchant-promotions]').waitFor({ timeout: 30_000 });
    });

    await step(page, 'mcp-post-with-photo', async () => {
      await current(page, '[data-testid=merchant-new-promotion]').tap();
      await current(page, '[data-testid=mc-promotion-form]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=mc-promotion-kind-促销]').tap();
      await input('mc-promotion-title').fill(PROMO);
      await current(page, '[data-testid=mc-promotion-body] textarea').fill('周末米粉第二碗半价，欢迎街坊品尝。');
      const chooser = page.waitForEvent('filechooser');
      await current(page, '[data-testid=mc-promotion-add-photo]').tap();
      await (await chooser).setFiles([{ name: 'bowl.png', mimeType: 'image/png', buffer: PNG }]);
      await eventually(async () => String(await page.locator('.taro_page_show [data-testid=mc-promotion-photo]').count()), '1');
      await shot(page, 'merchant-promotion-photo');
      await current(page, '[data-testid=mc-promotion-submit]').tap();
      await current(page, '[data-testid=mc-promotion-done]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=mc-promotion-done]').textContent()).resolves.toContain('附图 1 张');
    });

    await step(page, 'mcp-pending-in-list', async () => {
      await current(page, '[data-testid=mc-promotion-back]').tap();
      const row = current(page, `[data-testid=merchant-promotion]:has-text("${PROMO}")`);
      await row.waitFor({ timeout: 30_000 });
      await expect(row.locator('[data-testid=merchant-promotion-state]').textContent()).resolves.toBe('待审核');
      await expect(row.locator('[data-testid=merchant-promotion-photo]').count()).resolves.toBe(1);
      await shot(page, 'merchant-promotions-pending');
    });

    await step(page, 'mcp-rejected-with-reason', async () => {
      // The photo reached the server with the promotion; an editor rejects it with a reason.
      const editor = await staffToken('editor', 'rongmei-editor-dev');
      const queue = await api<{ items: Array<{ id: string; title: string; photos: string[] }> }>('/api/v1/promotions/queue', {
        token: editor,
      });
      const mine = queue.body.items.find((p) => p.title === PROMO)!;
      expect(mine.photos).toEqual([expect.stringMatching(/\/api\/v1\/files\/[0-9a-f]{24}/)]);
      const rejected = await api(`/api/v1/promotions/${mine.id}/review`, {
        token: editor,
        body: { decision: 'reject', reason: '请补充活动起止时间' },
      });
      expect(rejected.status).toBe(200);
      await page.reload();
      const row = current(page, `[data-testid=merchant-promotion]:has-text("${PROMO}")`);
      await row.waitFor({ timeout: 60_000 });
      await expect(row.locator('[data-testid=merchant-promotion-state]').textContent()).resolves.toBe('未通过');
      await expect(row.locator('[data-testid=merchant-promotion-reason]').textContent()).resolves.toContain('请补充活动起止时间');
      await shot(page, 'merchant-promotions-rejected');
    });
    await context.close();
  });

  it('an admin issues a lottery government batch that a citizen signs up for in 领券中心', async () => {
    const TITLE = `端到端抽签消费券${Date.now() % 100000}`;
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    const input = (testId: string) => current(page, `[data-testid=${testId}] input`);

    await step(page, 'gov-open', async () => {
      await staffLogin(page, e2e.stack.h5Url, 'admin', 'rongmei-admin-dev');
      // 我的 → 工作台, as a person does.
      await current(page, '[data-testid=entry-staff]').tap();
      await current(page, '[data-testid=staff-home]').waitFor({ timeout: 60_000 });
      await current(page, '.rm-list-item:has-text("政府消费券")').tap();
      await current(page, '[data-testid=cp-admin]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=cp-admin-issue]').tap();
      await current(page, '[data-testid=cp-issue-form]').waitFor({ timeout: 60_000 });
    });

    await step(page, 'gov-issue-lottery', async () => {
      const error = () => current(page, '[data-testid=cp-issue-error]');
      await current(page, '[data-testid=cp-issue-mode-lottery]').tap();
      await eventually(async () => (await current(page, '[data-testid=cp-issue-form]').textContent()) ?? '', '报名截止');
      await input('mc-batch-title').fill(TITLE);
      await current(page, '[data-testid=mc-batch-kind-spend_x_save_y]').tap();
      await input('mc-batch-value').fill('100');
      await input('mc-batch-threshold').fill('1000');
      await input('mc-batch-stock').fill('50');
      // No shop chosen yet: refused on the phone.
      await current(page, '[data-testid=cp-issue-submit]').tap();
      await eventually(async () => (await error().textContent()) ?? '', '请选择至少一家参与商户');
      await current(page, `[data-testid=cp-issue-shop]:has-text("${SHOP}")`).waitFor({ timeout: 30_000 });
      await current(page, '[data-testid=cp-issue-shop-all]').tap();
      await eventually(async () => (await current(page, '[data-testid=cp-issue-shops]').textContent()) ?? '', '已选');
      await shot(page, 'gov-issue-form');
      await current(page, '[data-testid=cp-issue-submit]').tap();
      await current(page, '[data-testid=cp-issue-done]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=cp-issue-done]').textContent()).resolves.toContain('已发布，等待报名');
      await current(page, '[data-testid=cp-issue-back]').tap();
      const row = current(page, `[data-testid=cp-admin-batch]:has-text("${TITLE}")`);
      await row.waitFor({ timeout: 30_000 });
      await expect(row.textContent()).resolves.toContain('抽签');
      await shot(page, 'gov-admin-list');
    });
    await context.close();

    // The batch as the API holds it: government, lottery, one per winner, the seeded shop among its shops.
    const batches = await api<{
      items: Array<{ id: string; title: string; mode: string; perUserLimit: number; issuer: { type: string }; merchantIds: string[] }>;
    }>('/api/v1/coupon-batches?issuer=government');
    const batch = batches.body.items.find((b) => b.title === TITLE)!;
    expect(batch).toMatchObject({ mode: 'lottery', perUserLimit: 1, issuer: { type: 'government' } });
    expect(batch.merchantIds.length).toBeGreaterThanOrEqual(1);

    const citizen = await phoneContext(e2e.browser);
    const cpage = await citizen.newPage();
    await step(cpage, 'gov-citizen-signs-up', async () => {
      await cpage.goto(`${e2e.stack.h5Url}/#/subpackages/coupons/pages/center/index`);
      await current(cpage, '[data-testid=cp-centre]').waitFor({ timeout: 60_000 });
      await cpage.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      await current(cpage, '.cp-tab:has-text("政府消费券")').tap();
      const card = current(cpage, `[data-testid=cp-batch]:has-text("${TITLE}")`);
      await card.waitFor({ timeout: 30_000 });
      await expect(card.textContent()).resolves.toContain('报名后抽签');
      await expect(card.locator('[data-testid=cp-grab]').textContent()).resolves.toContain('报名抽签');
      await card.locator('[data-testid=cp-grab]').tap();
      await answerSubscribe(cpage, 'reject');
      await eventually(async () => (await card.locator('[data-testid=cp-grab]').textContent()) ?? '', '已报名');
      await shot(cpage, 'gov-citizen-signed-up');
      // The server holds the entry: a second sign-up with this citizen's session is refused as 你已报名.
      const token = await sessionToken(cpage);
      const again = await api<{ error: { code: string } }>(`/api/v1/coupon-batches/${batch.id}/signup`, {
        token,
        body: {},
      });
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'COUPON_ALREADY_SIGNED_UP' } } });
    });

    await step(cpage, 'gov-citizen-batch-page', async () => {
      await current(cpage, `[data-testid=cp-batch]:has-text("${TITLE}") .cp-card__body`).tap();
      await current(cpage, '[data-testid=cp-batch-page]').waitFor({ timeout: 60_000 });
      await eventually(
        async () => (await current(cpage, '[data-testid=cp-lottery-status]').textContent()) ?? '',
        '你已报名，报名截止后开奖',
      );
      await shot(cpage, 'gov-citizen-batch-page');
    });
    await citizen.close();
  });

  it('after sign-up closes the admin draws the lottery in 政府消费券 and the entrant sees the result', async () => {
    const TITLE = `端到端开奖消费券${Date.now() % 100000}`;
    const admin = await staffToken('admin', 'rongmei-admin-dev');
    const shops = await api<{ items: Array<{ id: string; name: string }> }>(`/api/v1/merchants?q=${encodeURIComponent(SHOP)}`);
    const shopId = shops.body.items.find((m) => m.name === SHOP)!.id;
    const now = Date.now();
    const closesAt = now + 45_000;
    const created = await api<{ batch: { id: string } }>('/api/v1/coupon-batches', {
      token: admin,
      body: {
        title: TITLE,
        kind: 'amount_off',
        value: 2000,
        totalStock: 5,
        claimStartsAt: new Date(now - 60_000).toISOString(),
        claimEndsAt: new Date(closesAt).toISOString(),
        validity: { type: 'relative', days: 30 },
        issuer: { type: 'government', merchantIds: [shopId] },
        mode: 'lottery',
      },
    });
    expect(created.status).toBe(201);
    const batchId = created.body.batch.id;

    const citizen = await phoneContext(e2e.browser);
    const cpage = await citizen.newPage();
    const status = async () => (await current(cpage, '[data-testid=cp-lottery-status]').textContent()) ?? '';
    await step(cpage, 'draw-sign-up', async () => {
      await cpage.goto(`${e2e.stack.h5Url}/#/subpackages/coupons/pages/batch/index?id=${batchId}`);
      await current(cpage, '[data-testid=cp-batch-page]').waitFor({ timeout: 60_000 });
      await cpage.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      await current(cpage, '[data-testid=cp-grab]').tap();
      await answerSubscribe(cpage, 'reject');
      await eventually(status, '你已报名');
    });

    // Sign-up closes; the admin draws from the 政府消费券 page.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt - Date.now() + 1_500)));
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    await step(page, 'draw-admin', async () => {
      await staffLogin(page, e2e.stack.h5Url, 'admin', 'rongmei-admin-dev');
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/coupons/pages/admin/index`);
      await current(page, '[data-testid=cp-admin]').waitFor({ timeout: 60_000 });
      const row = current(page, `[data-testid=cp-admin-batch]:has-text("${TITLE}")`);
      await row.waitFor({ timeout: 60_000 });
      // The coupons-draw job draws within a minute of the close; until it has, the admin may draw first.
      // Either way (also when the job wins between the tap and the answer) the row ends with the one recorded draw.
      const button = row.locator('[data-testid=cp-admin-draw]');
      if (await button.isVisible()) {
        await button.tap();
        const modal = page.locator('.taro__modal');
        await modal.locator('.taro-modal__text').waitFor({ state: 'visible', timeout: 30_000 });
        await modal.locator('.taro-model__confirm').click();
      }
      await eventually(async () => (await row.textContent()) ?? '', '报名 1 人，中签 1 人');
      await shot(page, 'gov-admin-drawn');
    });
    await context.close();

    await step(cpage, 'draw-result', async () => {
      await cpage.reload();
      await current(cpage, '[data-testid=cp-batch-page]').waitFor({ timeout: 60_000 });
      await eventually(status, '恭喜中签');
      const seed = (await current(cpage, '[data-testid=cp-lottery-seed]').textContent()) ?? '';
      const draw = await api<{ draw: { seed: string; winners: string[] } }>(`/api/v1/coupon-batches/${batchId}/draw`);
      expect(seed).toContain(draw.body.draw.seed);
      expect(draw.body.draw.winners).toEqual([expect.stringMatching(/^[0-9a-f]{24}$/)]);
      await shot(cpage, 'gov-citizen-won');
      await cpage.goto(`${e2e.stack.h5Url}/#/subpackages/coupons/pages/mine/index`);
      await current(cpage, `[data-testid=cp-coupon]:has-text("${TITLE}")`).waitFor({ timeout: 60_000 });
    });
    await citizen.close();
  });
});
