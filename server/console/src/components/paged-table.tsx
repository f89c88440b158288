import { Alert, Button, Table, type TableProps } from 'antd';
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

/** A cursor-paged table: the load error with 重试 above it, 上一页 / 下一页 under it. Every console list uses it. */
export function PagedTable<T extends object>({ list, ...table }: { list: PagedList<T> } & Omit<TableProps<T>, 'dataSource' | 'loading'>) {
  return (
    <>
      {list.error && (
        <Alert
          type="error"
          showIcon
          message={list.error.message}
          style={{ marginBottom: 16 }}
          action={<Button onClick={list.reload}>重试</Button>}
        />
      )}
      <Table<T> size="middle" tableLayout="fixed" {...table} loading={list.loading} dataSource={list.items} pagination={false} />
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
