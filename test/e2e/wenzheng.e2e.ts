/**
 * 问政 in the H5 build (Chromium, phone viewport) against the whole stack, every step through the pages:
 * a citizen opens 问政 from 我的 and posts a question, accepting the subscription dialog (the H5 stand-in for
 * wx.requestSubscribeMessage); the editor signs in, finds it in 问政审核与转办, routes
 * it to 县住建局 (with 县交通运输局 as co-department) and forwards it; 交通运输局's staff accept and answer
 * their part; 住建局's staff find it in 问政回复, accept and answer it; the citizen got the 已答复 subscribe message
 * at the WeChat fake, sees the unread badge on the 我的 tab, opens the message in 我的 › 消息 and lands on the case,
 * sees both answers, rates the lead's and sees the rating on the timeline.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { current, eventually, phoneContext, shot, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

/** A phone signed in on the staff login page (seeded dev account). */
async function staffPhone(username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(e2e.browser);
  const page = await context.newPage();
  await page.goto(`${e2e.stack.h5Url}/#/subpackages/staff/pages/login/index`);
  await current(page, '[data-testid=staff-username] input').waitFor({ timeout: 60_000 });
  await current(page, '[data-testid=staff-username] input').fill(username);
  await current(page, '[data-testid=staff-password] input').fill(password);
  await current(page, '[data-testid=staff-submit]').tap();
  await current(page, '[data-testid=entry-staff]').waitFor({ timeout: 30_000 });
  return { context, page };
}

/** 我的 → 工作台 → `tool` → the case titled `title` in the queue → its page. */
async function openFromQueue(page: Page, tool: string, title: string): Promise<void> {
  await current(page, '[data-testid=entry-staff]').tap();
  await current(page, `[data-testid=staff-home] .rm-list-item:has-text("${tool}")`).tap();
  const row = current(page, `[data-testid=wz-case]:has-text("${title}")`);
  await row.waitFor({ timeout: 60_000 });
  await row.tap();
  await current(page, '[data-testid=wz-case-title]').waitFor({ timeout: 30_000 });
  await expect(current(page, '[data-testid=wz-case-title]').textContent()).resolves.toBe(title);
}
const text = async (page: Page, testId: string) => (await current(page, `[data-testid=${testId}]`).textContent()) ?? '';

