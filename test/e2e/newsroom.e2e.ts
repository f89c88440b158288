/**
 * The newsroom in the H5 build (Chromium, phone viewport) against the whole seeded stack, every step
 * through the pages:
 * - a seeded correspondent (circle 融媒+教育; the dev login mints a WeChat code for their openid) opens
 *   我的 → 通讯员投稿 → 写稿, is told what is missing, picks images (a BMP and an over-5 MB PNG are refused
 *   with the API's Chinese messages, a PNG is uploaded through the storage API), fills place, copyright
 *   and the originality statement and submits; the piece page shows its state and timeline;
 * - the seeded editor signs in on the staff login page, opens 工作台 → 稿件审核, finds the piece in the
 *   queue, claims it, grades it B, approves and publishes it;
 * - a citizen sees it at the top of the feed and opens the article with the uploaded image.
 * And a return for revision: the circle leader recommends a second piece from 圈子管理, the editor
 * returns it with a comment, and the correspondent sees the comment on the piece and in the timeline,
 * edits and resubmits it. A citizen applies to become a correspondent (the phone is bound through the
 * API, standing in for WeChat's getPhoneNumber button) and the circle leader approves on 通讯员申请审核.
 * An editor assigns a topic (选题) from a piece page; its author accepts it and files against it, and the
 * editor approves that piece and schedules it for tomorrow morning.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { answerSubscribe, current, eventually, phoneContext, shot, step } from './browser';
import { e2eSuite } from './suite';

const e2e = e2eSuite();

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** A 1×1 24-bit BMP: an image the browser shows but the storage API does not take. */
const BMP = Buffer.concat([
  Buffer.from('BM', 'ascii'),
  Buffer.from([58, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0]),
  Buffer.from([40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0, 0, 0, 0, 0, 4, 0, 0, 0]),
  Buffer.from([0x13, 0x0b, 0, 0, 0x13, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  Buffer.from([0, 0, 255, 0]),
]);
/** A valid PNG padded past the 5 MB limit (bytes after IEND are ignored by decoders). */
const BIG_PNG = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1024)]);

/** Seed people (scripts/seed/steps/newsroom.ts): 100 leads circle 融媒+教育, 101 is its first correspondent. */
const seedOpenid = (n: number) => `oSEED${String(n).padStart(23, '0')}`;
const LEADER_OPENID = seedOpenid(100);
const CORRESPONDENT_OPENID = seedOpenid(101);
const TITLE = `端到端测试：赤水河畔秋收忙${Date.now() % 100000}`;
const TITLE_2 = `端到端测试：村小新添图书角${Date.now() % 100000}`;
const TOPIC = `县图书馆冬季阅读月${Date.now() % 100000}`;
/** The first test's piece (the fourth assigns a topic to its author from its page). */
let firstPieceId = '';
const RETURN_NOTE = '请补充图书的数量和来源，并核实学校全称';

const { api } = e2e;

async function editorToken(): Promise<string> {
  const login = await api<{ accessToken: string }>('/api/v1/auth/staff-login', {
    body: { username: 'editor', password: 'rongmei-editor-dev' },
  });
  expect(login.status).toBe(200);
  return login.body.accessToken;
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

/** A phone whose (dev) WeChat login is the given seeded person: the app asks the fake for a code for this openid. */
async function wechatPhone(openid: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(e2e.browser);
  // Runs in every document, the new tab's about:blank too, where storage is off limits (reading it throws):
  // only the app's own pages get the openid.
  await context.addInitScript(
    `if (location.protocol.startsWith('http')) localStorage.setItem('rongmei.dev-openid', ${JSON.stringify(JSON.stringify({ data: openid }))});`,
  );
  return { context, page: await context.newPage() };
}

/** The editor's phone, signed in on the staff login page. */
async function editorPhone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(e2e.browser);
  const page = await context.newPage();
  await page.goto(`${e2e.stack.h5Url}/#/subpackages/staff/pages/login/index`);
  await current(page, '[data-testid=staff-username] input').waitFor({ timeout: 60_000 });
  await current(page, '[data-testid=staff-username] input').fill('editor');
  await current(page, '[data-testid=staff-password] input').fill('rongmei-editor-dev');
  await current(page, '[data-testid=staff-submit]').tap();
  await current(page, '[data-testid=entry-staff]').waitFor({ timeout: 30_000 });
  return { context, page };
}

