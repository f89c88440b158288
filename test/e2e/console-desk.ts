import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './browser';

/** A desk in Shanghai: a desktop Chromium window (1440×900 unless stated), Chinese locale. */
export async function deskPage(browser: Browser, width = 1440, height = 900): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  return { context, page: await context.newPage() };
}

/** Saves test-results/e2e/console-<name>.png. */
export const consoleShot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `console-${name}.png`) });

/** Signs in on the console's login page and waits for the shell. */
export async function consoleSignIn(page: Page, apiUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${apiUrl}/console/`);
  await page.getByLabel('用户名').waitFor({ timeout: 60_000 });
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByTestId('user-name').waitFor({ timeout: 30_000 });
}
