/**
 * Points mall in the H5 build (Chromium, phone viewport) against the whole seeded stack: a new citizen is
 * credited points (the seeded admin's adjustment through the API, as setup), opens 积分商城, redeems a
 * pickup goods after the confirmation dialog, and sees the redemption code in 我的兑换 as a QR image whose
 * decoded payload is the code shown under it; the balance went down by the price exactly once.
 */
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { current, eventually, phoneContext, shot, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

const GOODS = '融媒中心文创帆布袋'; // seeded: 200 积分, pickup, one per user

const { api } = e2e;

/** The citizen's access token from the H5 app's storage (Taro wraps stored values as `{ data }`). */
async function citizenToken(page: Page): Promise<string> {
  const raw = (await page.evaluate<string | null>("localStorage.getItem('rongmei.session')")) ?? '';
  let value: unknown = JSON.parse(raw);
  if (value && typeof value === 'object' && 'data' in value) value = (value as { data: unknown }).data;
  if (typeof value === 'string') value = JSON.parse(value);
  const token = (value as { accessToken?: string }).accessToken;
  expect(token).toEqual(expect.any(String));
  return token!;
}

/** Waits until `read()` contains `text` (pages fill in after their requests answer). */

describe('points mall in the H5 app', () => {
  it('a credited citizen redeems goods with confirmation and sees its code as a QR in 我的兑换', async () => {
    const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'admin', password: 'rongmei-admin-dev' },
    });
    expect(login.status).toBe(200);
    const admin = login.body.accessToken;

    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    let token = '';

    await step(page, 'pt-credit', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/points/pages/mine/index`);
      await current(page, '[data-testid=pt-mine]').waitFor({ timeout: 60_000 });
      await page.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      token = await citizenToken(page);
      const me = await api<{ user: { id: string } }>('/api/v1/me', { token });
      expect(me.status).toBe(200);
      const adjusted = await api<{ balance: number }>(`/api/v1/admin/users/${me.body.user.id}/points/adjustments`, {
        token: admin,
        headers: { 'Idempotency-Key': `e2e-points-${me.body.user.id}` },
        body: { amount: 300, reason: '端到端测试：发放积分' },
      });
      expect(adjusted.status).toBe(201);
      const start = adjusted.body.balance;
      expect(start).toBeGreaterThanOrEqual(300);
      await page.reload();
      const balance = current(page, '[data-testid=pt-balance]');
      await balance.waitFor({ timeout: 60_000 });
      await eventually(async () => (await balance.textContent()) ?? '', String(start));
    });

    const before = (await api<{ balance: number }>('/api/v1/me/points', { token })).body.balance;

    await step(page, 'pt-mall', async () => {
      await current(page, '.pt-head__links >> text=积分商城').tap();
      await current(page, '[data-testid=pt-mall]').waitFor({ timeout: 60_000 });
      const card = current(page, `[data-testid=pt-goods]:has-text("${GOODS}")`);
      await card.waitFor({ timeout: 30_000 });
      await expect(card.textContent()).resolves.toContain('200 积分');
      await shot(page, 'points-mall');
      await card.tap();
      await current(page, '[data-testid=pt-goods-detail]').waitFor({ timeout: 60_000 });
    });

    await step(page, 'pt-redeem', async () => {
      await current(page, '[data-testid=pt-redeem]').tap();
      const modal = page.locator('.taro__modal');
      await modal.locator('.taro-modal__text').waitFor({ state: 'visible', timeout: 30_000 });
      // The confirmation says what is left afterwards (the button already said whether there is enough).
      await expect(modal.locator('.taro-modal__text').textContent()).resolves.toContain(
        `用 200 积分兑换「${GOODS}」，兑换后剩 ${before - 200} 分`,
      );
      await shot(page, 'points-confirm');
      await modal.locator('.taro-model__confirm').click();
      await current(page, '[data-testid=pt-redemptions]').waitFor({ timeout: 60_000 });
    });

    await step(page, 'pt-qr', async () => {
      const item = current(page, `[data-testid=pt-redemption]:has-text("${GOODS}")`);
      await item.waitFor({ timeout: 30_000 });
      await expect(item.textContent()).resolves.toContain('待领取');
      await item.locator('.pt-card__title').tap();
      const img = current(page, '[data-testid=pt-qr] img');
      await img.waitFor({ timeout: 30_000 });
      await shot(page, 'points-redemption-qr');
      const shown = ((await current(page, '[data-testid=pt-qr] .pt-qr__code').textContent()) ?? '').trim();
      expect(shown).not.toBe('');
      const src = (await img.getAttribute('src')) ?? '';
      expect(src).toMatch(/^data:image\/png;base64,/);
      const png = PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'));
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(shown);
    });

    const after = await api<{ balance: number }>('/api/v1/me/points', { token });
    expect(after.body.balance).toBe(before - 200);
    const mine = await api<{ items: Array<{ goodsName: string; status: string }> }>('/api/v1/me/redemptions', { token });
    expect(mine.body.items.filter((r) => r.goodsName === GOODS)).toEqual([expect.objectContaining({ status: 'pending' })]);
    await context.close();
  });
});
