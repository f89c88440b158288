/**
 * The console's desk pages (Chromium, 1440×900, the whole stack): an admin sets a points rule (a cap the schema
 * refuses is shown under its field first), adds goods to the mall, adds a holiday to the 问政 calendar, enters a
 * hotline case and routes it to 住建局, and finds the goods and themselves by name in 审计日志; an editor approves two
 * merchant applications in one batch, then publishes a promotion of each shop in one batch. Each outcome is checked
 * through the API; every new page is saved as test-results/e2e/console-*.png.
 */
import { step } from './browser';
import { consoleHelpers } from './console-helpers';
import { uploadPngFile } from './stack';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { api } = e2e;
const stamp = Date.now() % 100000;
const GOODS = `融媒定制帆布袋${stamp}`;
const CASE_TITLE = `热线：城关镇东街路灯不亮${stamp}`;
const SHOPS = [`东街茶铺${stamp}`, `西街粉店${stamp}`];
const PROMOTIONS = [`开业八折${stamp}`, `新品米粉${stamp}`];

const { desk, shot, signIn, settle, tableReady, staffToken, fitsSmallDesk } = consoleHelpers(e2e);

/** A table with its rows loaded (no spinner over it). */
/** A shop applied for by a fresh WeChat user: its id, and the applicant's refresh token (to sign in as its owner). */
async function merchantApplication(name: string): Promise<{ id: string; refreshToken: string }> {
  const minted = await fetch(`${e2e.stack.wechatFakeUrl}/__fake/login-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  }).then((r) => r.json() as Promise<{ code: string }>);
  const login = await api<{ accessToken: string; refreshToken: string }>('/api/v1/auth/wechat-login', { body: { code: minted.code } });
  const licence = await uploadPngFile(e2e.stack.apiUrl, login.body.accessToken);
  const applied = await api<{ merchant: { id: string } }>('/api/v1/merchants/applications', {
    token: login.body.accessToken,
    body: {
      name,
      category: '餐饮',
      address: '城关镇东街 8 号',
      location: { lng: 116.325, lat: 26.838 },
      hours: '每天 09:00-21:00',
      phone: '13800138000',
      licenceNo: '91361030MA35ABCD1X',
      licencePhotoFileId: licence.id,
      photos: [],
      intro: '老字号',
    },
  });
  expect(applied.status).toBe(201);
  return { id: applied.body.merchant.id, refreshToken: login.body.refreshToken };
}

describe('staff console desk pages', () => {
  it('lets an admin set a points rule, add goods, add a holiday, and enter and route a hotline case', async () => {
    const { context, page, problems } = await desk();
    const token = await staffToken('admin', 'rongmei-admin-dev');

    await step(page, 'console-points-rule', async () => {
      await signIn(page, 'admin', 'rongmei-admin-dev');
      await page.getByRole('menuitem', { name: '积分规则' }).click();
      const row = page.locator('tbody tr', { hasText: '阅读' });
      await row.waitFor();
      await shot(page, 'points-rules');
      await row.getByRole('button', { name: '修改' }).click();
      const dialog = page.getByRole('dialog');
      // A daily cap of 0: the API's schema refuses it, under the field, before anything is sent.
      await dialog.getByLabel('每日上限（留空为不限）').fill('0');
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.locator('.ant-form-item-explain-error').first().waitFor();
      await settle(page);
      await shot(page, 'points-rule-edit');
      await dialog.getByLabel('每日上限（留空为不限）').fill('30');
      await dialog.getByRole('button', { name: '保存' }).click();
      await page.getByText('积分规则已保存').waitFor();
      const rules = await api<{ rules: Array<{ source: string; dailyCap: number | null }> }>('/api/v1/admin/points/rules', { token });
      expect(rules.body.rules.find((r) => r.source === 'reading')?.dailyCap).toBe(30);
    });

    await step(page, 'console-goods', async () => {
      await page.getByRole('menuitem', { name: '商品管理' }).click();
      await page.getByRole('button', { name: '新增商品' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('商品名称').fill(GOODS);
      await dialog.getByLabel('说明').fill('帆布材质，印有融媒社区标识。');
      await dialog.getByLabel('所需积分').fill('300');
      await dialog.getByLabel('库存', { exact: true }).fill('50');
      await dialog.getByLabel('每人限兑（空为不限）').fill('1');
      // Pickup without a counter: the API refuses it and says why.
      await dialog.getByRole('button', { name: '新增' }).click();
      await dialog.getByText('到柜台领取的商品必须指定兑换网点').waitFor();
      await dialog.getByLabel('领取网点编码').fill('chengguan-01');
      await settle(page);
      await shot(page, 'goods-new');
      await dialog.getByRole('button', { name: '新增' }).click();
      await page.getByText('商品已新增').waitFor();
      const row = page.locator('tbody tr', { hasText: GOODS });
      await row.waitFor();
      await row.getByText('在售').waitFor();
      await shot(page, 'goods');
      const goods = await api<{ items: Array<{ name: string; stock: number; price: number; active: boolean }> }>(
        '/api/v1/admin/mall/goods',
        {
          token,
        },
      );
      expect(goods.body.items.find((g) => g.name === GOODS)).toMatchObject({ price: 300, stock: 50, active: true });
      await page.getByRole('menuitem', { name: '兑换记录' }).click();
      await tableReady(page);
      await shot(page, 'redemptions');
    });

    await step(page, 'console-holiday', async () => {
      await page.getByRole('menuitem', { name: '问政设置' }).click();
      await page.getByLabel('受理时限').waitFor();
      await page.waitForFunction("(document.querySelector('input#deadlines_accept') || {}).value");
      await page.getByRole('button', { name: '保存设置' }).and(page.locator(':enabled')).waitFor();
      await shot(page, 'wenzheng-settings');
      await page.getByRole('tab', { name: '部门名录' }).click();
      await page.locator('tbody tr', { hasText: '县住建局' }).waitFor();
      await shot(page, 'wenzheng-departments');
      await page.getByRole('tab', { name: '节假日' }).click();
      await page.getByRole('button', { name: '添加日期' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('日期').fill('2026-12-31');
      await dialog.getByLabel('日期').press('Enter');
      await dialog.getByLabel('名称').fill('跨年调休');
      await dialog.getByRole('button', { name: '添加' }).click();
      await page.getByText('已添加').waitFor();
      await page.locator('tbody tr', { hasText: '2026-12-31' }).getByText('跨年调休').waitFor();
      await shot(page, 'wenzheng-holidays');
      const holidays = await api<{ holidays: Array<{ date: string; kind: string; name: string }> }>('/api/v1/wenzheng/holidays?year=2026');
      expect(holidays.body.holidays).toContainEqual({ date: '2026-12-31', kind: 'holiday', name: '跨年调休' });
    });

    let caseId = '';
    await step(page, 'console-hotline-case', async () => {
      await page.getByRole('menuitem', { name: /问政审核/ }).click();
      await page.getByRole('button', { name: '录入来件' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('联系人（可选）').fill('王师傅');
      await dialog.getByLabel('联系电话（可选）').fill('13907940001');
      await dialog.getByLabel('类别').click();
      await page.locator('.ant-select-item-option', { hasText: '城建' }).click();
      await dialog.getByLabel('标题').fill(CASE_TITLE);
      await dialog.getByLabel('内容').fill('东街 12 号到 30 号的路灯一周没亮了，晚上走路不安全。');
      await settle(page);
      await shot(page, 'wenzheng-intake');
      await dialog.getByRole('button', { name: '录入', exact: true }).click();
      await page.getByText('来件已录入，进入待审核').waitFor();
      const row = page.locator('tbody tr', { hasText: CASE_TITLE });
      await row.waitFor();
      await row.getByText('新闻热线', { exact: true }).waitFor();
      await shot(page, 'wenzheng-triage');
      await row.getByRole('button', { name: '转交办理' }).click();
      const forward = page.getByRole('dialog');
      await forward.getByLabel('承办部门').click();
      await page.locator('.ant-select-item-option', { hasText: '县住建局' }).click();
      await settle(page);
      await shot(page, 'wenzheng-forward');
      await forward.getByRole('button', { name: '转交', exact: true }).click();
      await page.getByText('已转交办理').waitFor();
      await row.waitFor({ state: 'detached' });
      const editor = await staffToken('editor', 'rongmei-editor-dev');
      const assigned = await api<{ items: Array<{ id: string; title: string; source: string; department: { code: string } | null }> }>(
        '/api/v1/wenzheng/triage?state=assigned',
        { token: editor },
      );
      const routed = assigned.body.items.find((c) => c.title === CASE_TITLE);
      expect(routed).toMatchObject({ source: 'hotline', department: { code: 'zjj' } });
      caseId = routed!.id;
    });

    await step(page, 'console-audit', async () => {
      await page.getByRole('menuitem', { name: '审计日志' }).click();
      await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
      await page.evaluate('window.scrollTo(0, 0)');
      // The goods added above, by name, and who added it, by nickname (the ids stay on hover and copy).
      const row = page.locator('tbody tr', { hasText: 'mall.goods.create' }).filter({ hasText: GOODS }).first();
      await row.waitFor();
      await row.getByTestId('audit-actor').getByText('系统管理员').waitFor();
      await row.getByTestId('audit-target').getByText('商品').waitFor();
      await tableReady(page);
      await shot(page, 'audit-goods');
      await row.getByTestId('audit-target').getByText(GOODS).hover();
      await page.locator('.ant-tooltip', { hasText: new RegExp(`^${GOODS} · goods [0-9a-f]{24}$`) }).waitFor();
      await settle(page);
      await shot(page, 'audit-goods-hover');
    });
    expect(caseId).not.toBe('');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an editor approve two merchant applications in one batch, then publish a promotion of each in one batch', async () => {
    const shops = [await merchantApplication(SHOPS[0]!), await merchantApplication(SHOPS[1]!)];
    const { context, page } = await desk();
    await step(page, 'console-batch-approve', async () => {
      await signIn(page, 'editor', 'rongmei-editor-dev');
      await page.getByRole('menuitem', { name: /通讯员申请/ }).click();
      await tableReady(page);
      await shot(page, 'correspondent-applications');
      await page.getByRole('menuitem', { name: /商户活动/ }).click();
      await tableReady(page);
      await shot(page, 'promotions');
      await page.getByRole('menuitem', { name: /商户入驻/ }).click();
      for (const name of SHOPS) await page.locator('tbody tr', { hasText: name }).locator('input[type=checkbox]').check();
      await page.getByText('已选 2 项').waitFor();
      await shot(page, 'merchant-applications');
      await page.locator('tbody tr', { hasText: SHOPS[0] }).getByRole('button', { name: '详情' }).click();
      await page.getByRole('dialog').getByText('营业执照号').waitFor();
      // The licence photo the applicant uploaded, shown (and loaded) next to the licence code.
      await page.waitForFunction(
        `[...document.querySelectorAll('[role=dialog] img[alt="营业执照照片"]')].some((i) => i.complete && i.naturalWidth > 0)`,
        undefined,
        { timeout: 30_000 },
      );
      await settle(page);
      await shot(page, 'merchant-application-drawer');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: '批量通过' }).click();
      await page.getByText('已通过 2 项').waitFor();
      for (const name of SHOPS) await page.locator('tbody tr', { hasText: name }).waitFor({ state: 'detached' });
    });
    const token = await staffToken('editor', 'rongmei-editor-dev');
    for (const { id } of shops) {
      const got = await api<{ merchant: { state: string } }>(`/api/v1/merchants/${id}`, { token });
      expect(got.body.merchant.state).toBe('approved');
    }

    const promotionIds: string[] = [];
    await step(page, 'console-batch-publish', async () => {
      // Each new owner posts a promotion: a role change ends the old session, so the owner refreshes first.
      for (const [i, shop] of shops.entries()) {
        const session = await api<{ accessToken: string }>('/api/v1/auth/refresh', { body: { refreshToken: shop.refreshToken } });
        expect(session.status).toBe(200);
        const posted = await api<{ promotion: { id: string } }>(`/api/v1/merchants/${shop.id}/promotions`, {
          token: session.body.accessToken,
          body: { kind: '促销', title: PROMOTIONS[i], body: '开业当天全场八折，欢迎街坊邻居来尝鲜。' },
        });
        expect(posted.status).toBe(201);
        promotionIds.push(posted.body.promotion.id);
      }
      await page.reload();
      const item = page.getByRole('menuitem', { name: /商户活动/ });
      await item.locator('.ant-badge').waitFor();
      await item.click();
      for (const title of PROMOTIONS) await page.locator('tbody tr', { hasText: title }).locator('input[type=checkbox]').check();
      await page.getByText('已选 2 项').waitFor();
      await tableReady(page);
      await shot(page, 'promotions-selected');
      await page.getByRole('button', { name: '批量发布' }).click();
      await page.getByText('已发布 2 项').waitFor();
      for (const title of PROMOTIONS) await page.locator('tbody tr', { hasText: title }).waitFor({ state: 'detached' });
      await settle(page);
      await shot(page, 'promotions-published');
    });
    const published = await api<{ items: Array<{ id: string; state: string; articleId: string | null }> }>(
      '/api/v1/promotions/queue?state=published&limit=100',
      { token },
    );
    for (const id of promotionIds) expect(published.body.items.find((p) => p.id === id)).toMatchObject({ state: 'published' });
    await context.close();
  });

  it('fits a 1024 px desk without horizontal scrolling on the new pages', async () => {
    await fitsSmallDesk(['points/goods', 'points/redemptions', 'wenzheng/triage', 'applications/merchants', 'applications/promotions'], {
      shot: 'wenzheng-triage-1024',
    });
  });
});
