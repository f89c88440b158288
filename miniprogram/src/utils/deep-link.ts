/**
 * Deep links: a share card opens a page path with its query; a mini-program code (getUnlimited) opens a
 * page with `scene` (≤ 32 chars) in its query. Both end here and resolve to one page URL.
 *
 * Scene format: `<kind>.<id>` — e.g. `a.6750c0ffee…` (article). Kinds are short so kind + a 24-hex
 * ObjectId fits WeChat's 32 characters. The `scene` may arrive percent-encoded once or twice depending
 * on the platform, so it is decoded until stable.
 */

export interface DeepLinkTarget {
  /** Page path without leading slash, as in app.config.ts. */
  page: string;
  /** Query parameter the page reads the id from. */
  param: string;
}

/** Every content page that can be opened directly. Feature pages live at these paths (see CONTRACTS.md). */
export const DEEP_LINK_TARGETS = {
  a: { page: 'subpackages/news/pages/article/index', param: 'id' },
  act: { page: 'subpackages/activities/pages/detail/index', param: 'id' },
  ce: { page: 'subpackages/contests/pages/entry/index', param: 'id' },
  m: { page: 'subpackages/merchants/pages/detail/index', param: 'id' },
  cb: { page: 'subpackages/coupons/pages/batch/index', param: 'id' },
} as const satisfies Record<string, DeepLinkTarget>;
export type DeepLinkKind = keyof typeof DEEP_LINK_TARGETS;

/** Pages that exist in the app shell (tab pages are reached with switchTab, not navigateTo). */
export const TAB_PAGES = ['pages/index/index', 'pages/activities/index', 'pages/merchants/index', 'pages/mine/index'] as const;

const ID_RE = /^[A-Za-z0-9_-]{1,40}$/;

export interface ResolvedLink {
  /** '/page?query' for Taro.navigateTo / redirectTo / switchTab */
  url: string;
  page: string;
  query: Record<string, string>;
  isTab: boolean;
}

/** Decodes a scene until it stops changing (at most 3 times); undefined on malformed escapes. */
export function decodeScene(raw: string): string | undefined {
  let s = raw;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(s);
    } catch {
      return undefined;
    }
    if (next === s) return s;
    s = next;
  }
  return s;
}

/** `a.<id>` → the article page. Unknown kinds or ids that are not ids → undefined. */
export function parseScene(raw: string | undefined | null): ResolvedLink | undefined {
  if (!raw) return undefined;
  const scene = decodeScene(raw.trim());
  if (!scene) return undefined;
  const dot = scene.indexOf('.');
  if (dot <= 0) return undefined;
  const kind = scene.slice(0, dot);
  const id = scene.slice(dot + 1);
  if (!Object.prototype.hasOwnProperty.call(DEEP_LINK_TARGETS, kind) || !ID_RE.test(id)) return undefined;
  const target = DEEP_LINK_TARGETS[kind as DeepLinkKind];
  return linkTo(target.page, { [target.param]: id });
}

/** The scene for a content item (what the server passes to getUnlimited). */
export function buildScene(kind: DeepLinkKind, id: string): string {
  const scene = `${kind}.${id}`;
  if (scene.length > 32) throw new Error(`scene too long: ${scene}`);
  return scene;
}

export function parseQueryString(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of qs.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out[decodeURIComponent(k.replace(/\+/g, ' '))] = decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export function linkTo(page: string, query: Record<string, string> = {}): ResolvedLink {
  const clean = page.replace(/^\/+/, '');
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const isTab = (TAB_PAGES as readonly string[]).includes(clean);
  return { page: clean, query, isTab, url: `/${clean}${qs && !isTab ? `?${qs}` : ''}` };
}

const KNOWN_PAGES = new Set<string>([...TAB_PAGES, ...Object.values(DEEP_LINK_TARGETS).map((t) => t.page)]);

/**
 * Any entry point → where to go. Accepts a page path with query (`/subpackages/news/pages/article/index?id=1`,
 * what Taro.scanCode reports as `path`), or a page + its query object (a page's router params). A `scene`
 * in the query wins: the code was made for that content. Returns undefined for unknown pages or ids.
 */
export function resolveDeepLink(input: string | { path?: string; query?: Record<string, string | undefined> }): ResolvedLink | undefined {
  let path: string;
  let query: Record<string, string>;
  if (typeof input === 'string') {
    const q = input.indexOf('?');
    path = q < 0 ? input : input.slice(0, q);
    query = q < 0 ? {} : parseQueryString(input.slice(q + 1));
  } else {
    path = input.path ?? '';
    query = Object.fromEntries(Object.entries(input.query ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  if (query.scene) {
    const fromScene = parseScene(query.scene);
    if (fromScene) return fromScene;
  }
  const page = path.replace(/^\/+/, '').replace(/\.html$/, '');
  if (!page || !KNOWN_PAGES.has(page)) return undefined;
  const target = Object.values(DEEP_LINK_TARGETS).find((t) => t.page === page);
  if (target) {
    const id = query[target.param];
    if (!id || !ID_RE.test(id)) return undefined;
    const rest = Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'scene'));
    return linkTo(page, rest);
  }
  return linkTo(page, {});
}

/** The share-card path for a content item (useShareAppMessage's `path`). */
export function sharePath(kind: DeepLinkKind, id: string): string {
  const target = DEEP_LINK_TARGETS[kind];
  return linkTo(target.page, { [target.param]: id }).url;
}
