/**
 * 首页 and 活动 in the H5 build (Chromium, a 390×844 phone) on the seeded stack, as a resident uses them:
 * - opens a pinned headline from the home carousel and reads it; sees channel tabs, the service grid (a
 *   service not built yet says 即将上线) and news cards with covers, promotions marked 推广 and spaced out;
 * - searches for 青溪 and finds news, then a shop and an activity;
 * - from 活动 opens the open call, files an entry (a photo uploaded by the picker, a title), sees its page;
 *   opens the contest being voted on and votes for an entry;
 * - from 活动 opens a volunteer activity and signs up;
 * - 首页 and 活动 screenshotted normally and in 关怀模式.
 * Every step ends with the browser check (browser.ts checkPage).
 */
import type { Page } from 'playwright-core';
import { answerSubscribe, current, eventually, phoneContext, shot, step } from './browser';
import { TINY_PNG } from './stack';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { api } = e2e;

async function tapTab(page: Page, label: '首页' | '活动' | '商家' | '我的') {
  await page.locator('.taro-tabbar__tabbar .weui-tabbar__item', { hasText: label }).tap();
}
/** Waits until every picture on the first screen (above the tab bar) of the page showing has loaded, before a screenshot. */
const picturesLoaded = (page: Page) =>
  page.waitForFunction(
    "[...document.querySelectorAll('.taro_page_show img')].filter((i) => i.getBoundingClientRect().top < innerHeight - 120).every((i) => i.getAttribute('src') && i.complete && i.naturalWidth > 0)",
    undefined,
    {
      timeout: 30_000,
    },
  );
const textOf = async (page: Page, selector: string) => (await current(page, selector).textContent()) ?? '';

