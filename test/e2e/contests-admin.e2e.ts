/**
 * The admin pages of issue 9 in the H5 build (Chromium, phone viewport) against the whole seeded e2e.stack.
 * The admin signs in with a password, opens 工作台 → 专题与比赛 and:
 * - launches a campaign through 发起专题 (an empty tag is refused in Chinese by the shared schema first;
 *   a cover image uploaded through the storage API, a target circle picked from the circles API), and
 *   lands on the campaign page;
 * - configures a contest through 配置比赛: entry modes, the campaign's tag, rounds edited (a round added
 *   and removed; one moved out of order is refused with the round named, then moved back), vote limits,
 *   hidden totals switched off, a juror found by name, weights (a sum other than 100 is refused), the
 *   tie-break rule (votes first), awards; and lands on the contest page (not started yet);
 * - changes it through 修改配置 (the form comes filled in; the open call brought forward to now, a limit
 *   raised), and the contest page shows it open with the new limit.
 * The API then holds exactly what the forms said, and a citizen's phone shows both on the public pages.
 */
import { current, eventually, phoneContext, sessionToken, shot, staffLogin, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

const api = <T>(path: string, token?: string) => e2e.api<T>(path, { token });

/** "YYYY-MM-DD HH:mm" in Shanghai time, as the forms take it. */
function shanghai(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
const MINUTE = 60_000;
const DAY = 86_400_000;

/** A 1×1 PNG: the storage API checks the real type from the bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface CampaignView {
  id: string;
  title: string;
  tag: string;
  cover: string | null;
  targetCircleIds: string[];
  bonusPoints: number;
  status: string;
}
interface ContestView {
  id: string;
  title: string;
  campaign: string | null;
  rounds: Array<{ kind: string; startsAt: string }>;
  entryKinds: string[];
  maxEntriesPerPerson: number;
  voting: { perUserPerDay: number; perEntryPerDay: number; hideTotals: boolean };
  juryWeight: number;
  publicWeight: number;
  jurorIds: string[];
  tieBreak: string;
  awards: Array<{ label: string; count: number; points: number }>;
}

describe('campaign and contest admin pages in the H5 app', () => {
  it('an admin launches a campaign and configures a contest with rounds; both show on the public pages', async () => {
    const run = Date.now() % 100_000;
    const campaignTitle = `端到端专题 ${run}`;
    const tag = `端到端春${run}`;
    const contestTitle = `端到端比赛 ${run}`;
    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    const input = (id: string) => current(page, `[data-testid=${id}] input`);
    const text = (id: string) => async () =>
      (await current(page, `[data-testid=${id}]`)
        .textContent()
        .catch(() => '')) ?? '';

    await step(page, 'admin-login', async () => {
      await staffLogin(page, e2e.stack.h5Url, 'admin', 'rongmei-admin-dev');
      await current(page, '[data-testid=entry-staff]').tap();
      await current(page, '[data-testid=staff-home]').waitFor();
      await page.locator('.taro_page_show .rm-list-item', { hasText: '专题与比赛' }).first().tap();
      await current(page, '[data-testid=ct-admin]').waitFor({ timeout: 30_000 });
    });
    const admin = await sessionToken(page);

    const campaignId = await step(page, 'cp-launch', async () => {
      await current(page, '[data-testid=ct-admin-launch]').tap();
      await input('cp-title').waitFor({ timeout: 30_000 });
      await input('cp-title').fill(campaignTitle);
      await current(page, '[data-testid=cp-description] textarea').fill('用镜头记录家乡的春天（端到端测试）');
      await input('cp-startsAt').fill(shanghai(Date.now() - 60 * MINUTE));
      await input('cp-endsAt').fill(shanghai(Date.now() + 30 * DAY));
      await input('cp-bonusPoints').fill('20');
      await current(page, '[data-testid=cp-circle]').waitFor({ timeout: 30_000 });
      await current(page, '[data-testid=cp-circle]').tap();

      const chooser = page.waitForEvent('filechooser');
      await current(page, '[data-testid=cp-cover-choose]').tap();
      await (await chooser).setFiles({ name: 'cover.png', mimeType: 'image/png', buffer: PNG });
      await current(page, '[data-testid=cp-cover-preview]').waitFor({ timeout: 30_000 });

      // No tag yet: the shared schema refuses before anything is sent.
      await current(page, '[data-testid=cp-submit]').tap();
      await eventually(text('cp-error'), '投稿话题不能为空');
      await shot(page, 'contests-admin-campaign-form');

      await input('cp-tag').fill(tag);
      await current(page, '[data-testid=cp-submit]').tap();
      const detail = current(page, '[data-testid=cp-detail]');
      await detail.waitFor({ timeout: 30_000 });
      await eventually(async () => (await detail.textContent()) ?? '', `话题「${tag}」`);
      await expect(detail.textContent()).resolves.toContain('审核通过的稿件额外奖励 20 积分');
      await shot(page, 'contests-admin-campaign-page');
      const id = /[?&]id=([0-9a-f]{24})/.exec(page.url())?.[1];
      expect(id).toBeDefined();
      return id!;
    });

    const { body: campaignPage } = await api<{ campaign: CampaignView }>(`/api/v1/campaigns/${campaignId}`);
    expect(campaignPage.campaign).toMatchObject({ title: campaignTitle, tag, bonusPoints: 20, status: 'running' });
    expect(campaignPage.campaign.targetCircleIds).toHaveLength(1);
    expect(campaignPage.campaign.cover).toMatch(/\/api\/v1\/files\/[0-9a-f]{24}\.png$/);

    const contestId = await step(page, 'ct-configure', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/contests/pages/admin/index`);
      await current(page, '[data-testid=ct-admin]').waitFor({ timeout: 30_000 });
      await eventually(text('ct-admin'), campaignTitle);
      await shot(page, 'contests-admin-list');
      await current(page, '[data-testid=ct-admin-configure]').tap();
      await input('ct-f-title').waitFor({ timeout: 30_000 });
      await input('ct-f-title').fill(contestTitle);
      await current(page, '[data-testid=ct-f-description] textarea').fill('寻找家乡四季之美（端到端测试）');

      await current(page, '[data-testid=ct-kind-video]').tap();
      await page.locator('.taro_page_show [data-testid=ct-campaign]', { hasText: tag }).tap();
      await input('ct-f-maxEntriesPerPerson').fill('2');

      // Rounds: open call tomorrow, then shortlist, public vote and results; a jury round added, then removed.
      const now = Date.now();
      await input('ct-round-start-0').fill(shanghai(now + DAY));
      await input('ct-round-start-1').fill(shanghai(now + 7 * DAY));
      await input('ct-round-start-2').fill(shanghai(now + 10 * DAY));
      await input('ct-round-start-3').fill(shanghai(now + 17 * DAY));
      await current(page, '[data-testid=ct-round-add-judging]').tap();
      await eventually(text('ct-round-label-3'), '评委打分');
      await current(page, '[data-testid=ct-round-remove-3]').tap();
      await eventually(text('ct-round-label-3'), '结果公布');

      // The public vote moved before the shortlist is refused, naming the round; moved back it passes.
      await current(page, '[data-testid=ct-round-up-2]').tap();
      await eventually(text('ct-round-label-1'), '公众投票');
      await current(page, '[data-testid=ct-submit]').tap();
      await eventually(text('ct-error'), '第 3 轮：轮次顺序无效或重复');
      await current(page, '[data-testid=ct-round-down-1]').tap();
      await eventually(text('ct-round-label-1'), '评委初选');

      await input('ct-f-perUserPerDay').fill('5');
      await input('ct-f-perEntryPerDay').fill('2');
      await current(page, '[data-testid=ct-hide-totals]').tap();

      await input('ct-juror-query').fill('editor');
      await current(page, '[data-testid=ct-juror-search]').tap();
      await current(page, '[data-testid=ct-juror-found]').waitFor({ timeout: 30_000 });
      await current(page, '[data-testid=ct-juror-found]').tap();
      await current(page, '[data-testid=ct-juror]').waitFor();

      // Weights must add up to 100.
      await input('ct-f-juryWeight').fill('60');
      await current(page, '[data-testid=ct-submit]').tap();
      await eventually(text('ct-error'), '评委与公众权重之和必须为 100');
      await input('ct-f-publicWeight').fill('40');

      await current(page, '[data-testid=ct-tie-votes]').tap();
      await current(page, '[data-testid=ct-award-remove-2]').tap();
      await input('ct-award-points-0').fill('800');
      await shot(page, 'contests-admin-contest-form');

      await current(page, '[data-testid=ct-submit]').tap();
      const contest = current(page, '[data-testid=ct-contest]');
      await contest.waitFor({ timeout: 30_000 });
      await eventually(async () => (await contest.textContent()) ?? '', contestTitle);
      const shown = (await contest.textContent()) ?? '';
      for (const label of ['作品征集', '评委初选', '公众投票', '结果公布']) expect(shown).toContain(label);
      expect(shown).not.toContain('评委打分');
      expect(shown).toContain('每人每天 5 票，同一作品每天 2 票；评委评分占 60%，公众投票占 40%');
      expect(shown).toContain('总分相同时，依次比较：公众票数多者在前');
      expect(shown).toContain('即将开始');
      await shot(page, 'contests-admin-contest-page');
      const id = /[?&]id=([0-9a-f]{24})/.exec(page.url())?.[1];
      expect(id).toBeDefined();
      return id!;
    });

    const { body: stored } = await api<{ contest: ContestView }>(`/api/v1/contests/${contestId}`);
    const editor = await api<{ items: Array<{ id: string; username: string | null }> }>('/api/v1/admin/users?q=editor', admin);
    const editorId = editor.body.items.find((u) => u.username === 'editor')?.id;
    expect(editorId).toBeDefined();
    expect(stored.contest).toMatchObject({
      title: contestTitle,
      campaign: tag,
      entryKinds: ['submission', 'photo'],
      maxEntriesPerPerson: 2,
      voting: { perUserPerDay: 5, perEntryPerDay: 2, hideTotals: false },
      juryWeight: 60,
      publicWeight: 40,
      tieBreak: 'votes',
      jurorIds: [editorId],
      awards: [
        { label: '一等奖', count: 1, points: 800 },
        { label: '二等奖', count: 2, points: 300 },
      ],
    });
    expect(stored.contest.rounds.map((r) => r.kind)).toEqual(['submission', 'shortlist', 'voting', 'results']);

    await step(page, 'ct-reconfigure', async () => {
      // Not started yet: 修改配置 opens the form filled in; the open call is brought forward to now.
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/contests/pages/admin/index`);
      const card = page.locator('.taro_page_show [data-testid=ct-admin-contest]', { hasText: contestTitle });
      await card.waitFor({ timeout: 30_000 });
      await card.locator('[data-testid=ct-admin-edit]').tap();
      await input('ct-f-title').waitFor({ timeout: 30_000 });
      await eventually(() => input('ct-f-title').inputValue(), contestTitle);
      await expect(input('ct-f-perUserPerDay').inputValue()).resolves.toBe('5');
      await expect(current(page, '[data-testid=ct-configure]').textContent()).resolves.toContain('已任命 1 名评委');
      await input('ct-round-start-0').fill(shanghai(Date.now() - 10 * MINUTE));
      await input('ct-f-perUserPerDay').fill('6');
      await current(page, '[data-testid=ct-submit]').tap();
      const contest = current(page, '[data-testid=ct-contest]');
      await contest.waitFor({ timeout: 30_000 });
      await eventually(async () => (await contest.textContent()) ?? '', '每人每天 6 票');
      await expect(contest.textContent()).resolves.toContain('作品征集中');
      await shot(page, 'contests-admin-contest-reconfigured');
    });
    const { body: changed } = await api<{ contest: ContestView & { phase: string } }>(`/api/v1/contests/${contestId}`);
    expect(changed.contest).toMatchObject({ phase: 'submission', voting: { perUserPerDay: 6, perEntryPerDay: 2 }, jurorIds: [editorId] });
    expect(changed.contest.rounds.map((r) => r.kind)).toEqual(['submission', 'shortlist', 'voting', 'results']);
    await context.close();

    // A citizen's phone: both on the public pages.
    const citizen = await phoneContext(e2e.browser);
    const other = await citizen.newPage();
    await step(other, 'public-pages', async () => {
      await other.goto(`${e2e.stack.h5Url}/#/subpackages/campaigns/pages/detail/index?id=${campaignId}`);
      const detail = current(other, '[data-testid=cp-detail]');
      await detail.waitFor({ timeout: 60_000 });
      await expect(detail.textContent()).resolves.toContain(campaignTitle);
      await other.goto(`${e2e.stack.h5Url}/#/subpackages/contests/pages/index/index?id=${contestId}`);
      const contest = current(other, '[data-testid=ct-contest]');
      await contest.waitFor({ timeout: 60_000 });
      await eventually(async () => (await contest.textContent()) ?? '', contestTitle);
      await expect(contest.textContent()).resolves.toContain('作品征集中');
      await shot(other, 'contests-admin-public-contest');
    });
    await citizen.close();
  });
});
