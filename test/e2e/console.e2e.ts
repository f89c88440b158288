/**
 * The staff console at a desk (Chromium, 1440×900) against the whole stack as `npm start` runs it: the API
 * serves the console's build at /console. An admin signs in, grants a citizen the correspondent role on
 * 用户与角色 and the citizen's next request has it (they can file a piece, refused before); the admin's audit log
 * shows the grant. An editor sees the piece counted on the 投稿审核 badge, opens it and approves it (the API says
 * approved, the badge drops). Every console page is saved as test-results/e2e/console-*.png.
 */
import { step } from './browser';
import { consoleHelpers } from './console-helpers';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { api } = e2e;
const stamp = Date.now() % 100000;
const NICK = `端到端小李${stamp}`;
const TITLE = `端到端：城关镇老街修缮完工${stamp}`;

const { desk, shot, signIn } = consoleHelpers(e2e);

/** A WeChat user signed in through the fake's code, renamed so the admin can find them. */
async function citizen(): Promise<{ token: string; refreshToken: string; id: string }> {
  const minted = await fetch(`${e2e.stack.wechatFakeUrl}/__fake/login-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  }).then((r) => r.json() as Promise<{ code: string }>);
  const login = await api<{ accessToken: string; refreshToken: string; user: { id: string } }>('/api/v1/auth/wechat-login', {
    body: { code: minted.code },
  });
  expect(login.status).toBe(200);
  const renamed = await fetch(`${e2e.stack.apiUrl}/api/v1/me`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.body.accessToken}` },
    body: JSON.stringify({ nickname: NICK }),
  });
  expect(renamed.status).toBe(200);
  return { token: login.body.accessToken, refreshToken: login.body.refreshToken, id: login.body.user.id };
}

const piece = {
  title: TITLE,
  body: '老街的青石板路修好了，街坊们在新修的廊桥下喝茶聊天。',
  copyright: 'non_exclusive',
  originalityStatement: true,
};

