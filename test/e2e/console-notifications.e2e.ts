/**
 * 通知统计 at a desk (Chromium, 1440×900) against the whole stack as `npm start` runs it. The seed launches a
 * campaign to its circles' correspondents (an in-app message each; none accepted the subscribe template, so their
 * subscribe messages are refused as no_consent). An editor opens 通知统计: the chart by day draws on a canvas, the
 * table by kind shows 专题活动 with the reason, and the outbox list filtered to 未订阅/被拒 shows those rows.
 * Screenshots: test-results/e2e/console-notifications.png (chart and table), console-notifications-outbox.png.
 */
import type { NoticeStatsResponse } from '@shared/schemas/notifications';
import { step } from './browser';
import { consoleHelpers } from './console-helpers';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { desk, shot, signIn } = consoleHelpers(e2e);

describe('通知统计', () => {
  it('has the seeded campaign launch in its figures', async () => {
    const login = await e2e.api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'editor', password: 'rongmei-editor-dev' },
    });
    const stats = await e2e.api<NoticeStatsResponse>('/api/v1/notifications/stats', { token: login.body.accessToken });
    expect(stats.status).toBe(200);
    const campaigns = stats.body.rows.filter((r) => r.kind === 'campaigns');
    expect(campaigns.reduce((n, r) => n + r.inApp, 0)).toBeGreaterThan(0);
  });

  it('draws the chart, the table by kind and the outbox rows for an editor', async () => {
    const { context, page } = await desk();
    await step(page, 'console-notifications', async () => {
      await signIn(page, 'editor', 'rongmei-editor-dev');
      await page.getByRole('menuitem', { name: '通知统计' }).click();
      const chart = page.getByTestId('chart-notices');
      await chart.locator('canvas').first().waitFor({ timeout: 30_000 });
      expect(await chart.locator('.ant-empty').count()).toBe(0);
      const byKind = page.getByTestId('notices-by-kind');
      await byKind.locator('tbody tr.ant-table-row', { hasText: '专题活动' }).waitFor();
      expect(await byKind.locator('tbody tr.ant-table-row', { hasText: '专题活动' }).innerText()).toContain('用户未订阅');

      await page.locator('.ant-select', { hasText: '全部结果' }).click();
      await page.locator('.ant-select-item-option', { hasText: '未订阅/被拒' }).click();
      const rows = page.locator('.ant-card', { hasText: '订阅消息发送记录' }).locator('tbody tr.ant-table-row');
      await rows.first().waitFor();
      expect(await rows.first().innerText()).toContain('no_consent');
      await page.waitForTimeout(300);
      await shot(page, 'notifications-outbox');
      await page.evaluate('window.scrollTo(0, 0)');
      await page.waitForTimeout(300);
      await shot(page, 'notifications');
    });
    await context.close();
  });
});
