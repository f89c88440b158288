/**
 * Coupons in the H5 build (Chromium, phone viewport) against the whole seeded stack: a citizen grabs a
 * shop's coupon in 领券中心, finds it in 我的券 and opens its QR code; the shop's owner (seeded console
 * account) redeems the code read from that QR image; the citizen then sees the coupon under 已使用.
 */
import jsQR from 'jsqr';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { current, eventually, launchBrowser, phoneContext, shot, step } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  stack = await startStack();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await stack?.stop();
});

const SHOP = '老街米粉店';

async function api<T>(path: string, init: { token?: string; body?: object } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: init.body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('coupons in the H5 app', () => {
  it('a citizen grabs a coupon, sees it in 我的券 with its QR code, and the shop redeems it', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();

    await step(page, 'cp-centre', async () => {
      await page.goto(`${stack.h5Url}/#/subpackages/coupons/pages/center/index`);
      await current(page, '[data-testid=cp-centre]').waitFor({ timeout: 60_000 });
      await page.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      const card = current(page, `[data-testid=cp-batch]:has-text("${SHOP}")`);
      await card.waitFor({ timeout: 30_000 });
      await expect(card.textContent()).resolves.toContain('剩余 200 / 200 张');
      await shot(page, 'coupons-centre');
      await card.locator('[data-testid=cp-grab]').tap();
      await eventually(async () => (await card.textContent()) ?? '', '剩余 199 / 200 张');
    });

    let payload = '';
    await step(page, 'cp-mine', async () => {
      await page.goto(`${stack.h5Url}/#/subpackages/coupons/pages/mine/index`);
      const coupon = current(page, `[data-testid=cp-coupon]:has-text("${SHOP}")`);
      await coupon.waitFor({ timeout: 60_000 });
      await coupon.tap();
      const img = current(page, '[data-testid=cp-qr] img');
      await img.waitFor({ timeout: 30_000 });
      await shot(page, 'coupons-mine-qr');
      const src = (await img.getAttribute('src')) ?? '';
      const png = PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'));
      payload = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? '';
      expect(payload).toMatch(/^rmcoupon:[A-Za-z0-9]{20}$/);
    });

    await step(page, 'clerk-redeems', async () => {
      const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
        body: { username: 'shop-mifen', password: 'rongmei-merchant-dev' },
      });
      expect(login.status).toBe(200);
      const token = login.body.accessToken;
      const mine = await api<{ items: Array<{ id: string; name: string }> }>('/api/v1/merchants/mine', { token });
      const merchantId = mine.body.items.find((m) => m.name === SHOP)!.id;
      const redeemed = await api<{ coupon: { status: string } }>('/api/v1/coupons/redeem', { token, body: { code: payload, merchantId } });
      expect(redeemed).toMatchObject({ status: 200, body: { coupon: { status: 'used' } } });
      const again = await api<{ error: { code: string } }>('/api/v1/coupons/redeem', { token, body: { code: payload, merchantId } });
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'COUPON_ALREADY_USED' } } });
    });

    await step(page, 'cp-used', async () => {
      await page.reload();
      await current(page, '[data-testid=cp-mine]').waitFor({ timeout: 60_000 });
      await current(page, '.cp-tab:has-text("已使用")').tap();
      const used = current(page, `[data-testid=cp-coupon]:has-text("${SHOP}")`);
      await used.waitFor({ timeout: 30_000 });
      await expect(used.textContent()).resolves.toContain('使用');
      await shot(page, 'coupons-used');
    });
    await context.close();
  });
});