describe('staff console', () => {
  let pieceId = '';

  it('serves the console at /console with its own CSP and the login page in Chinese', async () => {
    const res = await fetch(`${e2e.stack.apiUrl}/console/system/users`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(e2e.stack.output()).toMatch(/Console\s+http:\/\/\S+\/console\//);
    const { context, page } = await desk();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${e2e.stack.apiUrl}/console/`);
    await page.getByText('融媒社区管理后台').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: '登录', exact: true }).click();
    // An empty form is refused under its fields, in Chinese, before anything is sent.
    await page.getByText('请输入用户名').waitFor();
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('用户名或密码错误').waitFor();
    // The empty-field message went when the field was filled in.
    expect(await page.getByText('请输入用户名').count()).toBe(0);
    await shot(page, 'login');
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await context.close();
  });

  it("lets an admin grant a role on 用户与角色, and the user's next request has it", async () => {
    const who = await citizen();
    const refused = await api('/api/v1/submissions', { token: who.token, body: piece });
    expect(refused.status).toBe(403);

    const { context, page } = await desk();
    await step(page, 'console-admin-grant', async () => {
      await signIn(page, 'admin', 'rongmei-admin-dev');
      await page.getByText('系统管理员').first().waitFor();
      await shot(page, 'home-admin');

      await page.getByRole('menuitem', { name: '用户与角色' }).click();
      await page.getByPlaceholder('搜索昵称或用户名').fill(NICK);
      await page.getByPlaceholder('搜索昵称或用户名').press('Enter');
      const row = page.locator('tr', { hasText: NICK });
      await row.waitFor();
      await page.getByPlaceholder('搜索昵称或用户名').fill('');
      await page.getByPlaceholder('搜索昵称或用户名').press('Enter');
      await page.locator('tbody tr').nth(3).waitFor();
      await shot(page, 'users');
      await page.getByPlaceholder('搜索昵称或用户名').fill(NICK);
      await page.getByPlaceholder('搜索昵称或用户名').press('Enter');
      await page.locator('tbody tr').filter({ hasText: NICK }).waitFor();
      await row.getByRole('button', { name: '授予角色' }).click();

      const dialog = page.getByRole('dialog');
      // A role that needs a scope, without one: refused next to the field before anything is sent.
      await dialog.getByLabel('角色').click();
      await page.locator('.ant-select-item-option', { hasText: '圈长' }).click();
      await dialog.getByRole('button', { name: '授予', exact: true }).click();
      await dialog.locator('.ant-form-item-explain-error', { hasText: '圈长角色必须指定范围' }).waitFor();
      await dialog
        .locator('.ant-select-dropdown')
        .waitFor({ state: 'hidden' })
        .catch(() => undefined);
      await page.waitForTimeout(400); // the modal's opening animation
      await shot(page, 'users-grant');
      await dialog.getByLabel('角色').click();
      await page.locator('.ant-select-item-option', { hasText: '通讯员' }).click();
      await dialog.getByRole('button', { name: '授予', exact: true }).click();
      await page.getByText(`已授予 ${NICK} 新角色`).waitFor();
      await row.getByText('通讯员').waitFor();
    });

    // The citizen's next request: the old access token is retired with the role change, the refresh carries the role.
    const stale = await api('/api/v1/submissions', { token: who.token, body: piece });
    expect(stale.status).toBe(401);
    const renewed = await api<{ accessToken: string; user: { roles: Array<{ role: string }> } }>('/api/v1/auth/refresh', {
      body: { refreshToken: who.refreshToken },
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body.user.roles.map((g) => g.role)).toContain('correspondent');
    const filed = await api<{ submission: { id: string } }>('/api/v1/submissions', { token: renewed.body.accessToken, body: piece });
    expect(filed.status).toBe(201);
    pieceId = filed.body.submission.id;
    expect((await api(`/api/v1/submissions/${pieceId}/submit`, { token: renewed.body.accessToken, body: {} })).status).toBe(200);

    await step(page, 'console-admin-audit', async () => {
      await page.getByRole('menuitem', { name: '审计日志' }).click();
      await page.getByLabel('动作').fill('role.grant');
      await page.getByRole('button', { name: '查询' }).click();
      // Who and whom by name: the admin's nickname and username, the citizen's nickname (their ids on hover and copy).
      const row = page.locator('tbody tr', { hasText: NICK }).first();
      await row.getByTestId('audit-target').getByText(NICK).waitFor();
      await row.getByTestId('audit-actor').getByText('系统管理员').waitFor();
      await row.getByTestId('audit-actor').getByText('admin', { exact: true }).waitFor();
      await shot(page, 'audit');
    });
    await context.close();
  });

  it('lets an editor work the submission queue: the badge counts the piece, approving it clears it', async () => {
    expect(pieceId).not.toBe('');
    const { context, page } = await desk();
    await step(page, 'console-editor-review', async () => {
      await signIn(page, 'editor', 'rongmei-editor-dev');
      // An editor's menu has no 系统管理.
      expect(await page.getByRole('menuitem', { name: '用户与角色' }).count()).toBe(0);
      const badge = page.getByRole('menuitem', { name: /投稿审核/ }).locator('.ant-badge-count');
      await badge.waitFor();
      const before = Number((await badge.getAttribute('title')) ?? (await badge.textContent()));
      expect(before).toBeGreaterThanOrEqual(1);
      await page.getByTestId('todo-submissions').waitFor();
      await shot(page, 'home-editor');

      await page.getByRole('menuitem', { name: /投稿审核/ }).click();
      const row = page.locator('tbody tr', { hasText: TITLE });
      await row.waitFor();
      await shot(page, 'submissions');
      await row.click();
      const drawer = page.getByRole('dialog');
      await drawer.getByText('老街的青石板路修好了').waitFor();
      // Rejecting without a reason: the API's schema says why, under the field.
      await drawer.getByText('不予采用', { exact: true }).click();
      await drawer.getByRole('button', { name: /认领并确认不予采用/ }).click();
      await drawer.locator('.ant-form-item-explain-error').first().waitFor();
      await drawer.getByText('通过', { exact: true }).click();
      await drawer.getByText('A 级').click();
      await shot(page, 'submission-review');
      await drawer.getByRole('button', { name: /认领并确认通过/ }).click();
      await page.getByText(`《${TITLE}》已通过`).waitFor();
      await row.waitFor({ state: 'detached' });
      // The badge follows once the to-do counts reload: one fewer, or gone.
      const menuBadge = page.getByRole('menuitem', { name: /投稿审核/ }).locator('.ant-badge-count');
      if (before === 1) await menuBadge.waitFor({ state: 'detached' });
      else await menuBadge.and(page.locator(`[title="${before - 1}"]`)).waitFor();
    });
    const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'editor', password: 'rongmei-editor-dev' },
    });
    const got = await api<{ submission: { state: string; grade: string } }>(`/api/v1/submissions/${pieceId}`, {
      token: login.body.accessToken,
    });
    expect(got.body.submission).toMatchObject({ state: 'approved', grade: 'A' });
    await context.close();
  });

  it('fits a 1024 px desk without horizontal scrolling', async () => {
    const { context, page } = await desk(1024, 768);
    await signIn(page, 'admin', 'rongmei-admin-dev');
    for (const p of ['review/submissions', 'system/audit', 'system/users']) {
      await page.goto(`${e2e.stack.apiUrl}/console/${p}`);
      await page.locator('.ant-table').waitFor();
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect({ p, overflow }).toEqual({ p, overflow: 0 });
    }
    await page.mouse.move(900, 700);
    await page.waitForTimeout(400);
    await shot(page, 'users-1024');
    // The folded menu opens its pages on hover, with their names.
    await page.locator('.ant-layout-sider .ant-menu-submenu-title').last().hover();
    await page.locator('.ant-menu-submenu-popup').getByText('用户与角色').waitFor();
    await page.waitForTimeout(400);
    await shot(page, 'menu-1024');
    await context.close();
  });
});
