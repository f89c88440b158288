/**
 * The paged-list state behind every mini-program list (miniprogram/src/hooks/paged-list-state.ts):
 * first load, infinite scroll appending pages until the cursor ends, pull-to-refresh replacing items,
 * stale answers dropped, and errors shown as an error state only when nothing is on screen.
 */
import { canStart, initialPagedState, pagedReducer, type PagedState } from '../../miniprogram/src/hooks/paged-list-state';

type S = PagedState<number>;

describe('mini-program paged list state', () => {
  it('loads, appends pages and stops at the end', () => {
    let s: S = initialPagedState();
    expect(canStart(s, 'more')).toBe(false);
    s = pagedReducer(s, { type: 'start', mode: 'initial' });
    expect(s.status).toBe('loading');
    s = pagedReducer(s, { type: 'page', generation: s.generation, mode: 'initial', items: [1, 2], nextCursor: 'c1' });
    expect(canStart(s, 'more')).toBe(true);
    s = pagedReducer(s, { type: 'start', mode: 'more' });
    expect(canStart(s, 'more')).toBe(false);
    s = pagedReducer(s, { type: 'page', generation: s.generation, mode: 'more', items: [3], nextCursor: null });
    expect(s).toMatchObject({ items: [1, 2, 3], done: true, status: 'idle', cursor: null });
    expect(canStart(s, 'more')).toBe(false);
  });

  it('a refresh replaces the items and an answer from before it is dropped', () => {
    let s: S = initialPagedState();
    s = pagedReducer(s, { type: 'start', mode: 'initial' });
    s = pagedReducer(s, { type: 'page', generation: s.generation, mode: 'initial', items: [1, 2], nextCursor: 'c1' });
    s = pagedReducer(s, { type: 'start', mode: 'more' });
    const staleGen = s.generation;
    s = pagedReducer(s, { type: 'start', mode: 'refresh' });
    s = pagedReducer(s, { type: 'page', generation: staleGen, mode: 'more', items: [99], nextCursor: 'old' });
    expect(s.items).toEqual([1, 2]);
    s = pagedReducer(s, { type: 'page', generation: s.generation, mode: 'refresh', items: [0, 1], nextCursor: 'c2' });
    expect(s).toMatchObject({ items: [0, 1], cursor: 'c2', done: false, status: 'idle' });
  });

  it('a failed first load is an error state (offline told apart); a failed "more" keeps the items', () => {
    let s: S = pagedReducer(initialPagedState<number>(), { type: 'start', mode: 'initial' });
    s = pagedReducer(s, { type: 'fail', generation: s.generation, message: '网络连接失败', offline: true });
    expect(s).toMatchObject({ status: 'error', error: { offline: true } });

    s = pagedReducer(s, { type: 'start', mode: 'initial' });
    s = pagedReducer(s, { type: 'page', generation: s.generation, mode: 'initial', items: [1], nextCursor: 'c' });
    s = pagedReducer(s, { type: 'start', mode: 'more' });
    s = pagedReducer(s, { type: 'fail', generation: s.generation, message: '加载失败', offline: false });
    expect(s).toMatchObject({ status: 'idle', items: [1], error: { message: '加载失败' } });
    expect(canStart(s, 'more')).toBe(true);
  });
});
