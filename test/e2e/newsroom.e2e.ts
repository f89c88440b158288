/**
 * The newsroom path against the whole seeded stack, ending in the H5 build (Chromium, phone viewport).
 * The mini-program has no pages yet for filing or reviewing pieces, so those steps go through the API:
 * a seeded correspondent (WeChat login with a code minted by the WeChat fake) uploads a PNG
 * (POST /api/v1/files), files a piece carrying it and submits it; the seeded editor (console login)
 * claims it, waits for WeChat's image verdict (pushed by the fake), approves and publishes it.
 * In the UI: a citizen sees the piece at the top of the home feed, opens it, and the article page shows
 * its title and the uploaded image (its bytes checked through the API). Note: `npm start` gives the WeChat
 * fake no push URL, so the test points it at /api/v1/wechat/push itself before uploading.
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

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** The first correspondent of the first seeded circle (scripts/seed/steps/newsroom.ts, seed person 101). */
const CORRESPONDENT_OPENID = `oSEED${String(101).padStart(23, '0')}`;
const fakeUrl = () => stack.wechatFakeUrl.replace(/\/$/, '');
const TITLE = '端到端测试：赤水河畔秋收忙';

async function api<T>(path: string, init: { token?: string; body?: object } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: init.body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls `read()` until `done` holds for its value. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    last = await read();
  }
  return last;
}

describe('newsroom: from a correspondent to the H5 feed', () => {
  it('a correspondent files a piece with an image, an editor approves it, and it appears in the feed', async () => {
    // The correspondent signs in as the mini-program would: a login code from (fake) WeChat.
    const minted = await fetch(`${fakeUrl()}/__fake/login-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: CORRESPONDENT_OPENID }),
    });
    expect(minted.status).toBe(200);
    const { code } = (await minted.json()) as { code: string };
    const wx = await api<{ accessToken: string; user: { roles: Array<{ role: string }> } }>('/api/v1/auth/wechat-login', {
      body: { code },
    });
    expect(wx.status).toBe(200);
    expect(wx.body.user.roles.map((r) => r.role)).toContain('correspondent');
    const writer = wx.body.accessToken;

    // `npm start` gives the WeChat fake no push URL, so image verdicts would never arrive: point it at our
    // push endpoint, as one configures 消息推送 in the WeChat console (see the report in the commit).
    const target = await fetch(`${fakeUrl()}/__fake/push-target`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${stack.apiUrl}/api/v1/wechat/push` }),
    });
    expect(target.status).toBe(200);

    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'autumn.png');
    const uploaded = await fetch(`${stack.apiUrl}/api/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const { file } = (await uploaded.json()) as { file: { id: string; url: string } };

    const filed = await api<{ submission: { id: string } }>('/api/v1/submissions', {
      token: writer,
      body: {
        title: TITLE,
        body: '赤水河畔的稻田迎来丰收，村民们趁着晴好天气抢收晾晒。',
        imageIds: [file.id],
        copyright: 'non_exclusive',
        originalityStatement: true,
      },
    });
    expect(filed.status).toBe(201);
    const id = filed.body.submission.id;
    expect((await api(`/api/v1/submissions/${id}/submit`, { token: writer, body: {} })).status).toBe(200);

    const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
      body: { username: 'editor', password: 'rongmei-editor-dev' },
    });
    expect(login.status).toBe(200);
    const editor = login.body.accessToken;
    expect((await api(`/api/v1/submissions/${id}/claim`, { token: editor, body: {} })).status).toBe(200);
    // WeChat's verdict on the image arrives asynchronously (the fake pushes it to our push URL).
    const checked = await until(
      async () => (await api<{ submission: { images: Array<{ safety: string }> } }>(`/api/v1/submissions/${id}`, { token: editor })).body,
      (b) => b.submission?.images?.[0]?.safety === 'pass',
    );
    expect(checked.submission.images[0]?.safety).toBe('pass');
    expect((await api(`/api/v1/submissions/${id}/approve`, { token: editor, body: { grade: 'B' } })).status).toBe(200);
    expect((await api(`/api/v1/submissions/${id}/publish`, { token: editor, body: {} })).status).toBe(200);

    const context = await phoneContext(browser);
    const page = await context.newPage();
    await step(page, 'nr-feed', async () => {
      await page.goto(`${stack.h5Url}/#/pages/index/index`);
      const item = current(page, `[data-testid=feed-item]:has-text("${TITLE}")`);
      await item.waitFor({ timeout: 60_000 });
      await expect(current(page, '[data-testid=feed-item]').textContent()).resolves.toContain(TITLE);
      await shot(page, 'newsroom-feed');
      await item.tap();
    });

    await step(page, 'nr-article', async () => {
      const title = current(page, '[data-testid=article-title]');
      await title.waitFor({ timeout: 60_000 });
      await expect(title.textContent()).resolves.toContain(TITLE);
      const figure = current(page, '.article-page__figure');
      await figure.waitFor({ state: 'attached', timeout: 30_000 });
      // The uploaded file, as the API stored it (its absolute URL is built from the configured PORT, which
      // is 0 under this stack, so the browser cannot load it here: the bytes are checked through the API).
      const src = (await figure.locator('taro-image-core').getAttribute('src')) ?? '';
      expect(src).toBe(file.url);
      const served = await fetch(`${stack.apiUrl}${new URL(src).pathname}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
      await shot(page, 'newsroom-article');
    });
    await context.close();
  });
});