describe('问政 in the H5 app', () => {
  it('a citizen posts, the editor routes it in the triage pages, the department accepts and answers in its queue, the citizen rates', async () => {
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    const title = `南门社区路灯不亮${Date.now() % 100000}`;
    let caseId = '';

    await step(page, 'wz-home', async () => {
      // From the 我的 tab to 问政.
      await page.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await current(page, '[data-testid=entry-wenzheng]').waitFor({ timeout: 60_000 });
      await page.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
      await current(page, '[data-testid=entry-wenzheng]').tap();
      await current(page, '[data-testid=wz-home]').waitFor({ timeout: 60_000 });
      await shot(page, 'wenzheng-home');
    });

    await step(page, 'wz-post', async () => {
      await current(page, '[data-testid=wz-ask]').tap();
      await current(page, '[data-testid=wz-title] input').waitFor({ timeout: 30_000 });
      await current(page, '[data-testid=wz-title] input').fill(title);
      await current(page, '[data-testid=wz-text] textarea').fill('南门社区滨江路段的路灯已经一周不亮了，晚上出行很不方便。');
      await shot(page, 'wenzheng-post');
      await current(page, '[data-testid=wz-submit]').tap();
      // Consent is asked from the tap (WeChat's rule); the H5 build shows a dialog standing in for WeChat's.
      const modal = page.locator('.taro__modal');
      await modal.locator('.taro-modal__text').waitFor({ state: 'visible', timeout: 30_000 });
      await expect(modal.locator('.taro-modal__text').textContent()).resolves.toContain('问政办理进度');
      await modal.locator('.taro-model__confirm').click();
      await current(page, '[data-testid=wz-case-title]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=wz-case-title]').textContent()).resolves.toBe(title);
      await expect(current(page, '[data-testid=wz-case-state]').textContent()).resolves.toContain('待审核');
      const match = /id=([0-9a-f]{24})/.exec(page.url());
      expect(match).not.toBeNull();
      caseId = match![1]!;
    });

    const editor = await staffPhone('editor', 'rongmei-editor-dev');
    await step(editor.page, 'wz-triage', async () => {
      await openFromQueue(editor.page, '问政审核与转办', title);
      expect(editor.page.url()).toContain(caseId);
      await current(editor.page, '[data-testid=wz-triage]').waitFor({ timeout: 30_000 });
      await current(editor.page, '[data-testid=wz-dept-zjj]').tap();
      await eventually(() => text(editor.page, 'wz-dept'), '县住建局');
      await current(editor.page, '[data-testid=wz-co-jtj]').tap();
      await shot(editor.page, 'wenzheng-triage');
      await current(editor.page, '[data-testid=wz-forward]').tap();
      await eventually(() => text(editor.page, 'wz-case-state'), '待受理');
      const departments = await text(editor.page, 'wz-departments');
      expect(departments).toContain('主办：县住建局');
      expect(departments).toContain('县交通运输局');
    });
    await editor.context.close();

    const jtj = await staffPhone('jiaotong', 'rongmei-staff-dev');
    await step(jtj.page, 'wz-co-department', async () => {
      await openFromQueue(jtj.page, '问政回复', title);
      // A co-department works its own part, not the lead's: once its part actions are on screen, the
      // lead's accept is not (checked after the wait, so it cannot pass before the actions render).
      await current(jtj.page, '[data-testid=wz-part-accept]').waitFor({ timeout: 30_000 });
      expect(await current(jtj.page, '[data-testid=wz-accept]').count()).toBe(0);
      await current(jtj.page, '[data-testid=wz-part-accept]').tap();
      await current(jtj.page, '[data-testid=wz-part-answer-text] textarea').waitFor({ timeout: 30_000 });
      await current(jtj.page, '[data-testid=wz-part-answer-text] textarea').fill('路灯线路经过的道路由交通局配合断电施工。');
      await current(jtj.page, '[data-testid=wz-part-answer-submit]').tap();
      await eventually(() => text(jtj.page, 'wz-co-answer'), '配合断电施工');
      await eventually(() => text(jtj.page, 'wz-departments'), '县交通运输局·已答复');
      await shot(jtj.page, 'wenzheng-co-answered');
    });
    await jtj.context.close();

    const zjj = await staffPhone('zhujian', 'rongmei-staff-dev');
    await step(zjj.page, 'wz-department', async () => {
      await openFromQueue(zjj.page, '问政回复', title);
      await current(zjj.page, '[data-testid=wz-accept]').tap();
      await eventually(() => text(zjj.page, 'wz-case-state'), '办理中');
      await current(zjj.page, '[data-testid=wz-answer-text] textarea').fill('已安排城市照明所检修，今晚恢复照明。');
      await current(zjj.page, '[data-testid=wz-answer-submit]').tap();
      await eventually(() => text(zjj.page, 'wz-case-state'), '已答复');
      await shot(zjj.page, 'wenzheng-answered');
    });
    await zjj.context.close();

    await step(page, 'wz-message', async () => {
      // The one acceptance allowed one subscribe message (the first progress notice, 已转办): the fake holds exactly one.
      // Taro's H5 storage keeps each value as JSON {data}.
      const openid = await page.evaluate<string>("JSON.parse(localStorage.getItem('rongmei.dev-openid')).data");
      const sent = (await (await fetch(`${e2e.stack.wechatFakeUrl}/__fake/subscribe-messages?touser=${openid}`)).json()) as {
        messages: Array<{ page?: string }>;
      };
      expect(sent.messages).toHaveLength(1);
      expect(sent.messages[0]!.page).toContain(caseId);

      await page.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await current(page, '[data-testid=entry-messages]').waitFor({ timeout: 60_000 });
      // The 我的 tab's badge: three unread progress messages (已转办, 已受理, 已答复).
      await eventually(async () => (await page.locator('.taro-tabbar-badge').first().textContent()) ?? '', '3');
      await eventually(() => text(page, 'entry-messages'), '未读');
      await shot(page, 'wenzheng-unread-badge');
      await current(page, '[data-testid=entry-messages]').tap();
      const answered = current(page, '[data-testid=message]:has-text("你的问政已答复")');
      await answered.waitFor({ timeout: 60_000 });
      await shot(page, 'wenzheng-messages');
      await answered.locator('.rm-list-item').tap();
      await current(page, '[data-testid=wz-case-title]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=wz-case-title]').textContent()).resolves.toBe(title);
      expect(page.url()).toContain(caseId);
    });

    await step(page, 'wz-rate', async () => {
      await page.reload();
      await current(page, '[data-testid=wz-answer]').waitFor({ timeout: 60_000 });
      const answer = await text(page, 'wz-answer');
      expect(answer).toContain('今晚恢复照明');
      expect(answer).toContain('县住建局');
      expect(await text(page, 'wz-co-answer')).toContain('配合断电施工');
      await current(page, '[data-testid=wz-rate] input').fill('修好了，谢谢');
      await current(page, '[data-testid=wz-satisfied]').tap();
      await current(page, '[data-testid=wz-rating]').waitFor({ timeout: 30_000 });
      await expect(current(page, '[data-testid=wz-rating]').textContent()).resolves.toContain('满意');
      const timeline = await text(page, 'wz-timeline');
      expect(timeline).toContain('网友评价');
      expect(timeline).toContain('修好了，谢谢');
      expect(timeline).toContain('部门答复');
      expect(timeline).toContain('转交办理');
      expect(timeline).toContain('协办部门答复');
      await shot(page, 'wenzheng-rated');
    });
    await context.close();
  });
});
