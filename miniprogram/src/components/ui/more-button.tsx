import Taro from '@tarojs/taro';
import { useState } from 'react';
import { Button } from './button';

import type { CursorPage } from '../../services/core/all-pages';

export type { CursorPage };

export interface MoreButtonProps<T> {
  /** What the section shows so far; the button shows only while `nextCursor` is set. */
  page: CursorPage<T>;
  /** The next page after `cursor`. */
  fetch(cursor: string): Promise<CursorPage<T>>;
  /** The section's rows with the next page appended, and the cursor after it. */
  onPage(page: CursorPage<T>): void;
  label?: string;
  testId?: string;
}

/**
 * 更多 under one section of a page that shows several cursor-paged lists (a shop's coupons and its promotions, a
 * team's activities): the page's reach-bottom belongs to usePagedList, which a page can use once.
 */
export function MoreButton<T>({ page, fetch, onPage, label = '更多', testId }: MoreButtonProps<T>) {
  const [busy, setBusy] = useState(false);
  if (!page.nextCursor) return null;
  const more = async (cursor: string) => {
    setBusy(true);
    try {
      const next = await fetch(cursor);
      onPage({ items: [...page.items, ...next.items], nextCursor: next.nextCursor });
    } catch {
      void Taro.showToast({ title: '加载失败，请稍后再试', icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  const cursor = page.nextCursor;
  return (
    <Button size="small" block loading={busy} data-testid={testId} onClick={() => void (busy ? undefined : more(cursor))}>
      {label}
    </Button>
  );
}
