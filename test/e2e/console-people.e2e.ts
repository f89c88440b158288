/**
 * The console's people and organisations pages (Chromium, 1440×900, the whole stack): an admin creates a unit channel
 * and sets its admin by searching for the person (shown by name), creates a 住建局 staff account, adjusts a user's
 * points; that staffer signs in with the new account, finds a case routed to 住建局 on 部门办理, accepts it and
 * answers it. Each outcome is checked through the API; every page is saved as test-results/e2e/console-*.png.
 */
import { step } from './browser';
import { consoleHelpers } from './console-helpers';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { api } = e2e;
const stamp = Date.now() % 100000;
const CHANNEL = `县交通运输局分端${stamp}`;
const PERSON = `交通小陈${stamp}`;
const STAFF = { username: `zjj.li${stamp}`, password: 'zhujian-first-pass', name: `李住建${stamp}` };
const CASE_TITLE = `热线：建设路人行道塌陷${stamp}`;
const ANSWER = '已安排施工队于本周五前修复塌陷路段，修复期间设置围挡和警示标志。';

const { desk, shot, signIn, settle, tableReady, staffToken, wechatReader, fitsSmallDesk } = consoleHelpers(e2e);

/** A WeChat user with a nickname: what the admin searches for. */
async function person(nickname: string): Promise<string> {
  return (await wechatReader(nickname)).userId;
}

/** A hotline case an editor entered and routed to 住建局 (what lands on its desk). */
async function caseFor住建局(): Promise<string> {
  const editor = await staffToken('editor', 'rongmei-editor-dev');
  const entered = await api<{ case: { id: string } }>('/api/v1/wenzheng/intake', {
    token: editor,
    body: {
      source: 'hotline',
      contactName: '赵女士',
      category: '城建',
      title: CASE_TITLE,
      text: '建设路 18 号门口的人行道塌了一个坑，老人小孩经过很危险。',
      visibility: 'public',
      anonymous: false,
    },
  });
  expect(entered.status).toBe(201);
  const forwarded = await api(`/api/v1/wenzheng/cases/${entered.body.case.id}/forward`, {
    token: editor,
    body: { tier: 'direct', type: 'complaint', department: 'zjj', coDepartments: [], publish: true },
  });
  expect(forwarded.status).toBe(200);
  return entered.body.case.id;
}

