/**
 * The newsroom desk in the console (Chromium, 1440×900, the whole stack) and its effect on the H5 app:
 * - an editor in 文章管理 writes an article (the shared schema's message under the empty title first), uploads a
 *   cover, schedules it for tomorrow 09:30 Shanghai time, edits it, and pins a published article to the carousel;
 * - an admin in 栏目管理 adds a column (a taken key refused under the field), moves it up, makes its comments wait
 *   for approval, and the column appears
 *   as a tab on the H5 首页 (390×844) with its article;
 * - both pages fit a 1024 px desk without horizontal page scrolling.
 * Each outcome is checked through the API; the pages are saved as test-results/e2e/console-newsroom-*.png and
 * home-column-tab.png.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { current, phoneContext, shot as phoneShot, step } from './browser';
import { consoleHelpers } from './console-helpers';
import { uploadPngFile } from './stack';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { api } = e2e;
const stamp = Date.now() % 100000;
const SCHEDULED = `元旦灯会下周开幕${stamp}`;
const TO_PIN = `老街改造完工${stamp}`;
const COLUMN_KEY = `tiyu${stamp}`;
const COLUMN_NAME = '体育';
/** A picture the seed ships (made by us, in the repo). */
const COVER = path.resolve(__dirname, '..', '..', 'scripts', 'seed', 'images', 'contest-2.png');

const { desk, shot, signIn, settle, tableReady, staffToken } = consoleHelpers(e2e);

/** Tomorrow in Shanghai as YYYY-MM-DD. */
function tomorrowInShanghai(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + 86_400_000),
  );
  return parts;
}

interface DeskRow {
  id: string;
  title: string;
  status: string;
  pinned: boolean;
  publishedAt: string;
  cover: string | null;
  column: string;
}

