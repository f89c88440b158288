/**
 * Where a message in 我的 › 消息 opens (miniprogram/src/utils/message-link.ts): a page with its query by navigateTo,
 * a tab page by switchTab without a query, and nothing for links that are not plain page paths.
 */
import { messageTarget } from '../../miniprogram/src/utils/message-link';

const ID = '6750c0ffee0123456789abcd';

describe('message links', () => {
  it('opens a page with its query', () => {
    expect(messageTarget(`subpackages/wenzheng/pages/case/index?id=${ID}`)).toEqual({
      url: `/subpackages/wenzheng/pages/case/index?id=${ID}`,
      isTab: false,
    });
    expect(messageTarget('subpackages/points/pages/mine/index')).toEqual({ url: '/subpackages/points/pages/mine/index', isTab: false });
  });

  it('switches to a tab page, dropping the query switchTab cannot take', () => {
    expect(messageTarget('pages/mine/index?from=message')).toEqual({ url: '/pages/mine/index', isTab: true });
  });

  it('opens nothing for no link, a URL or a path that climbs', () => {
    for (const link of [null, undefined, '', 'https://example.cn/a', '../pages/mine/index', 'pages/mine/index#x', 'javascript:alert(1)']) {
      expect(messageTarget(link)).toBeNull();
    }
  });
});
