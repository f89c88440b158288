/**
 * The console's community pages (Chromium, 1440×900, the whole stack): an editor turns on 先审后发 for comments,
 * a reader's comment waits in 评论审核 and is taken down with a reason (an empty reason is refused under its
 * field first); an admin creates a circle and appoints its leader by searching for the person, creates a
 * volunteer team, and voids a flagged vote of the seeded photo contest. Each outcome is checked through the API;
 * every page is saved as test-results/e2e/console-*.png.
 */
import type { FeedResponse } from '@shared/schemas/newsroom';
import { step } from './browser';
import { consoleHelpers } from './console-helpers';
import { e2eSuite } from './suite';

const e2e = e2eSuite();
const { api } = e2e;
const stamp = Date.now() % 100000;
const VOTER = `新来的投票人${stamp}`;
const COMMENT = `东街的路灯修好了吗？${stamp}`;
const CIRCLE = `城关镇通讯员圈${stamp}`;
const TEAM = `东街青年志愿服务队${stamp}`;
const CONTEST_TITLE = '四季之美·摄影大赛';

const { desk, shot, signIn, settle, tableReady, staffToken, wechatReader, fitsSmallDesk } = consoleHelpers(e2e);

/** A fresh WeChat reader (a new account: its contest votes are flagged), named `nickname` when given. */
async function reader(nickname?: string): Promise<string> {
  return (await wechatReader(nickname)).token;
}

