import { Alert, Button, Card, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import type { Resource } from '../hooks/use-resource';
import { CursorPager } from './cursor-pager';

/** What `useCursorPages` hands back, as far as a table needs it. */
export interface PagedList<T> {
  items: T[];
  loading: boolean;
  error: { message: string } | null;
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  prev(): void;
  next(): void;
  reload(): void;
}

export type PagedTableProps<T> = { list: PagedList<T> } & Omit<TableProps<T>, 'dataSource' | 'loading'>;

/** A list that could not be loaded: the API's message and 重试. */
export function LoadError({ error, reload }: { error: { message: string } | null; reload(): void }) {
  if (!error) return null;
  return (
    <Alert type="error" showIcon message={error.message} style={{ marginBottom: 16 }} action={<Button onClick={reload}>重试</Button>} />
  );
}

/** A grey-blue note above a list (what editors may not do here, and what they can see instead). */
export function ListNote({ message }: { message: ReactNode }) {
  return <Alert type="info" showIcon style={{ marginBottom: 16 }} message={message} />;
}

/** The table every console list draws: keyed by `id`, fixed layout, scrolling sideways below 1000 px. */
function ConsoleTable<T extends object>(props: TableProps<T>) {
  return <Table<T> size="middle" tableLayout="fixed" rowKey="id" scroll={{ x: 1000 }} {...props} />;
}

/**
 * A whole list the API returns at once (`{ items }`, no cursor: circles), paged in the
 * browser by twenty.
 */
export function ItemsTable<T extends object>({
  resource,
  ...table
}: { resource: Resource<{ items: T[] } | null> } & Omit<TableProps<T>, 'dataSource' | 'loading'>) {
  return (
    <>
      <LoadError error={resource.error} reload={resource.reload} />
      <ConsoleTable<T>
        {...table}
        loading={resource.loading}
        dataSource={resource.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
    </>
  );
}

/**
 * A cursor-paged table: the load error with 重试 above it, 上一页 / 下一页 under it. Every console list uses it.
 * Rows are keyed by `id` and the table scrolls sideways below 1000 px unless told otherwise.
 */
export function PagedTable<T extends object>({ list, ...table }: PagedTableProps<T>) {
  return (
    <>
      <LoadError error={list.error} reload={list.reload} />
      <ConsoleTable<T> {...table} loading={list.loading} dataSource={list.items} pagination={false} />
      <CursorPager
        page={list.page}
        hasPrev={list.hasPrev}
        hasNext={list.hasNext}
        onPrev={list.prev}
        onNext={list.next}
        loading={list.loading}
      />
    </>
  );
}

/**
 * A list page's card: its title, the filters (or buttons) in the corner, an optional toolbar above the table,
 * the paged table, and whatever modals or drawers the page opens (children).
 */
export function ListCard<T extends object>({
  title,
  extra,
  toolbar,
  children,
  ...table
}: Omit<PagedTableProps<T>, 'title'> & { title: ReactNode; extra?: ReactNode; toolbar?: ReactNode; children?: ReactNode }) {
  return (
    <Card title={title} extra={extra}>
      {toolbar}
      <PagedTable<T> {...table} />
      {children}
    </Card>
  );
}