describe('the newsroom desk in the console', () => {
  it('lets an editor write and schedule an article, edit it, and pin another to the home carousel', async () => {
    const token = await staffToken('editor', 'rongmei-editor-dev');
    const cover = await uploadPngFile(e2e.stack.apiUrl, token, readFileSync(COVER));
    const written = await api<{ article: { id: string } }>('/api/v1/articles', {
      token,
      body: {
        title: TO_PIN,
        column: 'livelihood',
        cover: cover.url,
        body: [{ type: 'paragraph', text: '老街改造今天完工，街面焕然一新。' }],
      },
    });
    expect(written.status).toBe(201);
    const { context, page } = await desk();
    const day = tomorrowInShanghai();

    await step(page, 'console-newsroom-articles', async () => {
      await signIn(page, 'editor', 'rongmei-editor-dev');
      await page.getByRole('menuitem', { name: '文章管理' }).click();
      await page.locator('tbody tr', { hasText: TO_PIN }).waitFor();
      await tableReady(page);
      await shot(page, 'newsroom-articles');
    });

    await step(page, 'console-newsroom-write', async () => {
      await page.getByRole('button', { name: '写文章' }).click();
      const dialog = page.getByRole('dialog');
      // Nothing filled in: the shared schema's message under the title, before anything is sent.
      await dialog.getByRole('button', { name: '发布' }).click();
      await dialog.locator('.ant-form-item-explain-error', { hasText: '标题不能为空' }).waitFor();
      await dialog.locator('.ant-form-item-explain-error', { hasText: '请选择栏目' }).waitFor();
      await dialog.locator('.ant-form-item-explain-error', { hasText: '段落不能为空' }).waitFor();
      await settle(page);
      await shot(page, 'newsroom-write-empty');
      await dialog.getByLabel('标题').fill(SCHEDULED);
      await dialog.getByLabel('栏目').click();
      await page.locator('.ant-select-item-option', { hasText: '文旅' }).click();
      // Each message goes as soon as its field changes.
      await dialog.locator('.ant-form-item-explain-error', { hasText: '标题不能为空' }).waitFor({ state: 'detached' });
      await dialog.locator('.ant-form-item-explain-error', { hasText: '请选择栏目' }).waitFor({ state: 'detached' });
      await dialog.getByTestId('article-cover').locator('input[type=file]').setInputFiles(COVER);
      await dialog.getByTestId('article-cover').locator('img').waitFor();
      await dialog.getByTestId('block-0').locator('textarea').fill('元旦灯会将在老街举办，共有三十组花灯。');
      await dialog.locator('.ant-form-item-explain-error').first().waitFor({ state: 'detached' });
      await dialog.getByRole('button', { name: '小标题' }).click();
      await dialog.getByTestId('block-1').locator('input').fill('观灯指南');
      await dialog.getByRole('button', { name: '段落' }).click();
      await dialog.getByTestId('block-2').locator('textarea').fill('每晚六点亮灯，持续到十点。');
      await dialog.getByLabel('定时发布').check();
      const when = dialog.getByLabel('定时发布时间');
      await when.click();
      await when.fill(`${day} 09:30`);
      await when.press('Enter');
      await page
        .locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)')
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      expect(await when.inputValue()).toBe(`${day} 09:30`);
      await settle(page);
      await shot(page, 'newsroom-write');
      await dialog.getByRole('button', { name: '发布' }).click();
      await page.getByText('已定时发布').waitFor();
      const row = page.locator('tbody tr', { hasText: SCHEDULED });
      await row.getByText('定时发布').waitFor();
      await tableReady(page);
      // Tomorrow's article is the first row (latest publication time first).
      await page.evaluate('window.scrollTo(0, 0)');
      expect(await page.locator('tbody tr.ant-table-row').first().textContent()).toContain(SCHEDULED);
      await shot(page, 'newsroom-scheduled');

      const found = await api<{ items: DeskRow[] }>(`/api/v1/editorial/articles?q=${encodeURIComponent(SCHEDULED)}`, { token });
      expect(found.body.items).toHaveLength(1);
      const article = found.body.items[0]!;
      expect(article).toMatchObject({ status: 'scheduled', column: 'culture' });
      expect(article.publishedAt).toBe(new Date(`${day}T09:30:00+08:00`).toISOString());
      expect(article.cover).toMatch(/^\/api\/v1\/files\/|^https?:\/\//);
      // Not in the public feed before its time.
      expect((await api(`/api/v1/articles/${article.id}`)).status).toBe(404);
    });

    await step(page, 'console-newsroom-edit', async () => {
      const row = page.locator('tbody tr', { hasText: SCHEDULED });
      await row.getByRole('button', { name: '编辑' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('标题').waitFor();
      await dialog.getByLabel('摘要（空则取正文开头）').fill('三十组花灯，元旦在老街亮灯。');
      await settle(page);
      await shot(page, 'newsroom-edit');
      await dialog.getByRole('button', { name: '保存' }).click();
      await page.getByText('文章已保存').waitFor();
      const found = await api<{ items: Array<DeskRow & { summary: string }> }>(
        `/api/v1/editorial/articles?q=${encodeURIComponent(SCHEDULED)}`,
        { token },
      );
      expect(found.body.items[0]).toMatchObject({ summary: '三十组花灯，元旦在老街亮灯。', status: 'scheduled' });
      expect(found.body.items[0]!.publishedAt).toBe(new Date(`${day}T09:30:00+08:00`).toISOString());
    });

    await step(page, 'console-newsroom-pin', async () => {
      await page.getByTestId('articles-search').locator('input').fill(TO_PIN);
      await page.getByTestId('articles-search').locator('input').press('Enter');
      const row = page.locator('tbody tr', { hasText: TO_PIN });
      await row.waitFor();
      await row.getByRole('button', { name: '置顶', exact: true }).click();
      await page.getByText('已置顶到首页轮播').waitFor();
      await row.getByText('轮播').waitFor();
      await tableReady(page);
      await shot(page, 'newsroom-pinned');
      const headlines = await api<{ items: Array<{ id: string }> }>('/api/v1/feed/headlines');
      expect(headlines.body.items[0]?.id).toBe(written.body.article.id);
    });
    await context.close();
  });

  it('lets an admin add a column, refused under the field when its key is taken, that the H5 首页 shows as a tab', async () => {
    const token = await staffToken('admin', 'rongmei-admin-dev');
    const { context, page } = await desk();

    await step(page, 'console-newsroom-columns', async () => {
      await signIn(page, 'admin', 'rongmei-admin-dev');
      await page.getByRole('menuitem', { name: '栏目管理' }).click();
      await page.locator('tbody tr', { hasText: '文旅' }).waitFor();
      await tableReady(page);
      await shot(page, 'newsroom-columns');

      await page.getByRole('button', { name: '新增栏目' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('栏目标识').fill('culture');
      await dialog.getByLabel('栏目名称').fill(COLUMN_NAME);
      await dialog.getByRole('button', { name: '新增' }).click();
      await dialog.locator('.ant-form-item-explain-error', { hasText: '栏目标识已被使用' }).waitFor();
      await settle(page);
      await shot(page, 'newsroom-column-taken');
      await dialog.getByLabel('栏目标识').fill(COLUMN_KEY);
      await dialog.getByRole('button', { name: '新增' }).click();
      await page.getByText('栏目已新增').waitFor();
      const row = page.locator('tbody tr', { hasText: COLUMN_KEY });
      await row.waitFor();
      // Up one place: before the last default column.
      await row.getByRole('button', { name: `上移 ${COLUMN_NAME}` }).click();
      await page.getByText('顺序已调整').waitFor();
      // Its comments wait for approval (评论设置's per-column rule, set from here).
      await page.getByLabel(`${COLUMN_NAME} 评论审核`).click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '先审后发' }).click();
      await page.getByText(`「${COLUMN_NAME}」的评论：先审后发`).waitFor();
      await tableReady(page);
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      // The admin's menu is taller than the window: it scrolls in the sidebar, the page itself does not.
      const overflow = await page.evaluate<number>('document.documentElement.scrollHeight - document.documentElement.clientHeight');
      // (The whole menu is some 400 px taller than this window.)
      expect(overflow).toBeLessThan(100);
      await shot(page, 'newsroom-column-added');
      const comments = await api<{ settings: { columns: Record<string, boolean> } }>('/api/v1/comments/settings', { token });
      expect(comments.body.settings.columns[COLUMN_KEY]).toBe(true);

      const listed = await api<{ items: Array<{ key: string; name: string; homeTab: boolean }> }>('/api/v1/columns');
      const keys = listed.body.items.map((c) => c.key);
      expect(keys.indexOf(COLUMN_KEY)).toBe(keys.length - 2);
      expect(listed.body.items.find((c) => c.key === COLUMN_KEY)).toEqual({ key: COLUMN_KEY, name: COLUMN_NAME, homeTab: true });
    });
    await context.close();

    // An article in it, so its tab has something to show.
    const editor = await staffToken('editor', 'rongmei-editor-dev');
    const title = `县篮球联赛开赛${stamp}`;
    const written = await api('/api/v1/articles', {
      token: editor,
      body: { title, column: COLUMN_KEY, body: [{ type: 'paragraph', text: '二十支队伍参加今年的县篮球联赛。' }] },
    });
    expect(written.status).toBe(201);
    expect(token).toBeTruthy();

    const phone = await phoneContext(e2e.browser);
    const h5 = await phone.newPage();
    await step(h5, 'home-column-tab', async () => {
      await h5.goto(`${e2e.stack.h5Url}/`);
      const tab = current(h5, `[data-testid=home-tab-column-${COLUMN_KEY}]`);
      await tab.waitFor({ timeout: 60_000 });
      expect(await tab.textContent()).toBe(COLUMN_NAME);
      // After the fixed tabs (推荐 本地 问政 服务), in the admins' order: before 文旅, the last one.
      const labels = await h5.locator('.taro_page_show [data-testid=home-tabs] [data-testid^=home-tab-]').allTextContents();
      expect(labels.slice(0, 4)).toEqual(['推荐', '本地', '问政', '服务']);
      expect(labels.slice(-2)).toEqual([COLUMN_NAME, '文旅']);
      await tab.tap();
      await current(h5, '[data-testid=feed-item]').waitFor({ timeout: 30_000 });
      expect(await current(h5, '[data-testid=feed-item]').textContent()).toContain(title);
      await phoneShot(h5, 'home-column-tab');
    });
    await phone.close();
  });

  it('fits 文章管理 and 栏目管理 on a 1024 px desk without horizontal page scrolling', async () => {
    const { context, page } = await desk(1024, 768);
    await signIn(page, 'admin', 'rongmei-admin-dev');
    for (const p of ['newsroom/articles', 'newsroom/columns']) {
      await page.goto(`${e2e.stack.apiUrl}/console/${p}`);
      await page.locator('.ant-table').first().waitFor();
      await tableReady(page);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect({ p, overflow }).toEqual({ p, overflow: 0 });
      await shot(page, `${p.replace('/', '-')}-1024`);
    }
    await context.close();
  });
});
