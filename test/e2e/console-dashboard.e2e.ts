/**
 * 数据看板 at a desk (Chromium, 1440×900, then 1024×768) against the whole stack as `npm start` runs it. The seed's
 * last step fills the dashboard's history (sample roll-ups for the month before, then the real roll-up of
 * yesterday, as the nightly job would). An editor opens 数据看板: every chart draws on a canvas and none shows its
 * empty state; the Excel export downloads and exceljs reads it back. Department staff see only their department's
 * 问政 and no export. Screenshots: test-results/e2e/console-dashboard*.png.
 */
import ExcelJS from 'exceljs';
import type { DashboardResponse } from '@shared/schemas/stats';
import type { Page } from 'playwright-core';
import { step } from './browser';
import { consoleHelpers } from './console-helpers';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { desk, shot, signIn } = consoleHelpers(e2e);
const CHARTS = ['users', 'reads', 'circles', 'wenzheng', 'wenzheng-days', 'volunteers', 'coupons', 'points'] as const;

async function openDashboard(page: Page): Promise<void> {
  // The menu's groups start open at a desk's width.
  await page.getByRole('menuitem', { name: '数据看板' }).click();
  await page.getByText(/已汇总 \d+ 天/).waitFor({ timeout: 30_000 });
}

describe('数据看板', () => {
  it('has a month of roll-ups behind it after the seed', async () => {
    const login = await e2e.api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'editor', password: 'rongmei-editor-dev' },
    });
    const board = await e2e.api<DashboardResponse>('/api/v1/console/dashboard', { token: login.body.accessToken });
    expect(board.status).toBe(200);
    expect(board.body.daysComputed).toBe(30);
    expect(board.body.reads?.days).toHaveLength(30);
  });

  it('draws every chart for an editor, and the Excel export downloads and parses', async () => {
    const { context, page } = await desk();
    await step(page, 'console-dashboard-editor', async () => {
      await signIn(page, 'editor', 'rongmei-editor-dev');
      await openDashboard(page);
      for (const id of CHARTS) {
        const card = page.getByTestId(`chart-${id}`);
        await card.locator('canvas').first().waitFor();
        expect({ id, empty: await card.locator('.ant-empty').count() }).toEqual({ id, empty: 0 });
      }
      expect(await page.getByTestId('top-articles').locator('tbody tr.ant-table-row').count()).toBe(10);
      await page.waitForTimeout(300);
      await shot(page, 'dashboard');
      await page.screenshot({ path: 'test-results/e2e/console-dashboard-full.png', fullPage: true });

      // A filter narrows the figures: one department's 问政 only.
      await page.getByLabel('部门').click();
      await page.locator('.ant-select-item-option', { hasText: '县住建局' }).click();
      await page.getByTestId('chart-wenzheng').locator('tbody tr.ant-table-row').nth(1).waitFor({ state: 'detached' });
      expect(await page.getByTestId('chart-wenzheng').locator('tbody tr.ant-table-row').allInnerTexts()).toEqual([
        expect.stringContaining('县住建局'),
      ]);

      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出 Excel/ }).click()]);
      expect(file.suggestedFilename()).toMatch(/^统计数据-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(await file.path());
      const sheet = book.worksheets[0]!;
      expect(sheet.getRow(1).values).toEqual([undefined, '日期', '类别', '对象', '区域', '部门', '指标', '数值']);
      const wenzheng: string[] = [];
      sheet.eachRow((row, n) => {
        if (n > 1 && row.getCell(2).value === '问政') wenzheng.push(String(row.getCell(5).value));
      });
      expect(sheet.rowCount).toBeGreaterThan(1000);
      // The export follows the page's filters: the department picked above.
      expect(new Set(wenzheng)).toEqual(new Set(['zjj']));
    });
    await context.close();
  });

  it("shows department staff their department's 问政 only, without exports", async () => {
    const { context, page } = await desk();
    await signIn(page, 'zhujian', 'rongmei-staff-dev');
    await openDashboard(page);
    await page.getByTestId('chart-wenzheng').locator('canvas').first().waitFor();
    await page.getByTestId('chart-wenzheng-days').locator('canvas').first().waitFor();
    expect(await page.getByTestId('chart-users').count()).toBe(0);
    expect(await page.getByRole('button', { name: /导出/ }).count()).toBe(0);
    expect(await page.getByTestId('chart-wenzheng').locator('tbody tr.ant-table-row').allInnerTexts()).toEqual([
      expect.stringContaining('县住建局'),
    ]);
    await page.waitForTimeout(300);
    await shot(page, 'dashboard-department');
    await context.close();
  });

  it('fits a 1024 px desk without horizontal scrolling', async () => {
    const { context, page } = await desk(1024, 768);
    await signIn(page, 'admin', 'rongmei-admin-dev');
    await page.goto(`${e2e.stack.apiUrl}/console/stats/dashboard`);
    await page.getByTestId('chart-points').locator('canvas').waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    await page.waitForTimeout(300);
    await shot(page, 'dashboard-1024');
    await context.close();
  });
});
