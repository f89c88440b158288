/**
 * 问政 in the H5 build (Chromium, phone viewport) against the whole stack: a citizen posts a question in
 * the app, an editor forwards it to 县住建局 and the department's staff accept and answer (through the
 * console API with the seeded staff accounts), then the citizen sees the answer, rates it in the app and
 * sees the rating on the timeline.
 */
import type { Browser } from 'playwright-core';
import { current, launchBrowser, phoneContext, shot, step } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  stack = await startStack();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await stack?.stop();
});

async function staffToken(username: string, password: string): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/api/v1/auth/staff-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
async function staffPost(token: string, path: string, body: object): Promise<void> {
  const res = await fetch(`${stack.apiUrl}/api/v1/wenzheng/cases/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  expect({ path, status: res.status, body: res.status === 200 ? null : await res.text() }).toEqual({ path, status: 200, body: null });
}

describe('问政 in the H5 app', () => {
  it('a citizen posts, an editor forwards, the department answers, the citizen rates and sees it on the timeline', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const title = `南门社区路灯不亮${Date.now() % 100000}`;
    let caseId = '';

    await step(page, 'wz-home', async () => {
      await page.goto(`${stack.h5Url}/#/subpackages/wenzheng/pages/home/index`);
      await current(page, '[data-testid=wz-home]').waitFor({ timeout: 60_000 });
      await page.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      await shot(page, 'wenzheng-home');
    });

    await step(page, 'wz-post', async () => {
      await current(page, '[data-testid=wz-ask]').tap();
      await current(page, '[data-testid=wz-title] input').waitFor({ timeout: 30_000 });
      await current(page, '[data-testid=wz-title] input').fill(title);
      await current(page, '[data-testid=wz-text] textarea').fill('南门社区滨江路段的路灯已经一周不亮了，晚上出行很不方便。');
      await shot(page, 'wenzheng-post');
      await current(page, '[data-testid=wz-submit]').tap();
      await current(page, '[data-testid=wz-case-title]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=wz-case-title]').textContent()).resolves.toBe(title);
      await expect(current(page, '[data-testid=wz-case-state]').textContent()).resolves.toContain('待审核');
      const match = /id=([0-9a-f]{24})/.exec(page.url());
      expect(match).not.toBeNull();
      caseId = match![1]!;
    });

    await step(page, 'staff', async () => {
      const editor = await staffToken('editor', 'rongmei-editor-dev');
      await staffPost(editor, `${caseId}/forward`, { tier: 'direct', type: 'consultation', department: 'zjj', publish: true });
      const zjj = await staffToken('zhujian', 'rongmei-staff-dev');
      await staffPost(zjj, `${caseId}/accept`, {});
      await staffPost(zjj, `${caseId}/answer`, { text: '已安排城市照明所检修，今晚恢复照明。' });
    });

    await step(page, 'wz-rate', async () => {
      await page.reload();
      await current(page, '[data-testid=wz-answer]').waitFor({ timeout: 60_000 });
      await expect(current(page, '[data-testid=wz-answer]').textContent()).resolves.toContain('今晚恢复照明');
      await current(page, '[data-testid=wz-rate] input').fill('修好了，谢谢');
      await current(page, '[data-testid=wz-satisfied]').tap();
      await current(page, '[data-testid=wz-rating]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=wz-rating]').textContent()).resolves.toContain('满意');
      const timeline = (await current(page, '[data-testid=wz-timeline]').textContent()) ?? '';
      expect(timeline).toContain('网友评价');
      expect(timeline).toContain('修好了，谢谢');
      expect(timeline).toContain('部门答复');
      await shot(page, 'wenzheng-rated');
    });
    await context.close();
  });
});