describe('首页 and 活动 in the H5 app', () => {
  it('opens a pinned headline from the carousel; the feed shows covers, bylines and spaced-out promotions', async () => {
    const headlines = (await api<{ items: Array<{ id: string; title: string; cover: string | null }> }>('/api/v1/feed/headlines')).body
      .items;
    expect(headlines.length).toBeGreaterThanOrEqual(3);
    expect(headlines.every((h) => h.cover)).toBe(true);
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();

    await step(page, 'home', async () => {
      await page.goto(`${e2e.stack.h5Url}/`);
      await current(page, '[data-testid=home-carousel-item]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=feed-item]').waitFor({ timeout: 60_000 });
      for (const tab of ['推荐', '本地', '问政', '服务', '文旅'])
        await expect(textOf(page, '[data-testid=home-tabs]')).resolves.toContain(tab);
      // News cards carry their cover; bylines are written once.
      await expect(current(page, '[data-testid=feed-item] img').count()).resolves.toBe(1);
      expect(await textOf(page, '[data-testid=feed]')).not.toMatch(/通讯员\s*·\s*通讯员|通讯员\s+通讯员/);
      await picturesLoaded(page);
      await shot(page, 'home-1-top');
    });

    await step(page, 'home-promotions', async () => {
      // Scroll to load more: promotions appear marked 推广, never two within the spacing.
      await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
      await page.locator('.taro_page_show [data-testid=feed-promotion]').first().waitFor({ timeout: 30_000 });
      const order = await page
        .locator('.taro_page_show [data-testid=feed] > [data-testid]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
      const firstAd = order.indexOf('feed-promotion');
      expect(firstAd).toBeGreaterThanOrEqual(5);
      const ads = order.flatMap((t, i) => (t === 'feed-promotion' ? [i] : []));
      for (let i = 1; i < ads.length; i++) expect(ads[i]! - ads[i - 1]!).toBeGreaterThanOrEqual(6);
      await expect(textOf(page, '[data-testid=feed-promotion]')).resolves.toContain('推广');
      await page.evaluate('window.scrollTo(0, 0)');
    });

    await step(page, 'home-service-soon', async () => {
      await current(page, '[data-testid=home-service-livelihood]').tap();
      // Taro's toast (its text stays in the DOM after it fades).
      await eventually(async () => (await page.locator('.taro__toast').allTextContents()).join(' '), '即将上线，敬请期待', 10_000);
    });

    await step(page, 'carousel-article', async () => {
      const slide = current(page, '[data-testid=home-carousel-item]');
      const title = (await slide.locator('.home-carousel__caption').textContent()) ?? '';
      expect(headlines.map((h) => h.title)).toContain(title);
      await slide.tap();
      await current(page, '[data-testid=article-title]').waitFor({ timeout: 60_000 });
      await expect(textOf(page, '[data-testid=article-title]')).resolves.toBe(title);
      // The article opens with its picture (served by our API).
      await current(page, '[data-testid=article] img').waitFor({ timeout: 30_000 });
    });
    await context.close();
  });

  it('searches news, shops and activities', async () => {
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    await step(page, 'search-news', async () => {
      await page.goto(`${e2e.stack.h5Url}/`);
      await current(page, '[data-testid=home-search]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=home-search]').tap();
      await current(page, '[data-testid=search-input] input').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=search-input] input').fill('青溪');
      await current(page, '[data-testid=search-submit]').tap();
      await current(page, '[data-testid=search-hit]').waitFor({ timeout: 30_000 });
      await expect(textOf(page, '[data-testid=search-results]')).resolves.toContain('青溪大桥');
      await picturesLoaded(page);
      await shot(page, 'search-news');
    });
    await step(page, 'search-activity', async () => {
      await current(page, '[data-testid=search-kind-activity]').tap();
      await eventually(() => textOf(page, '[data-testid=search-page]'), '青溪河巡河捡拾垃圾');
    });
    await step(page, 'search-shop', async () => {
      await current(page, '[data-testid=search-input] input').fill('滨江');
      await current(page, '[data-testid=search-kind-merchant]').tap();
      await current(page, '[data-testid=search-submit]').tap();
      await eventually(() => textOf(page, '[data-testid=search-page]'), '滨江酒家');
      await current(page, '[data-testid=search-hit]').tap();
      await page.waitForURL(/merchants\/pages\/detail/, { timeout: 30_000 });
    });
    await step(page, 'search-nothing', async () => {
      await page.goBack();
      await current(page, '[data-testid=search-input] input').fill('不存在的内容xyz');
      await current(page, '[data-testid=search-submit]').tap();
      await eventually(() => textOf(page, '[data-testid=search-page]'), '没有找到相关商家');
    });
    await context.close();
  });

  it('files a contest entry from 活动 and votes in the contest being voted on', async () => {
    const admin = (
      await api<{ accessToken: string }>('/api/v1/auth/staff-login', { body: { username: 'admin', password: 'rongmei-admin-dev' } })
    ).body.accessToken;
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();

    await step(page, 'activities-tab', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/activities/index`);
      await current(page, '[data-testid=ev-contest]').waitFor({ timeout: 60_000 });
      const tab = await textOf(page, '[data-testid=tab-activities]');
      expect(tab).toContain('作品征集中');
      expect(tab).toContain('专题征稿中');
      expect(tab).not.toContain('敬请期待');
      await picturesLoaded(page);
      await shot(page, 'activities-1-top');
    });

    await step(page, 'contest-file', async () => {
      await current(page, '[data-testid=ev-contest]:has-text("家乡味道")').tap();
      await current(page, '[data-testid=ct-file-open]').waitFor({ timeout: 60_000 });
      // The rules are printed once.
      const rules = await textOf(page, '[data-testid=ct-contest]');
      expect(rules.split('每人每天').length - 1).toBe(1);
      await current(page, '[data-testid=ct-file-open]').tap();
      await current(page, '[data-testid=ct-file-submit]').waitFor({ timeout: 60_000 });
      // Nothing yet: the form says what is missing before sending.
      await current(page, '[data-testid=ct-file-submit]').tap();
      await eventually(() => textOf(page, '[data-testid=ct-file-error]'), '请至少添加一张照片');
      const chooser = page.waitForEvent('filechooser');
      await current(page, '[data-testid=ct-file-add-photo]').tap();
      await (await chooser).setFiles({ name: 'noodles.png', mimeType: 'image/png', buffer: TINY_PNG });
      await current(page, '[data-testid=ct-file-photo]').waitFor({ timeout: 30_000 });
      await current(page, '[data-testid=ct-file-title] input').fill('老街米粉');
      await current(page, '[data-testid=ct-file-description] textarea').fill('每天清早六点开门的那碗米粉。');
      await current(page, '[data-testid=ct-file-submit]').tap();
      await expect(answerSubscribe(page)).resolves.toContain('比赛结果');
      await current(page, '[data-testid=ct-entry]').waitFor({ timeout: 60_000 });
      await expect(textOf(page, '[data-testid=ct-entry]')).resolves.toContain('老街米粉');
      await current(page, '[data-testid=ct-entry] img').waitFor({ timeout: 30_000 });
    });

    // The photo contest's vote opened a few seconds after the seed; the advance job (run here through the admin
    // endpoint instead of waiting for its minute) shortlists every entry.
    const advanced = await api('/api/v1/admin/contests/advance', { token: admin, body: {} });
    expect(advanced.status).toBe(200);

    await step(page, 'contest-vote', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/activities/index`);
      await current(page, '[data-testid=ev-contest]:has-text("四季之美")').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=ev-contest]:has-text("四季之美")').tap();
      await current(page, '[data-testid=ct-entry-card]').waitFor({ timeout: 60_000 });
      await expect(textOf(page, '[data-testid=ct-phase]')).resolves.toBe('投票进行中');
      await current(page, '[data-testid=ct-entry-card]').tap();
      await current(page, '[data-testid=ct-vote]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=ct-vote]').tap();
      await eventually(() => textOf(page, '[data-testid=ct-vote-note]'), '投票成功');
    });
    await context.close();
  });

  it('joins a volunteer activity from 活动', async () => {
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    await step(page, 'activity-join', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/activities/index`);
      const row = current(page, '[data-testid=ev-activity]:has-text("青溪河巡河捡拾垃圾")');
      await row.waitFor({ timeout: 60_000 });
      await row.tap();
      await current(page, '[data-testid=vl-signup]').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=vl-signup]').tap();
      await answerSubscribe(page, 'reject');
      await current(page, '[data-testid=vl-my-signup]').waitFor({ timeout: 30_000 });
    });
    await step(page, 'activity-joined', async () => {
      await page.goBack();
      await eventually(() => textOf(page, '[data-testid=tab-activities]'), '已报名');
    });
    await context.close();
  });

  it('首页 and 活动 in 关怀模式', async () => {
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    await step(page, 'care-on', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await current(page, '[data-testid=care-mode] .nut-switch').waitFor({ timeout: 60_000 });
      await current(page, '[data-testid=care-mode] .nut-switch').tap();
      await page.waitForFunction("document.documentElement.classList.contains('rm-care')");
    });
    await step(page, 'care-home', async () => {
      await tapTab(page, '首页');
      await current(page, '[data-testid=feed-item]').waitFor({ timeout: 60_000 });
      const px = await page.evaluate<number>(
        "parseFloat(getComputedStyle(document.querySelector('.taro_page_show .rm-news-card__title')).fontSize)",
      );
      expect(px).toBeGreaterThanOrEqual(20);
      await picturesLoaded(page);
      await shot(page, 'home-care');
    });
    await step(page, 'care-activities', async () => {
      await tapTab(page, '活动');
      await current(page, '[data-testid=ev-contest]').waitFor({ timeout: 60_000 });
      await picturesLoaded(page);
      await shot(page, 'activities-care');
    });
    await context.close();
  });
});
