import { ARTICLE_COLUMN_LABELS, ARTICLE_COLUMNS, type ArticleColumn } from '@shared/schemas/newsroom';

/** A tab across the top of 首页. */
export interface Channel {
  key: string;
  label: string;
  /** recommend: carousel + services + news; column: one column's news; wenzheng: public 问政 cases; services: the grid + 政务. */
  kind: 'recommend' | 'column' | 'wenzheng' | 'services';
  column?: ArticleColumn;
}

/** 推荐, 本地 (residents' own stories), 问政, 服务, then every other column the newsroom publishes in. */
const FIXED: readonly Channel[] = [
  { key: 'recommend', label: '推荐', kind: 'recommend' },
  { key: 'local', label: '本地', kind: 'column', column: 'correspondent' },
  { key: 'wenzheng', label: '问政', kind: 'wenzheng' },
  { key: 'services', label: '服务', kind: 'services', column: 'government' },
];

const TAKEN = new Set(FIXED.flatMap((c) => (c.column ? [c.column] : [])));

export const CHANNELS: readonly Channel[] = [
  ...FIXED,
  ...ARTICLE_COLUMNS.filter((c) => !TAKEN.has(c)).map((column): Channel => ({
    key: column,
    label: ARTICLE_COLUMN_LABELS[column],
    kind: 'column',
    column,
  })),
];
