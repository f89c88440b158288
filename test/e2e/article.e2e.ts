/**
 * The article page in the H5 build (Chromium, 390×844) against the whole seeded stack: a citizen opens a
 * seeded correspondent story (byline 通讯员 … · 责任编辑 …, 相关阅读 at the bottom), likes it, switches the text
 * size, comments while the story's column requires approval (the bar says 评论审核通过后展示 and the comment
 * is not shown); an editor approves it through the API in the same test and it shows after a reload; the
 * citizen replies to it; the comment's time reads 刚刚. Screenshots of the page, normal and in 关怀模式, go to
 * test-results/e2e/. On 首页 the seeded video story has a play badge and plays in its card; 分享 on the
 * article page copies the link (headless Chromium has no share sheet).
 */
import type { ArticleCard, FeedResponse } from '@shared/schemas/newsroom';
import type { ModerationQueueResponse } from '@shared/schemas/comments';
import type { Page } from 'playwright-core';
import { current, eventually, phoneContext, shot, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { api } = e2e;
const ARTICLE_PAGE = 'subpackages/news/pages/article/index';
const COMMENT = `便民桥修得真好，上班近多了${Date.now() % 100000}`;
const REPLY = `同感，早上能多睡一会儿${Date.now() % 100000}`;

async function editorToken(): Promise<string> {
  const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
    body: { username: 'editor', password: 'rongmei-editor-dev' },
  });
  expect(login.status).toBe(200);
  return login.body.accessToken;
}