/** The text of the visible element with this test id (a page replaced by redirectTo may linger hidden in the DOM). */
const text = async (page: Page, testId: string) =>
  (await page.locator(`.taro_page_show [data-testid=${testId}]`).filter({ visible: true }).first().textContent()) ?? '';
const pieceId = (page: Page) => {
  const m = /[?&]id=([0-9a-f]{24})/.exec(page.url());
  expect(m).not.toBeNull();
  return m![1]!;
};

/** On 写稿: title and body typed in, copyright chosen, originality stated. */
async function fillPiece(page: Page, title: string, body: string): Promise<void> {
  await current(page, '[data-testid=nr-title] input').fill(title);
  await current(page, '[data-testid=nr-body] textarea').fill(body);
  await current(page, '[data-testid=nr-copyright-non_exclusive]').tap();
  await current(page, '[data-testid=nr-original] input').tap();
}

/** Opens 我的 → 通讯员投稿 → 写稿 on the correspondent's phone. */
async function openEditor(page: Page): Promise<void> {
  await page.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
  await current(page, '[data-testid=entry-correspondent]').waitFor({ timeout: 60_000 });
  await current(page, '[data-testid=entry-correspondent]').tap();
  await current(page, '[data-testid=nr-write]').waitFor({ timeout: 60_000 });
  await current(page, '[data-testid=nr-write]').tap();
  await current(page, '[data-testid=nr-title] input').waitFor({ timeout: 60_000 });
}

/** From the editor's 我的: 工作台 → 稿件审核 → the piece titled `title` in the queue → its page. */
async function openFromQueue(page: Page, title: string): Promise<void> {
  await page.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
  await current(page, '[data-testid=entry-staff]').tap();
  await current(page, '[data-testid=staff-home] .rm-list-item:has-text("稿件审核")').tap();
  const row = current(page, `[data-testid=nr-piece]:has-text("${title}")`);
  await row.waitFor({ timeout: 60_000 });
  await row.tap();
  await current(page, '[data-testid=nr-piece-title]').waitFor({ timeout: 60_000 });
  expect(await text(page, 'nr-piece-title')).toBe(title);
}

