/**
 * The mini-program's H5 build in Chromium (phone viewport) against the whole stack started like `npm
 * start`: a new citizen opens the app and is logged in silently (dev login code from the WeChat fake),
 * sees the seeded feed (and its next page on scrolling to the bottom), moves through all four tabs (a
 * screenshot of each in test-results/e2e/), opens an article from a share link and from a mini-program
 * code's scene; a staff user logs in with a password (a wrong one is refused in Chinese) and sees the
 * staff entry in 我的. Non-tab pages have a title bar with back (or home, when opened from a link); 关怀模式
 * switched on in 我的 survives a reload and enlarges the text of every tab (screenshots of each tab, normal
 * and 关怀模式). Every step ends with the browser check (browser.ts checkPage).
 */
import type { Page } from 'playwright-core';
import { current, phoneContext, shot, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

const ARTICLE_PAGE = 'subpackages/news/pages/article/index';

/** The news as 首页 lists it (merchants' promotions come apart, spaced out among the news). */
async function feedFromApi(): Promise<Array<{ id: string; title: string }>> {
  const res = await fetch(`${e2e.stack.apiUrl}/api/v1/feed?kind=news&limit=5`);
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
      // Scroll the feed itself (the title bar above it does not scroll).
      await page.mouse.move(195, 420);
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
      // The counts have arrived (a dash stands in while they load).
      await page.waitForFunction(
        "!document.querySelector('.taro_page_show [data-testid=mine-stats]').textContent.includes('—')",
        undefined,
        {
          timeout: 30_000,
        },
      );
      await shot(page, 'tab-4-mine');
    });
    await step(page, 'back-home', async () => {
      await tapTab(page, '首页');
      await current(page, '[data-testid=feed-item]').waitFor();
      await current(page, '[data-testid=feed-item]').tap();
      await current(page, '[data-testid=article-title]').waitFor();
    });
    await step(page, 'title-bar-back', async () => {
      // H5 has no WeChat bar: Taro's title bar shows the page's title and a back control on non-tab pages.
      const bar = page.locator('#taro-navigation-bar');
      await expect(bar.isVisible()).resolves.toBe(true);
      await expect(bar.locator('.taro-navigation-bar-title').textContent()).resolves.toBeTruthy();
      await bar.locator('.taro-navigation-bar-back').tap();
      await current(page, '[data-testid=feed-item]').waitFor();
      await expect(page.locator('.taro-navigation-bar-back').isVisible()).resolves.toBe(false);
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
    await step(page, 'title-bar-home', async () => {
      // Opened straight from a link there is nothing to go back to: the bar offers the home page instead.
      await page.locator('#taro-navigation-bar .taro-navigation-bar-home').tap();
      await current(page, '[data-testid=feed-item]').waitFor({ timeout: 30_000 });
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

  it('关怀模式: switched on in 我的, it survives a reload and every tab draws larger text', async () => {
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    const px = (selector: string) =>
      page.evaluate<number>(`parseFloat(getComputedStyle(document.querySelector('.taro_page_show ${selector}')).fontSize)`);

    const before = await step(page, 'care-off', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await current(page, '[data-testid=care-mode]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=mine-stats]').waitFor({ timeout: 30_000 });
      return { title: await px('[data-testid=entry-wenzheng] .rm-list-item__title'), meta: await px('.rm-section__title') };
    });

    await step(page, 'care-on', async () => {
      await current(page, '[data-testid=care-mode] .nut-switch').tap();
      await page.waitForFunction("document.documentElement.classList.contains('rm-care')");
      await page.reload();
      await current(page, '[data-testid=care-mode]').waitFor({ timeout: 60_000 });
      // Remembered on the device: the reloaded app starts in 关怀模式.
      await expect(page.evaluate<boolean>("document.documentElement.classList.contains('rm-care')")).resolves.toBe(true);
      const title = await px('[data-testid=entry-wenzheng] .rm-list-item__title');
      const meta = await px('.rm-section__title');
      expect(title).toBeGreaterThan(before.title);
      expect(title).toBeGreaterThanOrEqual(20);
      expect(meta).toBeGreaterThanOrEqual(16);
      await shot(page, 'care-tab-4-mine');
    });

    for (const [label, testId, name] of [
      ['首页', 'feed-item', 'care-tab-1-home'],
      ['活动', 'tab-activities', 'care-tab-2-activities'],
      ['商家', 'tab-merchants', 'care-tab-3-merchants'],
    ] as const) {
      await step(page, name, async () => {
        await tapTab(page, label);
        await current(page, `[data-testid=${testId}]`).waitFor({ timeout: 30_000 });
        await shot(page, name);
      });
    }
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
