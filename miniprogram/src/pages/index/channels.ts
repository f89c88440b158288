import type { ArticleColumn, PublicColumn } from '@shared/schemas/newsroom';

/** A tab across the top of 首页. */
export interface Channel {
  key: string;
  label: string;
  /** recommend: carousel + services + news; column: one column's news; wenzheng: public 问政 cases; services: the grid + 政务. */
  kind: 'recommend' | 'column' | 'wenzheng' | 'services';
  column?: ArticleColumn;
}

/** 推荐, 本地 (residents' own stories), 问政, 服务: always there, whatever the admins configure. */
export const FIXED_CHANNELS: readonly Channel[] = [
  { key: 'recommend', label: '推荐', kind: 'recommend' },
  { key: 'local', label: '本地', kind: 'column', column: 'correspondent' },
  { key: 'wenzheng', label: '问政', kind: 'wenzheng' },
  { key: 'services', label: '服务', kind: 'services', column: 'government' },
];

const TAKEN = new Set(FIXED_CHANNELS.flatMap((c) => (c.column ? [c.column] : [])));

/** The fixed tabs, then the columns admins show as 首页 tabs (GET /api/v1/columns, in their order). */
export function channelsOf(columns: readonly PublicColumn[]): Channel[] {
  return [
    ...FIXED_CHANNELS,
    ...columns
      .filter((c) => c.homeTab && !TAKEN.has(c.key))
      .map((c): Channel => ({ key: `column-${c.key}`, label: c.name, kind: 'column', column: c.key })),
  ];
}
