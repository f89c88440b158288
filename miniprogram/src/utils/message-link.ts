import { TAB_PAGES } from './deep-link';

/**
 * Where a message opens: its `link` is a mini-program page with its query, as the server stores it (the same page
 * its subscribe message opens). Tab pages are reached with switchTab (which takes no query); anything that is not a
 * plain page path — a URL, a stray `..` — opens nothing.
 */
export function messageTarget(link: string | null | undefined): { url: string; isTab: boolean } | null {
  if (!link) return null;
  const match = /^\/?((?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_-]+)(\?[^#\s]*)?$/.exec(link.trim());
  if (!match) return null;
  const page = match[1]!;
  const isTab = (TAB_PAGES as readonly string[]).includes(page);
  return { url: `/${page}${isTab ? '' : (match[2] ?? '')}`, isTab };
}
