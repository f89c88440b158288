import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * `npm run smoke:weapp`: runs the WeChat build (miniprogram/dist/weapp) in node with a fake `wx`, `App`
 * and `Page` — WeChat DevTools doesn't run here. Proves the bundle boots, logs in silently at launch
 * (wx.login → POST /api/v1/auth/wechat-login with that code), renders the feed from GET /api/v1/feed
 * through setData, and that the article page opened from a mini-program code (`scene=a.<id>`) asks for
 * that article with the session's token, that the 商家 map's marker icon ships as a file, and that 关怀模式
 * remembered on the device puts every page of the next start inside its class. Exits 1 on any failure.
 */
const DIST = path.resolve(__dirname, '..', 'miniprogram', 'dist', 'weapp');
/** The bundle is CommonJS for WeChat's module loader; load it as such. */
const loadBundle = createRequire(__filename);
const ARTICLE_ID = '6750c0ffee0123456789abcd';
const FEED_TITLE = '冒烟测试：县城新闻标题';
/** 关怀模式's class (miniprogram/src/stores/care-mode-core.ts). */
const CARE_CLASS = 'rm-care';

interface Recorded {
  url: string;
  method: string;
  data: unknown;
  header: Record<string, string>;
}
type PageConfig = Record<string, unknown> & { onLoad?: (q: Record<string, string>) => void; onShow?: () => void };

const storage = new Map<string, unknown>();
const requests: Recorded[] = [];
let app: (Record<string, unknown> & { onLaunch?: (o: unknown) => void }) | undefined;
let lastPage: PageConfig | undefined;

function answer(url: string): unknown {
  if (url.includes('/api/v1/auth/wechat-login')) {
    return {
      accessToken: 'smoke-access',
      refreshToken: 'r'.repeat(43),
      expiresIn: 900,
      user: { id: 'f'.repeat(24), nickname: '微信用户', roles: [{ role: 'citizen' }], username: null },
    };
  }
  const card = {
    id: ARTICLE_ID,
    title: FEED_TITLE,
    summary: '摘要',
    cover: null,
    column: 'headline',
    author: { kind: 'editor', userId: null, name: '编辑部' },
    circleId: null,
    publishedAt: '2026-12-01T00:00:00Z',
    reads: 5,
    likes: 0,
  };
  if (url.includes('/api/v1/columns')) return { items: [{ key: 'headline', name: '头条', homeTab: true }] };
  if (url.includes('/api/v1/feed')) return { items: [card], nextCursor: null };
  if (url.includes(`/api/v1/articles/${ARTICLE_ID}/read`)) return { counted: true, reads: 6, likes: 0, liked: false, points: 0 };
  if (url.includes(`/api/v1/articles/${ARTICLE_ID}/comments`)) return { items: [], nextCursor: null, total: 0 };
  if (url.includes(`/api/v1/articles/${ARTICLE_ID}/related`)) return { items: [] };
  if (url.includes(`/api/v1/articles/${ARTICLE_ID}`)) {
    return {
      article: {
        ...card,
        body: [{ type: 'paragraph', text: '正文' }],
        images: [],
        place: null,
        submissionId: null,
        editor: null,
        anonymousReads: 0,
      },
    };
  }
  return { error: { code: 'ROUTE_NOT_FOUND' } };
}

const later = (fn: () => void) => setTimeout(fn, 0);
const wx = {
  getSystemInfoSync: () => ({
    platform: 'devtools',
    windowWidth: 375,
    windowHeight: 667,
    pixelRatio: 2,
    screenWidth: 375,
    screenHeight: 667,
    SDKVersion: '3.0.0',
    language: 'zh_CN',
    system: 'iOS 16',
  }),
  getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667 }),
  getDeviceInfo: () => ({ platform: 'devtools', system: 'iOS 16' }),
  getAppBaseInfo: () => ({ SDKVersion: '3.0.0', language: 'zh_CN' }),
  getStorageSync: (k: string) => storage.get(k) ?? '',
  setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
  removeStorageSync: (k: string) => void storage.delete(k),
  login: (o: { success?: (r: unknown) => void }) => later(() => o.success?.({ code: 'smoke-code-1', errMsg: 'login:ok' })),
  request: (o: {
    url: string;
    method: string;
    data: unknown;
    header: Record<string, string>;
    success?: (r: unknown) => void;
    complete?: () => void;
  }) => {
    requests.push({ url: o.url, method: o.method, data: o.data, header: o.header });
    later(() => {
      o.success?.({ statusCode: 200, data: answer(o.url), header: {} });
      o.complete?.();
    });
    return { abort() {} };
  },
  showToast: () => {},
  stopPullDownRefresh: () => {},
  setNavigationBarTitle: () => {},
  nextTick: later,
  canIUse: () => true,
  onAppShow() {},
  onAppHide() {},
  offAppShow() {},
  offAppHide() {},
};

