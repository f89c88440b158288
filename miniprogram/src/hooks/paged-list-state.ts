/**
 * The state of a cursor-paged list (feed, activities, coupons…), as a pure reducer so unit tests reach it.
 * Guards: one load at a time, no "load more" after the end, a refresh replaces the items, and an answer to
 * an outdated request (a refresh started meanwhile) is dropped.
 */
export interface PagedState<T> {
  items: T[];
  cursor: string | null;
  /** No more pages. */
  done: boolean;
  status: 'idle' | 'loading' | 'refreshing' | 'loading-more' | 'error';
  error: { message: string; offline: boolean } | null;
  /** Bumped on every start; answers carry the generation they were asked under. */
  generation: number;
}

export type PagedAction<T> =
  | { type: 'start'; mode: 'initial' | 'refresh' | 'more' }
  | { type: 'page'; generation: number; mode: 'initial' | 'refresh' | 'more'; items: T[]; nextCursor: string | null }
  | { type: 'fail'; generation: number; message: string; offline: boolean };

export function initialPagedState<T>(): PagedState<T> {
  return { items: [], cursor: null, done: false, status: 'idle', error: null, generation: 0 };
}

/** Whether a load of this mode should start now (the hook asks before dispatching 'start'). */
export function canStart<T>(s: PagedState<T>, mode: 'initial' | 'refresh' | 'more'): boolean {
  if (mode === 'more') return s.status === 'idle' && !s.done && s.items.length > 0;
  if (mode === 'initial') return s.status !== 'loading';
  return s.status !== 'refreshing';
}

export function pagedReducer<T>(s: PagedState<T>, a: PagedAction<T>): PagedState<T> {
  switch (a.type) {
    case 'start': {
      const status = a.mode === 'initial' ? 'loading' : a.mode === 'refresh' ? 'refreshing' : 'loading-more';
      return { ...s, status, error: a.mode === 'more' ? s.error : null, generation: s.generation + 1 };
    }
    case 'page': {
      if (a.generation !== s.generation) return s;
      const items = a.mode === 'more' ? [...s.items, ...a.items] : a.items;
      return { ...s, items, cursor: a.nextCursor, done: a.nextCursor === null, status: 'idle', error: null };
    }
    case 'fail': {
      if (a.generation !== s.generation) return s;
      return { ...s, status: s.items.length > 0 ? 'idle' : 'error', error: { message: a.message, offline: a.offline } };
    }
  }
}
