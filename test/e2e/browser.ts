import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'test-results', 'e2e');

/** Debian's Chromium, headless (playwright gives it a fresh temporary profile). */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    browser,
    close: async () => {
      await browser.close();
    },
  };
}

/** A phone: each context is a new person (empty storage). Taro H5 buttons fire on touch, hence hasTouch. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
}

/** Runs one step; on failure saves a screenshot named after it before rethrowing. */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `FAILED-${name}.png`), fullPage: true }).catch(() => undefined);
    throw err;
  }
}

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });

/** The element matching `selector` on the page Taro is showing (earlier pages stay in the DOM, hidden). */
export const current = (page: Page, selector: string) => page.locator(`.taro_page_show ${selector}`).first();

/** Waits until `read()` contains `text` (lists refresh after an action's answer), else fails showing the last read. */
export async function eventually(read: () => Promise<string>, text: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    last = await read();
    if (last.includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(last).toContain(text);
}

/**
 * Signs a staff account in on the H5 staff login and waits until 我的 lists the account's role entries: the
 * login's switchTab has then settled, so a page.goto that follows is not swallowed by it.
 */
export async function staffLogin(page: Page, h5Url: string, username: string, password: string): Promise<void> {
  const input = (testId: string) => current(page, `[data-testid=${testId}] input`);
  await page.goto(`${h5Url}/#/subpackages/staff/pages/login/index`);
  await input('staff-username').waitFor({ timeout: 60_000 });
  await input('staff-username').fill(username);
  await input('staff-password').fill(password);
  await current(page, '[data-testid=staff-submit]').tap();
  await current(page, '[data-testid=role-entries]').waitFor({ timeout: 30_000 });
}

/** The access token the H5 app stored for its session (Taro's H5 storage wraps values as { data }). */
export async function sessionToken(page: Page): Promise<string> {
  const stored = JSON.parse(await page.evaluate<string>("localStorage.getItem('rongmei.session')")) as { data: string };
  return (JSON.parse(stored.data) as { accessToken: string }).accessToken;
}
