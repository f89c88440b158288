import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import type { PagedState } from '../../hooks/paged-list-state';
import { EmptyState, ErrorState, LoadingState } from './states';
import './ui.scss';

export interface PagedListProps<T> {
  state: PagedState<T>;
  renderItem: (item: T, index: number) => ReactNode;
  onRetry: () => void;
  emptyTitle?: string;
  emptyDescription?: string;
  testId?: string;
}

/** Renders a usePagedList state: first-load spinner, error/offline with retry, empty, items and the footer. */
export function PagedList<T>({ state, renderItem, onRetry, emptyTitle, emptyDescription, testId }: PagedListProps<T>) {
  if (state.status === 'loading' && state.items.length === 0) return <LoadingState />;
  if (state.status === 'error')
    return (
      <ErrorState offline={state.error?.offline} description={state.error?.offline ? undefined : state.error?.message} onRetry={onRetry} />
    );
  if (state.items.length === 0 && state.status === 'idle') return <EmptyState title={emptyTitle} description={emptyDescription} />;
  return (
    <View data-testid={testId}>
      {state.items.map(renderItem)}
      <View className="rm-footer-note" data-testid="list-footer">
        {state.status === 'loading-more' ? '加载中…' : state.done ? '— 没有更多了 —' : state.error ? '加载失败，上拉重试' : '上拉加载更多'}
      </View>
    </View>
  );
}
