import { Tag, Typography, type TableColumnType } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { shanghaiTime } from './format';

/** The 操作 column, kept in view on the right when a narrow screen scrolls the table. */
export function actionsColumn<T>(width: number, render: (row: T) => ReactNode): TableColumnType<T> {
  return { title: '操作', key: 'actions', width, fixed: 'right', render: (_, row) => render(row) };
}

/** A long text in grey on one line, whole in a tooltip (a 简介). */
export function noteColumn<T>(title: string, dataIndex: keyof T & string, width?: number): TableColumnType<T> {
  return {
    title,
    dataIndex,
    width,
    render: (d: string | null) => (
      <Typography.Text type="secondary" ellipsis={{ tooltip: d }}>
        {d || '—'}
      </Typography.Text>
    ),
  };
}

/** An instant shown in Shanghai time (2026-12-07 20:40). */
export function timeColumn<T>(title: string, dataIndex: keyof T & string, width = 150): TableColumnType<T> {
  return { title, dataIndex, width, render: shanghaiTime };
}

/** A state shown as a coloured tag: `tags` maps each value to [colour, label]; an unknown value shows as itself. */
export function tagColumn<T>(
  title: string,
  dataIndex: keyof T & string,
  tags: Readonly<Record<string, readonly [string, string]>>,
  width = 110,
): TableColumnType<T> {
  return { title, dataIndex, width, render: (s: string) => <Tag color={tags[s]?.[0]}>{tags[s]?.[1] ?? s}</Tag> };
}

/** A list's name cell: the name as a link that opens the row, and an optional grey line under it. */
export function TitleCell({ title, onOpen, sub, style }: { title: ReactNode; onOpen(): void; sub?: ReactNode; style?: CSSProperties }) {
  return (
    <div style={style}>
      <Typography.Link strong onClick={onOpen}>
        {title}
      </Typography.Link>
      {sub && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {sub}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}