describe('newsroom in the H5 app', () => {
  it('a correspondent files a piece with an image, an editor claims, approves and publishes it, and it appears in the feed', async () => {
    const writer = await wechatPhone(CORRESPONDENT_OPENID);
    const w = writer.page;
    let id = '';

    await step(w, 'nr-write', async () => {
      await openEditor(w);
      // Nothing typed yet: the shared schema's message, before anything is sent.
      await current(w, '[data-testid=nr-submit]').tap();
      await eventually(() => text(w, 'nr-form-error'), '标题不能为空');
      await fillPiece(w, TITLE, '赤水河畔的稻田迎来丰收，村民们趁着晴好天气抢收晾晒。');
      await current(w, '[data-testid=nr-place] input').fill('赤水镇');
    });

    await step(w, 'nr-images', async () => {
      const chooser = w.waitForEvent('filechooser');
      await current(w, '[data-testid=nr-add-photo]').tap();
      await (
        await chooser
      ).setFiles([
        { name: 'autumn.png', mimeType: 'image/png', buffer: PNG },
        { name: 'scan.bmp', mimeType: 'image/bmp', buffer: BMP },
        { name: 'huge.png', mimeType: 'image/png', buffer: BIG_PNG },
      ]);
      await current(w, '[data-testid=nr-upload-error]').waitFor({ timeout: 30_000 });
      const errors = await text(w, 'nr-upload-error');
      expect(errors).toContain('只支持 JPEG、PNG、WebP、GIF 图片');
      expect(errors).toContain('图片不能超过 5MB');
      await expect(w.locator('.taro_page_show [data-testid=nr-photo]').count()).resolves.toBe(1);
      await shot(w, 'newsroom-write');
    });

    await step(w, 'nr-submit', async () => {
      await current(w, '[data-testid=nr-submit]').tap();
      await expect(answerSubscribe(w)).resolves.toContain('审核结果');
      await current(w, '[data-testid=nr-piece-state]').waitFor({ timeout: 60_000 });
      expect(await text(w, 'nr-piece-title')).toBe(TITLE);
      // A correspondent of a circle: its leader pre-reviews first.
      expect(await text(w, 'nr-piece-state')).toContain('待圈长初审');
      expect(await text(w, 'nr-timeline')).toContain('提交');
      await expect(w.locator('.taro_page_show [data-testid=nr-piece-image]').count()).resolves.toBe(1);
      id = pieceId(w);
      firstPieceId = id;
      await shot(w, 'newsroom-submitted');
    });

    // WeChat's verdict on the image arrives asynchronously (the fake pushes it to our push URL).
    const token = await editorToken();
    const checked = await until(
      async () =>
        (await api<{ submission: { images: Array<{ safety: string; url: string }> } }>(`/api/v1/submissions/${id}`, { token })).body,
      (b) => b.submission?.images?.[0]?.safety === 'pass',
    );
    expect(checked.submission.images[0]?.safety).toBe('pass');
    const imageUrl = checked.submission.images[0]!.url;

    const desk = await editorPhone();
    const e = desk.page;
    await step(e, 'nr-claim', async () => {
      await openFromQueue(e, TITLE);
      await current(e, '[data-testid=nr-claim]').tap();
      await eventually(() => text(e, 'nr-piece-state'), '编辑审核中');
      await current(e, '[data-testid=nr-review]').waitFor();
    });

    await step(e, 'nr-approve', async () => {
      // No grade yet: refused on the page.
      await current(e, '[data-testid=nr-approve]').tap();
      await eventually(() => text(e, 'nr-review-error'), '请选择稿件评级');
      await current(e, '[data-testid=nr-grade-B]').tap();
      await current(e, '[data-testid=nr-approve]').tap();
      await eventually(() => text(e, 'nr-piece-state'), '已通过');
      await shot(e, 'newsroom-approved');
      await current(e, '[data-testid=nr-publish-now]').tap();
      await eventually(() => text(e, 'nr-piece-state'), '已发布');
      const timeline = await text(e, 'nr-timeline');
      for (const word of ['编辑认领', '审核通过', '发布']) expect(timeline).toContain(word);
      await shot(e, 'newsroom-published');
    });
    await desk.context.close();

    // The author's piece page shows the outcome and opens the article.
    await step(w, 'nr-author-published', async () => {
      await w.reload();
      await eventually(() => text(w, 'nr-piece-state'), '已发布');
      expect(await text(w, 'nr-piece-page')).toContain('评级 B');
    });
    await writer.context.close();

    const reader = await phoneContext(e2e.browser);
    const page = await reader.newPage();
    await step(page, 'nr-feed', async () => {
      await page.goto(`${e2e.stack.h5Url}/#/pages/index/index`);
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
      expect(src).toBe(imageUrl);
      const served = await fetch(`${e2e.stack.apiUrl}${new URL(src).pathname}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
      await shot(page, 'newsroom-article');
    });
    await reader.close();
  });

  it('the circle leader recommends, the editor returns it with a comment, and the correspondent sees the comment', async () => {
    const writer = await wechatPhone(CORRESPONDENT_OPENID);
    const w = writer.page;
    await step(w, 'nr2-write', async () => {
      await openEditor(w);
      await fillPiece(w, TITLE_2, '龙潭镇中心小学的村小新添了一个图书角，孩子们课间都爱去看书。');
      await current(w, '[data-testid=nr-save]').tap();
      // Saved as a draft first, then submitted from the same page.
      await current(w, '[data-testid=nr-saved]').waitFor({ timeout: 30_000 });
      await current(w, '[data-testid=nr-submit]').tap();
      await answerSubscribe(w, 'reject');
      await current(w, '[data-testid=nr-piece-state]').waitFor({ timeout: 60_000 });
      expect(await text(w, 'nr-piece-state')).toContain('待圈长初审');
    });

    const leader = await wechatPhone(LEADER_OPENID);
    const l = leader.page;
    await step(l, 'nr2-leader', async () => {
      await l.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await current(l, '[data-testid=entry-circle]').waitFor({ timeout: 60_000 });
      await current(l, '[data-testid=entry-circle]').tap();
      const row = current(l, `[data-testid=nr-piece]:has-text("${TITLE_2}")`);
      await row.waitFor({ timeout: 60_000 });
      await row.tap();
      await current(l, '[data-testid=nr-leader-actions]').waitFor({ timeout: 60_000 });
      await current(l, '[data-testid=nr-leader-note] textarea').fill('内容真实，推荐采用');
      await current(l, '[data-testid=nr-recommend]').tap();
      await eventually(() => text(l, 'nr-piece-state'), '圈长已推荐');
      await shot(l, 'newsroom-recommended');
    });
    await leader.context.close();

    const desk = await editorPhone();
    const e = desk.page;
    await step(e, 'nr2-return', async () => {
      await openFromQueue(e, TITLE_2);
      await current(e, '[data-testid=nr-claim]').tap();
      await current(e, '[data-testid=nr-review]').waitFor({ timeout: 30_000 });
      // Returning needs a comment.
      await current(e, '[data-testid=nr-return]').tap();
      await eventually(() => text(e, 'nr-review-error'), '退回时请填写修改意见');
      await current(e, '[data-testid=nr-review-note] textarea').fill(RETURN_NOTE);
      await current(e, '[data-testid=nr-return]').tap();
      await eventually(() => text(e, 'nr-piece-state'), '退回修改');
    });
    await desk.context.close();

    await step(w, 'nr2-comment', async () => {
      // 我的稿件 → 退回修改 → the piece: the comment and the timeline.
      await w.goto(`${e2e.stack.h5Url}/#/subpackages/newsroom/pages/desk/index`);
      await current(w, '[data-testid=nr-tab-returned]').waitFor({ timeout: 60_000 });
      await current(w, '[data-testid=nr-tab-returned]').tap();
      const row = current(w, `[data-testid=nr-piece]:has-text("${TITLE_2}")`);
      await row.waitFor({ timeout: 60_000 });
      expect(await row.textContent()).toContain('退回修改');
      await row.tap();
      await current(w, '[data-testid=nr-return-note]').waitFor({ timeout: 60_000 });
      expect(await text(w, 'nr-return-note')).toContain(RETURN_NOTE);
      const timeline = await text(w, 'nr-timeline');
      expect(timeline).toContain('圈长推荐');
      expect(timeline).toContain('内容真实，推荐采用');
      expect(timeline).toContain(`意见：${RETURN_NOTE}`);
      await shot(w, 'newsroom-returned');
    });

    await step(w, 'nr2-resubmit', async () => {
      await current(w, '[data-testid=nr-edit-piece]').tap();
      await current(w, '[data-testid=nr-edit-return-note]').waitFor({ timeout: 60_000 });
      const body = current(w, '[data-testid=nr-body] textarea');
      await body.fill(`${await body.inputValue()}图书角共有图书 300 册，由县图书馆捐赠。`);
      await current(w, '[data-testid=nr-submit]').tap();
      await answerSubscribe(w, 'reject');
      await eventually(() => text(w, 'nr-piece-state'), '待圈长初审');
      expect(await text(w, 'nr-piece-body')).toContain('由县图书馆捐赠');
    });
    await writer.context.close();
  });

  it('a citizen applies to become a correspondent, the circle leader approves, and the citizen can file', async () => {
    const applicant = await wechatPhone(`oE2EAPPLY${String(Date.now()).padStart(19, '0')}`);
    const a = applicant.page;
    await step(a, 'nr3-apply-form', async () => {
      await a.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await current(a, '[data-testid=entry-apply-correspondent]').waitFor({ timeout: 60_000 });
      await current(a, '[data-testid=entry-apply-correspondent]').tap();
      await current(a, '[data-testid=nr-apply-form]').waitFor({ timeout: 60_000 });
      expect(await text(a, 'nr-phone')).toContain('未绑定');
      await current(a, '[data-testid=nr-real-name] input').fill('王小明');
      await current(a, '[data-testid=nr-circle]').tap();
      await a.locator('.weui-picker__action', { hasText: '确定' }).filter({ visible: true }).first().tap();
      await eventually(() => text(a, 'nr-circle'), '融媒+教育');
      await current(a, '[data-testid=nr-district] input').fill('城关街道');
      await current(a, '[data-testid=nr-system] input').fill('教育');
      await current(a, '[data-testid=nr-domain] input').fill('校园新闻');
      await current(a, '[data-testid=nr-intro] textarea').fill('县实验小学语文教师，喜欢用文字和照片记录校园生活。');
      await current(a, '[data-testid=nr-samples] textarea').fill('《冬季运动会掠影》校报 2026 年 11 月\n《我们的读书节》县教育局公众号');
      // No phone bound yet: refused on the page.
      await current(a, '[data-testid=nr-apply-submit]').tap();
      await eventually(() => text(a, 'nr-apply-error'), '请先绑定手机号');
    });

    await step(a, 'nr3-apply', async () => {
      // The getPhoneNumber button exists only in WeChat: bind through the API with a code the fake mints,
      // as the button would, with the session the H5 app stored.
      const stored = JSON.parse(await a.evaluate<string>("localStorage.getItem('rongmei.session')")) as { data: string };
      const session = JSON.parse(stored.data) as { accessToken: string };
      const minted = await fetch(`${e2e.stack.wechatFakeUrl.replace(/\/$/, '')}/__fake/phone-code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phoneNumber: `139${String(Date.now()).slice(-8)}` }),
      });
      const { code } = (await minted.json()) as { code: string };
      expect((await api('/api/v1/me/phone', { token: session.accessToken, body: { code } })).status).toBe(200);
      // Submitting again: the page reads the user afresh and finds the phone.
      await current(a, '[data-testid=nr-apply-submit]').tap();
      await expect(answerSubscribe(a)).resolves.toContain('申请审核结果');
      await current(a, '[data-testid=nr-my-application]').waitFor({ timeout: 60_000 });
      expect(await text(a, 'nr-my-application')).toContain('审核中');
      await shot(a, 'newsroom-applied');
    });

    const leader = await wechatPhone(LEADER_OPENID);
    const l = leader.page;
    await step(l, 'nr3-review', async () => {
      await l.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await current(l, '[data-testid=entry-circle]').waitFor({ timeout: 60_000 });
      await current(l, '[data-testid=entry-circle]').tap();
      await current(l, '[data-testid=nr-go-applications]').tap();
      const card = current(l, '[data-testid=nr-application]:has-text("王小明")');
      await card.waitFor({ timeout: 60_000 });
      expect(await card.textContent()).toContain('校园新闻');
      await card.locator('[data-testid=nr-application-decline]').tap();
      await eventually(async () => (await card.textContent()) ?? '', '拒绝时请填写理由');
      await card.locator('[data-testid=nr-application-approve]').tap();
      await current(l, '[data-testid=nr-application]:has-text("王小明")').waitFor({ state: 'detached', timeout: 30_000 });
    });
    await leader.context.close();

    await step(a, 'nr3-approved', async () => {
      await a.reload();
      await current(a, '[data-testid=nr-my-application]').waitFor({ timeout: 60_000 });
      await eventually(() => text(a, 'nr-my-application'), '已通过');
      await a.goto(`${e2e.stack.h5Url}/#/pages/mine/index`);
      await current(a, '[data-testid=entry-correspondent]').waitFor({ timeout: 60_000 });
      await shot(a, 'newsroom-approved-correspondent');
    });
    await applicant.context.close();
  });

  it('an editor assigns a topic (选题) to a correspondent, who accepts it and files against it; the editor schedules it', async () => {
    expect(firstPieceId).toMatch(/^[0-9a-f]{24}$/);
    let topicPieceId = '';
    const desk = await editorPhone();
    const e = desk.page;
    await step(e, 'nr4-assign', async () => {
      // From a piece by this correspondent: 向…派发选题.
      await e.goto(`${e2e.stack.h5Url}/#/subpackages/newsroom/pages/piece/index?id=${firstPieceId}`);
      await current(e, '[data-testid=nr-assign-open]').waitFor({ timeout: 60_000 });
      await current(e, '[data-testid=nr-assign-open]').tap();
      await current(e, '[data-testid=nr-assign-submit]').tap();
      await eventually(() => text(e, 'nr-assign-error'), '选题不能为空');
      await current(e, '[data-testid=nr-assign-title] input').fill(TOPIC);
      await current(e, '[data-testid=nr-assign-brief] textarea').fill('请采访县图书馆，介绍冬季阅读月的安排。');
      await current(e, '[data-testid=nr-assign-submit]').tap();
      await eventually(() => text(e, 'nr-assign-done'), TOPIC);
    });
    await desk.context.close();

    const writer = await wechatPhone(CORRESPONDENT_OPENID);
    const w = writer.page;
    await step(w, 'nr4-file', async () => {
      await w.goto(`${e2e.stack.h5Url}/#/subpackages/newsroom/pages/desk/index`);
      const card = current(w, `[data-testid=nr-assignment]:has-text("${TOPIC}")`);
      await card.waitFor({ timeout: 60_000 });
      await card.locator('[data-testid=nr-assignment-accept]').tap();
      await card.locator('[data-testid=nr-assignment-write]').waitFor({ timeout: 30_000 });
      await card.locator('[data-testid=nr-assignment-write]').tap();
      await current(w, '[data-testid=nr-title] input').waitFor({ timeout: 60_000 });
      expect(await text(w, 'nr-edit')).toContain(`选题：${TOPIC}`);
      await fillPiece(w, TOPIC, '县图书馆冬季阅读月将举办读书分享会、亲子共读和非遗讲座等 12 场活动。');
      await current(w, '[data-testid=nr-submit]').tap();
      await answerSubscribe(w, 'reject');
      await eventually(() => text(w, 'nr-piece-state'), '待圈长初审');
      topicPieceId = pieceId(w);
      await shot(w, 'newsroom-assignment-filed');
    });
    await writer.context.close();

    // The editor approves it and schedules it for tomorrow 08:00 (the form's default time, Beijing time).
    const again = await editorPhone();
    const e2 = again.page;
    await step(e2, 'nr4-schedule', async () => {
      await e2.goto(`${e2e.stack.h5Url}/#/subpackages/newsroom/pages/piece/index?id=${topicPieceId}`);
      await current(e2, '[data-testid=nr-claim]').waitFor({ timeout: 60_000 });
      await current(e2, '[data-testid=nr-claim]').tap();
      await current(e2, '[data-testid=nr-grade-A]').tap();
      await current(e2, '[data-testid=nr-approve]').tap();
      await current(e2, '[data-testid=nr-schedule]').waitFor({ timeout: 30_000 });
      await current(e2, '[data-testid=nr-schedule]').tap();
      await eventually(() => text(e2, 'nr-piece-state'), '定时发布');
      expect(await text(e2, 'nr-piece-page')).toContain('08:00 发布');
      await shot(e2, 'newsroom-scheduled');
    });
    await again.context.close();
    const scheduled = await api<{ submission: { state: string; publishAt: string } }>(`/api/v1/submissions/${topicPieceId}`, {
      token: await editorToken(),
    });
    expect(scheduled.body.submission.state).toBe('scheduled');
    // 08:00 in Asia/Shanghai is 00:00 UTC, on a later day.
    expect(scheduled.body.submission.publishAt).toMatch(/T00:00:00\.000Z$/);
    expect(Date.parse(scheduled.body.submission.publishAt)).toBeGreaterThan(Date.now());

    // The list pages newest first; only the filed ones are asked for.
    const all = await api<{ items: Array<{ title: string; state: string; submissionId: string | null }> }>(
      '/api/v1/assignments?state=filed&limit=100',
      { token: await editorToken() },
    );
    const filed = all.body.items.find((x) => x.title === TOPIC);
    expect(filed?.state).toBe('filed');
    expect(filed?.submissionId).toMatch(/^[0-9a-f]{24}$/);
  });
});