describe('staff console community pages', () => {
  it('lets an editor hold comments for approval and take a held one down with a reason', async () => {
    const { context, page, problems } = await desk();
    const editor = await staffToken('editor', 'rongmei-editor-dev');

    await step(page, 'console-comment-settings', async () => {
      await signIn(page, 'editor', 'rongmei-editor-dev');
      await page.getByRole('menuitem', { name: '评论审核' }).click();
      await tableReady(page);
      await page.getByRole('tab', { name: '评论设置' }).click();
      const approval = page.getByLabel('全部评论先审后发');
      await approval.waitFor();
      await page.getByRole('button', { name: '保存设置' }).and(page.locator(':enabled')).waitFor();
      // A threshold of 0: the API's schema refuses it, under the field, before anything is sent.
      await page.getByLabel('举报隐藏阈值').fill('0');
      await page.getByRole('button', { name: '保存设置' }).click();
      await page.locator('.ant-form-item-explain-error').first().waitFor();
      await shot(page, 'comment-settings-error');
      await page.getByLabel('举报隐藏阈值').fill('3');
      await approval.click();
      await page.getByRole('button', { name: '保存设置' }).click();
      await page.getByText('评论设置已保存').waitFor();
      await shot(page, 'comment-settings');
      const settings = await api<{ settings: { requireApproval: boolean } }>('/api/v1/comments/settings', { token: editor });
      expect(settings.body.settings.requireApproval).toBe(true);
    });

    let commentId = '';
    await step(page, 'console-comment-queue', async () => {
      const feed = await api<FeedResponse>('/api/v1/feed?limit=20');
      const article = feed.body.items[0]!;
      const posted = await api<{ comment: { id: string }; held: boolean }>(`/api/v1/articles/${article.id}/comments`, {
        token: await reader(),
        body: { text: COMMENT },
      });
      expect(posted.status).toBe(201);
      expect(posted.body.held).toBe(true);
      commentId = posted.body.comment.id;
      await page.getByRole('tab', { name: '审核队列' }).click();
      await page.reload();
      const row = page.locator('tbody tr', { hasText: COMMENT });
      await row.waitFor();
      await row.getByText('栏目需先审后发').waitFor();
      await tableReady(page);
      await settle(page);
      await shot(page, 'comments');
      await row.getByRole('button', { name: '驳回' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: '驳回' }).click();
      await dialog.locator('.ant-form-item-explain-error').waitFor();
      await dialog.getByLabel('理由（记入审计日志）').fill('与文章无关的广告');
      await settle(page);
      await shot(page, 'comment-reject');
      await dialog.getByRole('button', { name: '驳回' }).click();
      await page.getByText('已驳回，评论不再展示').waitFor();
      await row.waitFor({ state: 'detached' });
    });
    const queue = await api<{ items: Array<{ id: string }> }>('/api/v1/comments/queue', { token: editor });
    expect(queue.body.items.map((c) => c.id)).not.toContain(commentId);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an admin create a circle and appoint its leader, create a volunteer team, and void a flagged vote', async () => {
    const { context, page, problems } = await desk();
    const admin = await staffToken('admin', 'rongmei-admin-dev');

    await step(page, 'console-circles', async () => {
      await signIn(page, 'admin', 'rongmei-admin-dev');
      await page.getByRole('menuitem', { name: '圈层管理' }).click();
      await tableReady(page);
      await page.getByRole('button', { name: '新建圈子' }).click();
      const dialog = page.getByRole('dialog');
      // No name: the API's schema says so under the field.
      await dialog.getByLabel('圈子简介').fill('城关镇各社区的通讯员，报道身边的新鲜事。');
      await dialog.getByRole('button', { name: '创建' }).click();
      await dialog.locator('.ant-form-item-explain-error').first().waitFor();
      await dialog.getByLabel('圈子名称').fill(CIRCLE);
      await settle(page);
      await shot(page, 'circle-new');
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByText('圈子已创建').waitFor();
      const row = page.locator('tbody tr', { hasText: CIRCLE });
      await row.getByText('未任命').waitFor();
      await row.getByRole('button', { name: '任命圈长' }).click();
      const appoint = page.getByRole('dialog');
      await appoint.getByLabel('圈长').fill('editor');
      await page.locator('.ant-select-item-option', { hasText: '（editor）' }).click();
      await settle(page);
      await shot(page, 'circle-leader');
      await appoint.getByRole('button', { name: '任命' }).click();
      await page.getByText('已任命圈长').waitFor();
      await row.locator('.ant-tag').first().waitFor();
      await settle(page);
      await shot(page, 'circles');
      const circles = await api<{ items: Array<{ name: string; leaderIds: string[] }> }>(`/api/v1/circles?q=${encodeURIComponent(CIRCLE)}`);
      expect(circles.body.items.find((c) => c.name === CIRCLE)?.leaderIds).toHaveLength(1);
    });

    await step(page, 'console-teams', async () => {
      await page.getByRole('menuitem', { name: '志愿团队' }).click();
      await tableReady(page);
      await page.getByRole('button', { name: '新建队伍' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('队伍名称').fill(TEAM);
      await dialog.getByLabel('所在区域').fill('城关镇');
      await dialog.getByLabel('队伍简介').fill('敬老助残、文明劝导、环境整治。');
      await settle(page);
      await shot(page, 'team-new');
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByText('队伍已创建').waitFor();
      await page.locator('tbody tr', { hasText: TEAM }).waitFor();
      await tableReady(page);
      await settle(page);
      await shot(page, 'teams');
      const teams = await api<{ items: Array<{ name: string; area: string }> }>(`/api/v1/volunteers/teams?q=${encodeURIComponent(TEAM)}`);
      expect(teams.body.items.find((t) => t.name === TEAM)).toMatchObject({ area: '城关镇' });
    });

    await step(page, 'console-flagged-votes', async () => {
      // The list pages (newest first): ask for this one by title rather than hope it is on the first page.
      const contests = await api<{ items: Array<{ id: string; title: string; phase: string }> }>(
        `/api/v1/contests?q=${encodeURIComponent(CONTEST_TITLE)}`,
      );
      const contest = contests.body.items.find((c) => c.title.endsWith(CONTEST_TITLE))!;
      expect(contest.phase).toBe('voting');
      const entries = await api<{ items: Array<{ id: string; title: string }> }>(`/api/v1/contests/${contest.id}/entries`);
      const entry = entries.body.items[0]!;
      const voted = await api<{ voteId: string }>(`/api/v1/contests/${contest.id}/entries/${entry.id}/votes`, {
        token: await reader(VOTER),
        body: {},
      });
      expect(voted.status).toBe(201);
      await page.getByRole('menuitem', { name: '入围与可疑投票' }).click();
      // The voter by nickname, not by id.
      const row = page.locator('tbody tr', { hasText: '新注册账号' }).filter({ hasText: entry.title }).filter({ hasText: VOTER }).first();
      await row.waitFor();
      await tableReady(page);
      await settle(page);
      await shot(page, 'flagged-votes');
      await row.getByRole('button', { name: '作废' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('作废理由（记入审计日志）').fill('新注册账号集中投票');
      await settle(page);
      await shot(page, 'vote-void');
      await dialog.getByRole('button', { name: '作废' }).click();
      await page.getByText('已作废，票数随之减少').waitFor();
      const voided = await api<{ items: Array<{ id: string; voidReason: string | null }> }>(
        `/api/v1/contests/${contest.id}/flagged-votes?status=void`,
        { token: admin },
      );
      expect(voided.body.items.find((v) => v.id === voted.body.voteId)?.voidReason).toBe('新注册账号集中投票');
      await page.getByRole('tab', { name: '作品初选' }).click();
      await page.locator('tbody tr', { hasText: entry.title }).first().waitFor();
      await settle(page);
      await shot(page, 'contest-shortlist');
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a 1024 px desk without horizontal scrolling on the community pages', async () => {
    await fitsSmallDesk(['review/comments', 'community/circles', 'community/teams', 'contests/review']);
  });
});
