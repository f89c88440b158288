/** H5 分享 (miniprogram/src/utils/web-share.ts): the share sheet when there is one, else the link copied with a toast. */
import { shareOnWeb, webUrl, type WebShareDeps } from '../../miniprogram/src/utils/web-share';

const TARGET = { title: '县城新开一座图书馆', url: 'https://rm.example/#/subpackages/news/pages/article/index?id=1' };

function deps(share?: WebShareDeps['share'], copyFails = false) {
  const copied: string[] = [];
  const toasts: string[] = [];
  const d: WebShareDeps = {
    share,
    copy: async (text) => {
      if (copyFails) throw new Error('denied');
      copied.push(text);
    },
    toast: (t) => toasts.push(t),
  };
  return { d, copied, toasts };
}

describe('shareOnWeb', () => {
  it('opens the share sheet with the title and link when the browser has one, and copies nothing', async () => {
    const sent: unknown[] = [];
    const { d, copied, toasts } = deps(async (data) => void sent.push(data));
    await expect(shareOnWeb(TARGET, d)).resolves.toBe('shared');
    expect(sent).toEqual([{ title: TARGET.title, url: TARGET.url }]);
    expect(copied).toEqual([]);
    expect(toasts).toEqual([]);
  });

  it('copies the link and says so when there is no share sheet', async () => {
    const { d, copied, toasts } = deps();
    await expect(shareOnWeb(TARGET, d)).resolves.toBe('copied');
    expect(copied).toEqual([TARGET.url]);
    expect(toasts).toEqual(['链接已复制，可以粘贴发给好友']);
  });

  it('says nothing when the reader closes the share sheet', async () => {
    const abort = Object.assign(new Error('closed'), { name: 'AbortError' });
    const { d, copied, toasts } = deps(() => Promise.reject(abort));
    await expect(shareOnWeb(TARGET, d)).resolves.toBe('cancelled');
    expect(copied).toEqual([]);
    expect(toasts).toEqual([]);
  });

  it('falls back to copying when the share sheet fails otherwise (e.g. not allowed here)', async () => {
    const notAllowed = Object.assign(new Error('no'), { name: 'NotAllowedError' });
    const { d, copied } = deps(() => Promise.reject(notAllowed));
    await expect(shareOnWeb(TARGET, d)).resolves.toBe('copied');
    expect(copied).toEqual([TARGET.url]);
  });

  it('tells the reader when the link could not be copied either', async () => {
    const { d, toasts } = deps(undefined, true);
    await expect(shareOnWeb(TARGET, d)).resolves.toBe('failed');
    expect(toasts).toEqual(['没能复制链接，请用浏览器的分享功能']);
  });
});

describe('webUrl', () => {
  it('builds the hash-router address of a page path', () => {
    expect(webUrl('/subpackages/news/pages/article/index?id=1', { origin: 'https://rm.example', pathname: '/' })).toBe(
      'https://rm.example/#/subpackages/news/pages/article/index?id=1',
    );
  });
});
