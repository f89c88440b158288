/**
 * Deep-link parsing for the mini-program (miniprogram/src/utils/deep-link.ts): share-card paths with
 * queries, mini-program code scenes (raw, percent-encoded once or twice), precedence of `scene`, and
 * refusal of unknown pages, kinds and malformed ids.
 */
import { buildScene, parseScene, resolveDeepLink, sharePath } from '../../miniprogram/src/utils/deep-link';

const ID = '6750c0ffee0123456789abcd';
const ARTICLE = 'subpackages/news/pages/article/index';

describe('mini-program deep links', () => {
  it('resolves a scene to its content page, however many times it was percent-encoded', () => {
    for (const scene of [`a.${ID}`, encodeURIComponent(`a.${ID}`), `a%2E${ID}`, encodeURIComponent(encodeURIComponent(`a.${ID}`))]) {
      expect(parseScene(scene)).toEqual({ page: ARTICLE, query: { id: ID }, isTab: false, url: `/${ARTICLE}?id=${ID}` });
    }
    expect(parseScene(`act.${ID}`)?.page).toBe('subpackages/activities/pages/detail/index');
    expect(parseScene(`cb.${ID}`)?.page).toBe('subpackages/coupons/pages/batch/index');
  });

  it('refuses unknown kinds, missing ids, bad characters and broken escapes', () => {
    for (const scene of ['zz.123', `a.`, `.${ID}`, 'a.<script>', 'a.%E0%A4%A', '', 'noseparator']) {
      expect(parseScene(scene)).toBeUndefined();
    }
  });

  it('builds scenes within WeChat 32-character limit and refuses longer ones', () => {
    expect(buildScene('cb', ID)).toBe(`cb.${ID}`);
    expect(buildScene('act', ID).length).toBeLessThanOrEqual(32);
    expect(() => buildScene('act', `${ID}${ID}`)).toThrow(/too long/);
  });

  it('resolves a share-card path with its query (as Taro.scanCode reports it)', () => {
    expect(resolveDeepLink(`/${ARTICLE}?id=${ID}&from=share`)).toEqual({
      page: ARTICLE,
      query: { id: ID, from: 'share' },
      isTab: false,
      url: `/${ARTICLE}?id=${ID}&from=share`,
    });
    expect(resolveDeepLink({ path: ARTICLE, query: { id: ID } })?.url).toBe(`/${ARTICLE}?id=${ID}`);
  });

  it('prefers the scene in the query (a code made for a page) over the path', () => {
    expect(resolveDeepLink(`pages/index/index?scene=${encodeURIComponent(`a.${ID}`)}`)?.url).toBe(`/${ARTICLE}?id=${ID}`);
    expect(resolveDeepLink({ path: 'pages/index/index', query: { scene: `m.${ID}` } })?.page).toBe(
      'subpackages/merchants/pages/detail/index',
    );
  });

  it('opens tab pages without a query and refuses unknown pages or content pages without a valid id', () => {
    expect(resolveDeepLink('/pages/mine/index?x=1')).toEqual({
      page: 'pages/mine/index',
      query: {},
      isTab: true,
      url: '/pages/mine/index',
    });
    expect(resolveDeepLink('/pages/secret/index')).toBeUndefined();
    expect(resolveDeepLink(`/${ARTICLE}`)).toBeUndefined();
    expect(resolveDeepLink(`/${ARTICLE}?id=${encodeURIComponent('../../x')}`)).toBeUndefined();
    expect(resolveDeepLink(`pages/index/index?scene=bogus`)?.page).toBe('pages/index/index');
  });

  it('share paths round-trip through the resolver', () => {
    const path = sharePath('a', ID);
    expect(path).toBe(`/${ARTICLE}?id=${ID}`);
    expect(resolveDeepLink(path)?.query).toEqual({ id: ID });
  });
});
