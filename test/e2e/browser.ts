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

/** Hosts the app may talk to: the stack runs on loopback; anything else is an outside request. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Problems seen by a context's pages since the last check (outside requests, uncaught errors). */
const pending = new WeakMap<BrowserContext, string[]>();

/**
 * A phone: each context is a new person (empty storage). Taro H5 buttons fire on touch, hence hasTouch.
 * Every page it opens is watched: a request to an outside host or an uncaught page error is recorded and
 * fails the next step (checkPage).
 */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  const problems: string[] = [];
  pending.set(context, problems);
  context.on('request', (req) => {
    const url = new URL(req.url());
    if (/^(https?|wss?):$/.test(url.protocol) && !LOCAL_HOSTS.has(url.hostname)) problems.push(`request to an outside host: ${req.url()}`);
  });
  const watch = (page: Page) => page.on('pageerror', (err) => problems.push(`uncaught page error at ${page.url()}: ${err.message}`));
  context.pages().forEach(watch);
  context.on('page', watch);
  return context;
}

/**
 * What a resident must never see on the page showing now (runs in the page; a string, as this tsconfig has no
 * DOM): an enabled button drawn as disabled (Taro H5 writes disabled={false} as disabled="false", which the
 * [disabled] styles match), or an image that failed to load.
 */
const PAGE_PROBLEMS = `(() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const label = (el) => (el.textContent || el.getAttribute('data-testid') || el.tagName).trim().slice(0, 30);
  const out = [];
  for (const el of document.querySelectorAll('[disabled="false"]'))
    if (shown(el)) out.push('enabled button drawn as disabled (disabled="false"): ' + label(el));
  for (const img of document.querySelectorAll('img'))
    if (shown(img) && img.complete && img.getAttribute('src') && img.naturalWidth === 0) out.push('broken image: ' + img.src);
  return out;
})()`;

/**
 * The browser check for the page a step ends on: no enabled button drawn as disabled, no broken image, and —
 * since the last check — no request to an outside host and no uncaught page error. Throws listing them.
 */
export async function checkPage(page: Page): Promise<void> {
  // Images just inserted get a moment to load or fail.
  await page.waitForLoadState('load').catch(() => undefined);
  await page.waitForTimeout(300);
  const seen = pending.get(page.context()) ?? [];
  const problems = [...seen.splice(0), ...(await page.evaluate<string[]>(PAGE_PROBLEMS))];
  if (problems.length > 0) throw new Error(`browser check failed on ${page.url()}:\n  ${problems.join('\n  ')}`);
}

/**
 * Runs one step, then the browser check on the page it ends on (checkPage); on failure saves a screenshot
 * named after it before rethrowing.
 */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    const result = await fn();
    await checkPage(page);
    return result;
  } catch (err) {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `FAILED-${name}.png`), fullPage: true }).catch(() => undefined);
    throw err;
  }
}

/** A screenshot once the page's finite animations (Taro's page slide-in, drawers) have ended, so it shows one page. */
export async function shot(page: Page, name: string): Promise<void> {
  await page
    .waitForFunction(
      "document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
      undefined,
      { timeout: 3_000 },
    )
    .catch(() => undefined);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The element matching `selector` on the page Taro is showing (earlier pages stay in the DOM, hidden). */
export const current = (page: Page, selector: string) => page.locator(`.taro_page_show ${selector}`).first();

/**
 * Answers the dialog the H5 build shows in place of wx.requestSubscribeMessage (a Taro modal) after an action's tap
 * (问政, sign-up, grab, apply, file…): 允许 or 拒绝. Returns what it asked (the templates' names).
 */
export async function answerSubscribe(page: Page, answer: 'accept' | 'reject' = 'accept'): Promise<string> {
  const modal = page.locator('.taro__modal');
  const text = modal.locator('.taro-modal__text');
  await text.waitFor({ state: 'visible', timeout: 30_000 });
  const asked = (await text.textContent()) ?? '';
  await modal.locator(answer === 'accept' ? '.taro-model__confirm' : '.taro-model__cancel').click();
  await text.waitFor({ state: 'hidden', timeout: 10_000 });
  return asked;
}

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
