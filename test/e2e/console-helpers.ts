import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './browser';
import type { E2eSuite } from './suite';

/**
 * What every console suite does: a desk-sized page, a named screenshot, the password sign-in, waiting for a
 * table or an animation, a staff token for API checks, and the 1024 px no-sideways-scroll check.
 */
export function consoleHelpers(e2e: E2eSuite) {
  /** A desk-sized page; `problems` collects its uncaught page errors (a test expects it empty at the end). */
  async function desk(width = 1440, height = 900): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await e2e.browser.newContext({
      viewport: { width, height },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    return { context, page, problems };
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `console-${name}.png`) });
  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${e2e.stack.apiUrl}/console/`);
    await page.getByLabel('用户名').waitFor({ timeout: 60_000 });
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('user-name').waitFor({ timeout: 30_000 });
  }
  /** Lets antd's modal and drawer animations finish before a screenshot. */
  const settle = (page: Page) => page.waitForTimeout(400);
  /** The page's first table is drawn and no longer loading. */
  async function tableReady(page: Page): Promise<void> {
    await page.locator('.ant-table').first().waitFor();
    await page.locator('.ant-table .ant-spin-spinning').waitFor({ state: 'detached' });
  }
  /** A staff account's access token (the sign-in must succeed). */
  async function staffToken(username: string, password: string): Promise<string> {
    const res = await e2e.api<{ accessToken: string }>('/api/v1/auth/staff-login', { body: { username, password } });
    expect(res.status).toBe(200);
    return res.body.accessToken;
  }
  /** A fresh WeChat user (the fake's login code), named `nickname` when given: its token and id. */
  async function wechatReader(nickname?: string): Promise<{ token: string; userId: string }> {
    const minted = await fetch(`${e2e.stack.wechatFakeUrl}/__fake/login-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }).then((r) => r.json() as Promise<{ code: string }>);
    const login = await e2e.api<{ accessToken: string; user: { id: string } }>('/api/v1/auth/wechat-login', {
      body: { code: minted.code },
    });
    expect(login.status).toBe(200);
    if (nickname) {
      const named = await fetch(`${e2e.stack.apiUrl}/api/v1/me`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.body.accessToken}` },
        body: JSON.stringify({ nickname }),
      });
      expect(named.status).toBe(200);
    }
    return { token: login.body.accessToken, userId: login.body.user.id };
  }
  /**
   * The admin on a 1024×768 desk: each console page (a path under /console/) draws its table with no sideways
   * page scroll; then, when named, the last page is saved (after the animations settle, when asked).
   */
  async function fitsSmallDesk(pages: readonly string[], last?: { shot: string; settle?: boolean }): Promise<void> {
    const { context, page } = await desk(1024, 768);
    await signIn(page, 'admin', 'rongmei-admin-dev');
    for (const p of pages) {
      await page.goto(`${e2e.stack.apiUrl}/console/${p}`);
      await tableReady(page);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect({ p, overflow }).toEqual({ p, overflow: 0 });
    }
    if (last?.settle) await settle(page);
    if (last) await shot(page, last.shot);
    await context.close();
  }
  return { desk, shot, signIn, settle, tableReady, staffToken, wechatReader, fitsSmallDesk };
}