const g = globalThis as Record<string, unknown>;
g.wx = wx;
g.App = (c: typeof app) => (app = c);
g.Page = (c: PageConfig) => (lastPage = c);
g.Component = (c: PageConfig) => (lastPage ??= c);
g.getApp = () => app;
g.getCurrentPages = () => [];
g.requirePlugin = () => ({});

/** Loads a page module and drives it like WeChat: an instance with setData, then onLoad and onShow. */
function openPage(route: string, query: Record<string, string>): Record<string, unknown> {
  lastPage = undefined;
  loadBundle(path.join(DIST, `${route}.js`));
  const config = lastPage as PageConfig | undefined;
  assert.ok(config, `${route} registered no Page`);
  const data: Record<string, unknown> = {};
  const instance = Object.assign(Object.create(null) as Record<string, unknown>, config, {
    route,
    data,
    setData(d: Record<string, unknown>, cb?: () => void) {
      Object.assign(data, d);
      cb?.();
    },
    selectComponent() {},
  });
  config.onLoad?.call(instance, query);
  config.onShow?.call(instance);
  return data;
}

/** A new start of the app: the bundle's modules evaluated again (they read the device's storage then). */
function restart(): void {
  for (const id of Object.keys(require.cache)) if (id.startsWith(DIST)) delete require.cache[id];
  delete (wx as Record<string, unknown>).webpackJsonp;
  loadBundle(path.join(DIST, 'app.js'));
  app?.onLaunch?.call(app, { path: 'pages/index/index', query: {}, scene: 1001 });
}

const settle = (ms = 1000) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  if (!existsSync(path.join(DIST, 'app.js'))) {
    console.error(`No WeChat build in ${DIST}: run npm run build:weapp first.`);
    process.exit(1);
  }
  loadBundle(path.join(DIST, 'app.js'));
  assert.ok(app, 'app.js registered no App');
  app.onLaunch?.call(app, { path: 'pages/index/index', query: {}, scene: 1001 });

  const feed = openPage('pages/index/index', {});
  await settle();
  const login = requests.find((r) => r.url.endsWith('/api/v1/auth/wechat-login'));
  assert.ok(login, 'no silent login at launch');
  assert.deepEqual(login.data, { code: 'smoke-code-1' });
  assert.equal(requests.filter((r) => r.url.endsWith('/api/v1/auth/wechat-login')).length, 1, 'launch and page logged in twice');
  assert.ok(
    requests.some((r) => r.method === 'GET' && r.url.includes('/api/v1/feed')),
    'the feed page did not ask for the feed',
  );
  assert.ok(JSON.stringify(feed).includes(FEED_TITLE), 'the feed title never reached setData');
  assert.ok(!JSON.stringify(feed).includes(CARE_CLASS), '关怀模式 is off, yet the page carries its class');
  console.log('✓ launch: silent wx.login → wechat-login; 首页 renders the feed');

  const article = openPage('subpackages/news/pages/article/index', { scene: encodeURIComponent(`a.${ARTICLE_ID}`) });
  await settle();
  const get = requests.find((r) => r.method === 'GET' && r.url.endsWith(`/api/v1/articles/${ARTICLE_ID}`));
  assert.ok(get, 'the article page did not load the article named by the scene');
  assert.equal(get.header.Authorization, 'Bearer smoke-access', 'the article request carried no token');
  assert.ok(JSON.stringify(article).includes(FEED_TITLE), 'the article title never reached setData');
  console.log('✓ article page from a mini-program code scene loads that article with the token');

  // WeChat's <map> draws no marker whose iconPath is a data: URI (webpack inlines small images as one).
  const merchants = readFileSync(path.join(DIST, 'pages/merchants/index.js'), 'utf8');
  const icon = /"(assets\/map\/[\w-]+\.png)"/.exec(merchants)?.[1];
  assert.ok(icon, '商家 map: the marker icon is not referenced as a file (inlined as a data: URI?)');
  assert.ok(existsSync(path.join(DIST, icon)), `商家 map: ${icon} is missing from the package`);
  console.log(`✓ 商家 map: marker icon ships as /${icon}`);

  // 关怀模式 remembered on the device: the next start draws pages inside the view with its class.
  storage.set('rongmei.care-mode', '1');
  restart();
  const cared = openPage('pages/index/index', {});
  await settle();
  assert.ok(JSON.stringify(cared).includes(`"cl":"${CARE_CLASS}"`), '关怀模式 is on, yet the page carries no rm-care class');
  console.log('✓ 关怀模式 switched on: the next start draws the page inside the rm-care view');
  console.log(`requests=${requests.length} ok=true`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
