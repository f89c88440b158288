/**
 * Contest voting in the H5 build (Chromium, phone viewport) against the whole seeded e2e.stack. The admin
 * sets up a contest through the API (entry round open now, public voting a few seconds later, 1 vote per
 * entry per day); a resident, signed in silently in their own phone, files a photo through the API with
 * their session; once voting opens (advance job run through the admin endpoint, which shortlists every
 * entry when there is no jury round) a second citizen opens the entry page (totals hidden while voting is
 * open), votes and sees 投票成功, then taps 投票 again and sees the per-entry daily limit message in Chinese.
 */
import type { Page } from 'playwright-core';
import { current, eventually, phoneContext, shot, step } from './browser';
import { uploadPng } from './stack';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

const { api } = e2e;

/** Waits until `read()` contains `text`. */

/** The access token of the session the H5 app stored after its silent WeChat login. */
async function sessionToken(page: Page): Promise<string> {
  await page.waitForFunction("!!localStorage.getItem('rongmei.session')", undefined, { timeout: 30_000 });
  const stored = JSON.parse(await page.evaluate<string>("localStorage.getItem('rongmei.session')")) as { data: string };
  return (JSON.parse(stored.data) as { accessToken: string }).accessToken;
}

const DAY = 86_400_000;

describe('contest voting in the H5 app', () => {
  it('a citizen votes for an entry, then sees the per-entry daily limit in Chinese', async () => {
    const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'admin', password: 'rongmei-admin-dev' },
    });
    expect(login.status).toBe(200);
    const admin = login.body.accessToken;
    const now = Date.now();
    const votingAt = now + 20_000;
    const created = await api<{ contest: { id: string } }>('/api/v1/contests', {
      token: admin,
      body: {
        title: '端到端测试：家乡的秋天',
        description: '摄影大赛（端到端测试）',
        rounds: [
          { kind: 'submission', startsAt: new Date(now - 3600_000).toISOString() },
          { kind: 'voting', startsAt: new Date(votingAt).toISOString() },
          { kind: 'judging', startsAt: new Date(now + 10 * DAY).toISOString() },
          { kind: 'results', startsAt: new Date(now + 14 * DAY).toISOString() },
        ],
        voting: { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: true, newAccountHours: 72, maxUsersPerDevice: 2 },
      },
    });
    expect(created.status).toBe(201);
    const contestId = created.body.contest.id;

    // The author: a resident whose phone signed in silently; the photo is filed with that session.
    const authorContext = await phoneContext(e2e.browser);
    const authorPage = await authorContext.newPage();
    const entryId = await step(authorPage, 'ct-file', async () => {
      await authorPage.goto(`${e2e.stack.h5Url}/#/subpackages/contests/pages/index/index?id=${contestId}`);
      const token = await sessionToken(authorPage);
      // The photo goes through our storage API like the app's picker sends it: nothing from an outside host.
      const photo = await uploadPng(e2e.stack.apiUrl, token);
      const filed = await api<{ entry: { id: string } }>(`/api/v1/contests/${contestId}/entries`, {
        token,
        body: { kind: 'photo', title: '赤水河畔秋色', imageUrls: [photo] },
      });
      expect(filed.status).toBe(201);
      return filed.body.entry.id;
    });
    await authorContext.close();

    // Voting opens: the advance job (run now through the admin endpoint) shortlists every entry.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, votingAt - Date.now() + 1_000)));
    const until = Date.now() + 60_000;
    let shortlisted = false;
    while (!shortlisted && Date.now() < until) {
      expect((await api('/api/v1/admin/contests/advance', { token: admin, body: {} })).status).toBe(200);
      shortlisted = (await api<{ entry: { shortlisted: boolean } }>(`/api/v1/contest-entries/${entryId}`)).body.entry.shortlisted;
      if (!shortlisted) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(shortlisted).toBe(true);

    const context = await phoneContext(e2e.browser);
    const page = await context.newPage();
    await step(page, 'ct-entry', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/subpackages/contests/pages/entry/index?id=${entryId}`);
      const entry = current(page, '[data-testid=ct-entry]');
      await entry.waitFor({ timeout: 60_000 });
      await sessionToken(page);
      await expect(entry.textContent()).resolves.toContain('赤水河畔秋色');
      await expect(entry.textContent()).resolves.toContain('票数投票结束后公布');
      await shot(page, 'contests-entry');
    });

    await step(page, 'ct-vote', async () => {
      await current(page, '[data-testid=ct-vote]').tap();
      const note = async () =>
        (await current(page, '[data-testid=ct-vote-note]')
          .textContent()
          .catch(() => '')) ?? '';
      await eventually(note, '投票成功，今天还可投 2 票');
      await shot(page, 'contests-voted');
    });

    await step(page, 'ct-vote-limit', async () => {
      const button = current(page, '[data-testid=ct-vote]');
      // The page reloads the entry after a vote; wait until the button is usable again.
      await page.waitForFunction(
        "!document.querySelector('.taro_page_show [data-testid=ct-vote]')?.className.includes('loading')",
        undefined,
        { timeout: 30_000 },
      );
      await button.tap();
      const note = async () =>
        (await current(page, '[data-testid=ct-vote-note]')
          .textContent()
          .catch(() => '')) ?? '';
      await eventually(note, '今天已为该作品投过 1 票');
      await shot(page, 'contests-vote-limit');
    });
    await context.close();
  });
});
