import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './browser';
import type { E2eSuite } from './suite';

/** What every console suite does: a desk-sized page, a named screenshot, the password sign-in. */
export function consoleHelpers(e2e: E2eSuite) {
  return {
    async desk(width = 1440, height = 900): Promise<{ context: BrowserContext; page: Page }> {
      const context = await e2e.browser.newContext({
        viewport: { width, height },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        acceptDownloads: true,
      });
      return { context, page: await context.newPage() };
    },
    shot: (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `console-${name}.png`) }),
    async signIn(page: Page, username: string, password: string): Promise<void> {
      await page.goto(`${e2e.stack.apiUrl}/console/`);
      await page.getByLabel('用户名').waitFor({ timeout: 60_000 });
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByTestId('user-name').waitFor({ timeout: 30_000 });
    },
  };
}
