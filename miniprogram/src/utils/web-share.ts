/**
 * 分享 in the H5 build (the mini-program uses WeChat's share menu instead): the phone's share sheet
 * (navigator.share) where the browser has one, else the link is copied and a toast says so. The browser pieces
 * are passed in, so tests reach it without a browser.
 */
export interface ShareTarget {
  title: string;
  url: string;
}

export interface WebShareDeps {
  /** `navigator.share` bound to navigator, when the browser has it. */
  share?: (data: { title: string; url: string }) => Promise<void>;
  copy: (text: string) => Promise<unknown>;
  toast: (title: string) => void;
}

/** What happened: shared through the sheet, copied, or nothing (the reader closed the sheet, or copying failed). */
export type ShareOutcome = 'shared' | 'copied' | 'cancelled' | 'failed';

export async function shareOnWeb(target: ShareTarget, deps: WebShareDeps): Promise<ShareOutcome> {
  if (deps.share) {
    try {
      await deps.share({ title: target.title, url: target.url });
      return 'shared';
    } catch (err) {
      // Closing the share sheet is an AbortError: nothing to say. Any other failure falls back to copying.
      if (err instanceof Error && err.name === 'AbortError') return 'cancelled';
    }
  }
  try {
    await deps.copy(target.url);
    deps.toast('链接已复制，可以粘贴发给好友');
    return 'copied';
  } catch {
    deps.toast('没能复制链接，请用浏览器的分享功能');
    return 'failed';
  }
}

/** The H5 address of a page path (hash router): `https://host/#/subpackages/news/pages/article/index?id=…`. */
export function webUrl(pagePath: string, location: { origin: string; pathname: string }): string {
  return `${location.origin}${location.pathname}#${pagePath.startsWith('/') ? pagePath : `/${pagePath}`}`;
}
