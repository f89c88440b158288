import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { isApiError } from '../services/core/api-error';
import { canStart, initialPagedState, pagedReducer, type PagedAction, type PagedState } from './paged-list-state';

import type { CursorPage } from '../services/core/all-pages';

/**
 * A cursor-paged list for a page: loads the first page, pull-to-refresh (the page config needs
 * `enablePullDownRefresh: true`) and infinite scroll (onReachBottom). Call it from the page component.
 * A page showing two lists gives the page's scroll events to one of them: the other passes
 * `{ pageEvents: false }` and offers `loadMore` behind a button.
 */
export function usePagedList<T>(
  fetchPage: (cursor: string | null) => Promise<CursorPage<T>>,
  deps: unknown[] = [],
  { pageEvents = true }: { pageEvents?: boolean } = {},
) {
  const [state, dispatch] = useReducer(
    pagedReducer as (s: PagedState<T>, a: PagedAction<T>) => PagedState<T>,
    undefined,
    initialPagedState<T>,
  );
  const ref = useRef(state);
  ref.current = state;
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback(async (mode: 'initial' | 'refresh' | 'more', restart = false) => {
    const s = ref.current;
    if (!restart && !canStart(s, mode)) return;
    const generation = s.generation + 1;
    dispatch({ type: 'start', mode });
    ref.current = { ...s, generation, status: mode === 'more' ? 'loading-more' : mode === 'refresh' ? 'refreshing' : 'loading' };
    try {
      const page = await fetchRef.current(mode === 'more' ? s.cursor : null);
      dispatch({ type: 'page', generation, mode, items: page.items, nextCursor: page.nextCursor });
    } catch (err) {
      const offline = isApiError(err) && err.isNetwork;
      dispatch({ type: 'fail', generation, message: err instanceof Error ? err.message : '加载失败', offline });
      if (mode !== 'initial') void Taro.showToast({ title: err instanceof Error ? err.message : '加载失败', icon: 'none' });
    } finally {
      if (mode === 'refresh') Taro.stopPullDownRefresh();
    }
  }, []);

  // New filters start over even while the previous query is loading (a search typed, the position arriving):
  // the older answer is dropped by its generation, so the list shows what was asked last.
  useEffect(() => {
    void load('initial', true);
  }, deps);

  usePullDownRefresh(() => {
    if (pageEvents) void load('refresh');
  });
  useReachBottom(() => {
    if (pageEvents) void load('more');
  });

  return {
    state,
    reload: () => load('initial'),
    refresh: () => load('refresh'),
    loadMore: () => load('more'),
  };
}
