/**
 * The mini-program's H5 build in Chromium (phone viewport) against the whole stack started like `npm
 * start`: a new citizen opens the app and is logged in silently (dev login code from the WeChat fake),
 * sees the seeded feed (and its next page on scrolling to the bottom), moves through all four tabs (a
 * screenshot of each in test-results/e2e/), opens an article from a share link and from a mini-program
 * code's scene; a staff user logs in with a password (a wrong one is refused in Chinese) and sees the
 * staff entry in 我的.
 */
import type { Page } from 'playwright-core';
import { current, phoneContext, shot, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

const ARTICLE_PAGE = 'subpackages/news/pages/article/index';

async function feedFromApi(): Promise<Array<{ id: string; title: string }>> {
  const res = await fetch(`${e2e.stack.apiUrl}/api/v1/feed?limit=5`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ id: string; title: string }> }).items;
}

async function tapTab(page: Page, label: '首页' | '活动' | '商家' | '我的') {
  await page.locator('.taro-tabbar__tabbar .weui-tabbar__item', { hasText: label }).tap();
}

/** The visible page (Taro H5 keeps hidden pages of the stack in the DOM). */

describe('H5 app in Chromium', () => {
  it('a new citizen is logged in, sees the seeded feed, scrolls to its next page and moves through all four tabs', async () => {
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    const seeded = await feedFromApi();
    expect(seeded.length).toBeGreaterThan(0);

    await step(page, 'feed', async () => {
      await page.goto(`${e2e.stack.h5Url}/`);
      await page.locator('[data-testid=feed-item]').first().waitFor({ timeout: 60_000 });
      await expect(page.locator('[data-testid=feed-item]').first().textContent()).resolves.toContain(seeded[0]!.title);
      await shot(page, 'tab-1-home');
    });

    await step(page, 'infinite-scroll', async () => {
      // Pages of 10: reaching the bottom loads the next page of the seeded feed.
      const items = page.locator('[data-testid=feed-item]');
      const before = await items.count();
      expect(before).toBe(10);
      await page.mouse.wheel(0, 20_000);
      await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
      await page.waitForFunction(`document.querySelectorAll('[data-testid=feed-item]').length > ${before}`, undefined, { timeout: 30_000 });
      await page.evaluate('window.scrollTo(0, 0)');
    });

    await step(page, 'logged-in', async () => {
      // The silent login stored a session (Taro H5 storage is localStorage, value wrapped in {data}).
      // (String expressions: they run in the page, which has a DOM this tsconfig does not describe.)
      await page.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      const stored = JSON.parse(await page.evaluate<string>("localStorage.getItem('rongmei.session')")) as { data: string };
      const session = JSON.parse(stored.data) as { accessToken: string; user: { roles: Array<{ role: string }> } };
      expect(session.accessToken).toBeTruthy();
      expect(session.user.roles.map((r) => r.role)).toContain('citizen');
    });

    await step(page, 'tab-activities', async () => {
      await tapTab(page, '活动');
      await current(page, '[data-testid=tab-activities]').waitFor();
      await shot(page, 'tab-2-activities');
    });
    await step(page, 'tab-merchants', async () => {
      await tapTab(page, '商家');
      await current(page, '[data-testid=tab-merchants]').waitFor();
      await shot(page, 'tab-3-merchants');
    });
    await step(page, 'tab-mine', async () => {
      await tapTab(page, '我的');
      await current(page, '[data-testid=mine-roles]').waitFor();
      await expect(current(page, '[data-testid=mine-roles]').textContent()).resolves.toContain('居民');
      await expect(current(page, '[data-testid=mine-name]').textContent()).resolves.not.toContain('未登录');
      // A citizen has no staff entry.
      await expect(page.locator('[data-testid=entry-staff]').count()).resolves.toBe(0);
      await shot(page, 'tab-4-mine');
    });
    await step(page, 'back-home', async () => {
      await tapTab(page, '首页');
      await current(page, '[data-testid=feed-item]').waitFor();
      await current(page, '[data-testid=feed-item]').tap();
      await current(page, '[data-testid=article-title]').waitFor();
    });
    await context.close();
  });

  it('opens an article straight from a share link and from a mini-program code scene', async () => {
    const [first, second] = await feedFromApi();
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();

    await step(page, 'share-link', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/${ARTICLE_PAGE}?id=${first!.id}`);
      await current(page, '[data-testid=article-title]').waitFor({ timeout: 60_000 });
      await expect(current(page, '[data-testid=article-title]').textContent()).resolves.toBe(first!.title);
      await shot(page, 'deep-link-article');
    });

    const other = await context.newPage();
    await step(other, 'scene', async () => {
      await other.goto(`${e2e.stack.h5Url}/#/pages/index/index?scene=${encodeURIComponent(`a.${second!.id}`)}`);
      await current(other, '[data-testid=article-title]').waitFor({ timeout: 60_000 });
      await expect(current(other, '[data-testid=article-title]').textContent()).resolves.toBe(second!.title);
    });

    await step(other, 'bad-link', async () => {
      await other.goto(`${e2e.stack.h5Url}/#/${ARTICLE_PAGE}?id=${'0'.repeat(24)}`);
      await other.reload();
      await current(other, '[data-testid=state-error]').waitFor({ timeout: 60_000 });
    });
    await context.close();
  });

  it('a staff user logs in with a password and sees the staff entry', async () => {
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    const input = (id: string) => current(page, `[data-testid=${id}] input`);

    await step(page, 'staff-wrong-password', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/staff/pages/login/index`);
      await input('staff-username').waitFor({ timeout: 60_000 });
      await input('staff-username').fill('editor');
      await input('staff-password').fill('not-the-password');
      await current(page, '[data-testid=staff-submit]').tap();
      await current(page, '[data-testid=staff-login-error]').waitFor();
      await expect(current(page, '[data-testid=staff-login-error]').textContent()).resolves.toContain('用户名或密码错误');
    });

    await step(page, 'staff-login', async () => {
      await input('staff-password').fill('rongmei-editor-dev');
      await current(page, '[data-testid=staff-submit]').tap();
      await current(page, '[data-testid=entry-staff]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=mine-roles]').textContent()).resolves.toContain('编辑');
      await shot(page, 'staff-mine');
    });

    await step(page, 'staff-home', async () => {
      await current(page, '[data-testid=entry-staff]').tap();
      await current(page, '[data-testid=staff-home]').waitFor();
      await expect(current(page, '[data-testid=staff-home]').textContent()).resolves.toContain('稿件审核');
      await shot(page, 'staff-home');
    });
    await context.close();
  });
});