describe('console people and organisations', () => {
  it('lets an admin set up a unit channel and its admin, a staff account and a points adjustment; the staffer answers a case', async () => {
    const personId = await person(PERSON);
    const caseId = await caseFor住建局();
    const { context, page, problems } = await desk();
    const admin = await staffToken('admin', 'rongmei-admin-dev');

    await step(page, 'console-channels', async () => {
      await signIn(page, 'admin', 'rongmei-admin-dev');
      await page.getByRole('menuitem', { name: '单位分端' }).click();
      await tableReady(page);
      await shot(page, 'channels');
      await page.getByRole('button', { name: '新建分端' }).click();
      const dialog = page.getByRole('dialog');
      // An empty name: the API's schema refuses it under the field before anything is sent.
      await dialog.getByRole('button', { name: '创建' }).click();
      await dialog.locator('.ant-form-item-explain-error', { hasText: '单位名称' }).waitFor();
      await dialog.getByLabel('单位名称').fill(CHANNEL);
      await dialog.getByText('政府部门').click();
      await settle(page);
      await shot(page, 'channel-new');
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByText('分端已创建').waitFor();
      const row = page.locator('tbody tr', { hasText: CHANNEL });
      await row.getByText('未设置').waitFor();
      await row.getByRole('button', { name: '设置管理员' }).click();
      const admins = page.getByRole('dialog');
      await admins.getByLabel('管理员').fill(PERSON);
      await page.locator('.ant-select-item-option', { hasText: PERSON }).click();
      await settle(page);
      await shot(page, 'channel-admin');
      await admins.getByRole('button', { name: '设为管理员' }).click();
      await row.getByText(PERSON).waitFor();
      await settle(page);
      await shot(page, 'channels-admin-set');
      const listed = await api<{ items: Array<{ name: string; adminIds: string[]; admins: Array<{ nickname: string }> }> }>(
        `/api/v1/channels?q=${encodeURIComponent(CHANNEL)}`,
      );
      expect(listed.body.items).toEqual([
        expect.objectContaining({ name: CHANNEL, adminIds: [personId], admins: [{ id: personId, nickname: PERSON }] }),
      ]);
    });

    await step(page, 'console-staff-account', async () => {
      await page.getByRole('menuitem', { name: '用户与角色' }).click();
      await tableReady(page);
      await page.getByRole('button', { name: '新建后台账号' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('登录账号').fill(STAFF.username);
      // Too short: the schema's Chinese message shows under the password.
      await dialog.getByLabel('初始密码').fill('short');
      await dialog.getByLabel('姓名').fill(STAFF.name);
      await dialog.getByLabel('角色').click();
      await page.locator('.ant-select-item-option', { hasText: '部门工作人员' }).click();
      await dialog.getByLabel('范围', { exact: true }).click();
      await page.locator('.ant-select-item-option', { hasText: /^部门$/ }).click();
      await dialog.getByLabel('部门', { exact: true }).click();
      await page.locator('.ant-select-item-option', { hasText: '县住建局' }).click();
      await dialog.getByRole('button', { name: '创建' }).click();
      await dialog.getByText('密码至少 10 位').waitFor();
      await dialog.getByLabel('初始密码').fill(STAFF.password);
      await settle(page);
      await shot(page, 'staff-new');
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByText(`已创建账号 ${STAFF.username}`).waitFor();
      await page.getByPlaceholder('搜索昵称或用户名').fill(STAFF.username);
      await page.getByPlaceholder('搜索昵称或用户名').press('Enter');
      const row = page.locator('tbody tr', { hasText: STAFF.name });
      await row.getByText('部门工作人员 · 部门 县住建局').waitFor();
      await shot(page, 'users-staff-created');
    });

    await step(page, 'console-points-adjust', async () => {
      await page.getByPlaceholder('搜索昵称或用户名').fill(PERSON);
      await page.getByPlaceholder('搜索昵称或用户名').press('Enter');
      const row = page.locator('tbody tr', { hasText: PERSON });
      await row.getByRole('button', { name: '积分' }).click();
      const drawer = page.locator('.ant-drawer');
      await drawer.getByText('积分明细').waitFor();
      await drawer.getByRole('button', { name: '调整' }).click();
      // No reason: refused under its field, nothing sent.
      await drawer.locator('.ant-form-item-explain-error').first().waitFor();
      await drawer.getByLabel('数量').fill('50');
      await drawer.getByLabel('原因').fill('线下志愿活动补发积分');
      await drawer.getByRole('button', { name: '调整' }).click();
      await page.getByText('已调整，当前余额').waitFor();
      await drawer.locator('tbody tr', { hasText: '线下志愿活动补发积分' }).waitFor();
      await settle(page);
      await shot(page, 'user-points');
      const ledger = await api<{ items: Array<{ amount: number; reason: string }> }>(`/api/v1/admin/users/${personId}/points/ledger`, {
        token: admin,
      });
      expect(ledger.body.items[0]).toMatchObject({ amount: 50 });
      await page.keyboard.press('Escape');
    });

    await step(page, 'console-audit-scopes', async () => {
      await page.getByRole('menuitem', { name: '审计日志' }).click();
      await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
      await page.evaluate('window.scrollTo(0, 0)');
      // The staff account's role, its department by name.
      await page.locator('tbody tr', { hasText: `账号 ${STAFF.username}：部门工作人员 · 部门 县住建局` }).waitFor();
      await tableReady(page);
      await shot(page, 'audit-staff-create');
    });
    await context.close();

    // The new account signs in and works its department's desk.
    const staffDesk = await desk();
    const staffPage = staffDesk.page;
    staffPage.on('pageerror', (e) => problems.push(String(e)));
    await step(staffPage, 'console-department-desk', async () => {
      await signIn(staffPage, STAFF.username, STAFF.password);
      await staffPage.getByTestId('user-name').getByText(STAFF.name).waitFor();
      await staffPage.getByRole('menuitem', { name: /部门办理/ }).click();
      const row = staffPage.locator('tbody tr', { hasText: CASE_TITLE });
      await row.getByText('主办').waitFor();
      await tableReady(staffPage);
      await settle(staffPage);
      await shot(staffPage, 'wenzheng-desk');
      await row.getByRole('button', { name: '受理', exact: true }).click();
      await staffPage.getByText('已受理', { exact: true }).waitFor();
      await row.getByText('办理中').waitFor();
      await row.getByText(CASE_TITLE).click();
      const drawer = staffPage.locator('.ant-drawer');
      await drawer.getByText('办理期限').waitFor();
      await settle(staffPage);
      await shot(staffPage, 'wenzheng-desk-case');
      await drawer.getByRole('button', { name: '答复' }).click();
      const dialog = staffPage.getByRole('dialog', { name: /答复/ });
      await dialog.getByRole('button', { name: '提交答复' }).click();
      await dialog.locator('.ant-form-item-explain-error', { hasText: '答复' }).waitFor();
      await dialog.getByLabel('答复内容（提问人可见）').fill(ANSWER);
      await settle(staffPage);
      await shot(staffPage, 'wenzheng-desk-answer');
      await dialog.getByRole('button', { name: '提交答复' }).click();
      await staffPage.getByText('已答复', { exact: true }).first().waitFor();
      await drawer.locator('.ant-alert').getByText(ANSWER).waitFor();
      await settle(staffPage);
      await shot(staffPage, 'wenzheng-desk-answered');
    });
    const answered = await api<{ case: { state: string; answer: { text: string; department: { code: string } } | null } }>(
      `/api/v1/wenzheng/cases/${caseId}`,
      { token: admin },
    );
    expect(answered.body.case).toMatchObject({ state: 'answered', answer: { text: ANSWER, department: { code: 'zjj' } } });
    // Only its department: the staffer's queue holds 住建局's cases alone, and another department's is refused.
    const staffToken_ = await staffToken(STAFF.username, STAFF.password);
    const queue = await api<{ items: Array<{ department: { code: string } | null; coDepartments: Array<{ code: string }> }> }>(
      '/api/v1/wenzheng/queue?limit=50',
      { token: staffToken_ },
    );
    expect(queue.status).toBe(200);
    expect(queue.body.items.length).toBeGreaterThan(0);
    for (const c of queue.body.items) expect([c.department?.code, ...c.coDepartments.map((d) => d.code)]).toContain('zjj');
    expect((await api('/api/v1/wenzheng/queue?department=jtj', { token: staffToken_ })).status).toBe(403);
    expect(problems).toEqual([]);
    await staffDesk.context.close();
  });

  it('fits a 1024 px desk without horizontal page scrolling on these pages', async () => {
    await fitsSmallDesk(['community/channels', 'system/users', 'wenzheng/desk', 'contests/review'], { shot: 'contests-review-1024' });
  });
});