/** PUT /api/v1/comments/settings as the editor (callApi sends only GET and POST). */
async function commentSettings(token: string, body: object): Promise<void> {
  const res = await fetch(`${e2e.stack.apiUrl}/api/v1/comments/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

/** A seeded correspondent story (the byline shows both 通讯员 and 责任编辑). */
async function correspondentStory(): Promise<ArticleCard> {
  const feed = await api<FeedResponse>('/api/v1/feed?limit=50');
  const story = feed.body.items.find((a) => a.author.kind === 'correspondent');
  expect(story).toBeDefined();
  return story!;
}

const visibleText = async (page: Page, selector: string) =>
  (await page.locator(`.taro_page_show ${selector}`).filter({ visible: true }).first().textContent()) ?? '';

async function openArticle(page: Page, id: string): Promise<void> {
  await page.goto(`${e2e.stack.h5Url}/#/${ARTICLE_PAGE}?id=${id}`);
  await current(page, '[data-testid=article-title]').waitFor({ timeout: 60_000 });
  await current(page, '[data-testid=comments]').waitFor({ timeout: 30_000 });
}

describe('the article page', () => {
  it('like, text size, a held comment approved by an editor, a reply; screenshots normal and in 关怀模式', async () => {
    const story = await correspondentStory();
    const token = await editorToken();
    // The story's column requires approval: the citizen's comment waits for the editor.
    await commentSettings(token, { columns: { [story.column]: true } });

    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    try {
      await step(page, 'article-open', async () => {
        await openArticle(page, story.id);
        expect(await visibleText(page, '[data-testid=article-title]')).toBe(story.title);
        const byline = await visibleText(page, '[data-testid=article-byline]');
        expect(byline).toContain(`通讯员 ${story.author.name}`);
        expect(byline).toContain('责任编辑');
        await current(page, '[data-testid=related-item]').waitFor({ timeout: 30_000 });
        await shot(page, 'article-1-top');
      });

      await step(page, 'article-like', async () => {
        const before = Number(await visibleText(page, '[data-testid=like-count]'));
        await current(page, '[data-testid=like]').tap();
        await eventually(() => visibleText(page, '[data-testid=like-count]'), String(before + 1));
        await current(page, '[data-testid=like].news-bar__like--on').waitFor({ timeout: 10_000 });
        // Stored: after a reload the page (its read answer says liked and the count) still shows it.
        await page.reload();
        await current(page, '[data-testid=like].news-bar__like--on').waitFor({ timeout: 30_000 });
        expect(await visibleText(page, '[data-testid=like-count]')).toBe(String(before + 1));
      });

      await step(page, 'article-font', async () => {
        const px = () =>
          page.evaluate<number>("parseFloat(getComputedStyle(document.querySelector('.taro_page_show .article-page__para')).fontSize)");
        const medium = await px();
        await current(page, '[data-testid=font-large]').tap();
        await page.waitForFunction(
          `parseFloat(getComputedStyle(document.querySelector('.taro_page_show .article-page__para')).fontSize) > ${medium}`,
        );
        await page.reload();
        await current(page, '[data-testid=article-title]').waitFor({ timeout: 60_000 });
        // Remembered on the device.
        expect(await px()).toBeGreaterThan(medium);
        await current(page, '[data-testid=font-medium]').tap();
        await page.waitForFunction(
          `parseFloat(getComputedStyle(document.querySelector('.taro_page_show .article-page__para')).fontSize) === ${medium}`,
        );
      });

      const commentId = await step(page, 'article-comment-held', async () => {
        await current(page, '[data-testid=comment-input] input').fill(COMMENT);
        await current(page, '[data-testid=comment-send]').tap();
        await current(page, '[data-testid=comment-held]').waitFor({ timeout: 30_000 });
        expect(await visibleText(page, '[data-testid=comment-held]')).toBe('评论审核通过后展示');
        expect(await visibleText(page, '[data-testid=comments]')).not.toContain(COMMENT);
        const queue = await api<ModerationQueueResponse>('/api/v1/comments/queue?reason=approval', { token });
        const held = queue.body.items.find((c) => c.text === COMMENT);
        expect(held).toMatchObject({ article: { id: story.id }, state: 'pending' });
        return held!.id;
      });

      await step(page, 'article-comment-approved', async () => {
        const approved = await api(`/api/v1/comments/${commentId}/approve`, { token, body: {} });
        expect(approved.status).toBe(200);
        await commentSettings(token, { columns: { [story.column]: null } });
        await page.reload();
        await current(page, '[data-testid=comment]').waitFor({ timeout: 60_000 });
        await eventually(() => visibleText(page, '[data-testid=comments]'), COMMENT);
        // Posted a moment ago, and it says so the way WeChat does.
        expect(await visibleText(page, `[data-testid=comment]:has-text("${COMMENT}") [data-testid=comment-time]`)).toMatch(
          /^(刚刚|\d+ 分钟前)$/,
        );
      });

      await step(page, 'article-reply', async () => {
        await current(page, `[data-testid=comment]:has-text("${COMMENT}") [data-testid=comment-reply]`).tap();
        await current(page, '.news-bar__replying').waitFor({ timeout: 10_000 });
        await current(page, '[data-testid=comment-input] input').fill(REPLY);
        await current(page, '[data-testid=comment-send]').tap();
        await eventually(() => visibleText(page, `[data-testid=comment]:has-text("${COMMENT}") [data-testid=comment-reply-item]`), REPLY);
        // The 评论成功 toast gone, the comments at the top of the screen.
        await page.waitForTimeout(1800);
        await page.evaluate(
          "document.querySelector('.taro_page_show [data-testid=comments]').scrollIntoView({ block: 'start' }); window.scrollBy(0, -60)",
        );
        await shot(page, 'article-2-comments');
      });

      await step(page, 'article-care', async () => {
        await page.evaluate(`localStorage.setItem('rongmei.care-mode', JSON.stringify({ data: '1' }))`);
        await page.reload();
        await current(page, '[data-testid=article-title]').waitFor({ timeout: 60_000 });
        await expect(page.evaluate<boolean>("document.documentElement.classList.contains('rm-care')")).resolves.toBe(true);
        const body = await page.evaluate<number>(
          "parseFloat(getComputedStyle(document.querySelector('.taro_page_show .article-page__para')).fontSize)",
        );
        expect(body).toBeGreaterThanOrEqual(18);
        await shot(page, 'care-article-1-top');
        await current(page, '[data-testid=comment]').waitFor({ timeout: 30_000 });
        await page.evaluate(
          "document.querySelector('.taro_page_show [data-testid=comments]').scrollIntoView({ block: 'start' }); window.scrollBy(0, -60)",
        );
        await shot(page, 'care-article-2-comments');
      });
    } finally {
      await context.close();
      await commentSettings(token, { columns: { [story.column]: null } });
    }
  });

  it('首页 plays a video story in its card; 分享 in H5 copies the link', async () => {
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    try {
      const card = page.locator('.taro_page_show [data-testid=feed-item]:has-text("云岭红叶")').first();
      await step(page, 'home-video-card', async () => {
        await page.goto(`${e2e.stack.h5Url}/#/pages/index/index`);
        await current(page, '[data-testid=feed-item]').waitFor({ timeout: 60_000 });
        await card.waitFor({ timeout: 30_000 });
        await card.locator('[data-testid=feed-video]').waitFor({ timeout: 10_000 });
        await card.scrollIntoViewIfNeeded();
        await expect(card.locator('[data-testid=feed-video-play]').isVisible()).resolves.toBe(true);
        await shot(page, 'home-video-card');
      });
      await step(page, 'home-video-plays', async () => {
        await card.locator('[data-testid=feed-video]').tap();
        const video = card.locator('video');
        await video.waitFor({ timeout: 30_000 });
        await expect(video.getAttribute('src')).resolves.toMatch(/\/api\/v1\/files\/[0-9a-f]{24}\.mp4$/);
        // The player has read the file (metadata at least): our API served the video.
        await eventually(async () => String(await video.evaluate((v: { readyState: number }) => v.readyState >= 1)), 'true');
        // Still on 首页: it played in place rather than opening the story.
        await expect(current(page, '[data-testid=article-title]').count()).resolves.toBe(0);
        // One tap plays it (no second play button to find).
        await eventually(
          async () => String(await video.evaluate((v: { paused: boolean; currentTime: number }) => !v.paused || v.currentTime > 0)),
          'true',
        );
        await page.waitForTimeout(800);
        await shot(page, 'home-video-playing');
      });
      await step(page, 'article-share-h5', async () => {
        await card.locator('.rm-news-card__title').tap();
        await current(page, '[data-testid=article-title]').waitFor({ timeout: 60_000 });
        await current(page, '[data-testid=article-video]').waitFor({ timeout: 30_000 });
        await current(page, '[data-testid=article-share]').tap();
        // Taro's H5 clipboard keeps what it copied in storage; the toast says what happened.
        await eventually(async () => (await page.locator('.taro__toast').last().textContent()) ?? '', '链接已复制');
        const copied = await page.evaluate<string>("JSON.parse(localStorage.getItem('taro_clipboard') || '{}').data || ''");
        expect(copied).toMatch(new RegExp(`#/${ARTICLE_PAGE}\\?id=[0-9a-f]{24}$`));
      });
    } finally {
      await context.close();
    }
  });
});
