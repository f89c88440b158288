/** The console's CSV / Excel exports: rows read page by page from cursors and written as they come. */
import type { ExportKind } from '@shared/schemas/stats';
import { shanghaiDateTime } from '../../core/time';
import type { Cell, TableColumn } from '../../core/export';
import { RollupModel, type RollupDoc } from './stats.model';
import type { StatsPorts } from './stats.ports';
import { hoursOf } from '../volunteers';

export interface ExportTable {
  /** Sheet and file name (Chinese). */
  title: string;
  columns: TableColumn[];
  pages: AsyncIterable<Cell[][]>;
}

const cols = (...headers: string[]): TableColumn[] => headers.map((header) => ({ header }));
const time = (d: Date | null) => (d ? shanghaiDateTime(d) : null);

const DIMENSION_NAMES: Record<string, string> = {
  users: '用户',
  reads: '阅读',
  top_articles: '热门文章',
  circles: '圈子投稿与发布',
  wenzheng: '问政',
  volunteers: '志愿服务',
  coupon_batches: '消费券批次',
  coupon_merchants: '消费券商户',
  points: '积分',
};
const VALUE_NAMES: Record<string, string> = {
  newUsers: '新增用户',
  totalUsers: '累计用户',
  reads: '阅读数',
  readers: '活跃读者',
  submissions: '投稿数',
  publications: '发布数',
  intake: '受理',
  answered: '答复',
  answeredOnTime: '按时答复',
  overdue: '超期',
  minutes: '服务分钟',
  volunteers: '服务人次',
  issued: '发放',
  claimed: '领取',
  redeemed: '核销',
  expired: '过期',
  spent: '消耗',
};

/** The roll-up rows of [from, to]; `area` narrows the rows that have one (users, teams), `department` the 问政 rows, as on the dashboard. */
async function* rollupRows(from: string, to: string, only: { area?: string; department?: string }): AsyncGenerator<Cell[][]> {
  const narrowed = [
    ...(only.area ? [{ $or: [{ dimension: { $nin: ['users' as const, 'volunteers' as const] } }, { area: only.area }] }] : []),
    ...(only.department ? [{ $or: [{ dimension: { $ne: 'wenzheng' as const } }, { department: only.department }] }] : []),
  ];
  const cursor = RollupModel.find({
    day: { $gte: from, $lte: to },
    dimension: { $ne: 'done' },
    ...(narrowed.length ? { $and: narrowed } : {}),
  })
    .sort({ day: 1, dimension: 1, key: 1 })
    .lean<RollupDoc[]>()
    .cursor({ batchSize: 500 });
  let page: Cell[][] = [];
  for await (const r of cursor as AsyncIterable<RollupDoc>) {
    for (const [k, v] of Object.entries(r.values))
      page.push([
        r.day,
        DIMENSION_NAMES[r.dimension] ?? r.dimension,
        r.label || r.key,
        r.area ?? null,
        r.department ?? null,
        VALUE_NAMES[k] ?? k,
        v,
      ]);
    if (page.length >= 500) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

async function* mapPages<T>(source: AsyncIterable<T[]>, row: (t: T) => Cell[]): AsyncGenerator<Cell[][]> {
  for await (const page of source) yield page.map(row);
}

/** A column of a row-per-record export: its header beside the cell it reads, so the two cannot drift apart. */
type Column<T> = readonly [header: string, cell: (row: T) => Cell];

/** An export whose every record of `source` is one row. */
function recordTable<T>(title: string, source: AsyncIterable<T[]>, columns: readonly Column<T>[]): ExportTable {
  return {
    title,
    columns: columns.map(([header]) => ({ header })),
    pages: mapPages(source, (r) => columns.map(([, cell]) => cell(r))),
  };
}

/** The table of an export kind over [from, to) (instants) / [fromDay, toDay] (roll-up days). */
export function exportTable(
  ports: StatsPorts,
  kind: ExportKind,
  range: { from: Date; to: Date; fromDay: string; toDay: string; area?: string; department?: string },
): ExportTable {
  switch (kind) {
    case 'audit':
      return recordTable('审计日志', ports.audit.rows(range.from, range.to), [
        ['时间', (r) => time(r.at)],
        ['操作人ID', (r) => r.actorId],
        ['操作', (r) => r.action],
        ['对象类型', (r) => r.targetType],
        ['对象ID', (r) => r.targetId],
        ['详情', (r) => r.details],
        ['请求ID', (r) => r.requestId],
      ]);
    case 'stats':
      return {
        title: '统计数据',
        columns: cols('日期', '类别', '对象', '区域', '部门', '指标', '数值'),
        pages: rollupRows(range.fromDay, range.toDay, range),
      };
    case 'volunteer-hours':
      return recordTable('志愿服务时长', ports.volunteers.volunteerHoursRows(range.from, range.to), [
        ['签退时间', (r) => time(r.checkOutAt)],
        ['签到时间', (r) => time(r.checkInAt)],
        ['志愿者ID', (r) => r.userId],
        ['队伍', (r) => r.team],
        ['活动', (r) => r.activity],
        ['服务时长（小时）', (r) => hoursOf(r.minutes)],
        ['已确认', (r) => (r.confirmed ? '是' : '否')],
      ]);
    case 'coupon-redemptions':
      return recordTable('消费券核销', ports.coupons.couponRedemptionRows(range.from, range.to), [
        ['核销时间', (r) => time(r.redeemedAt)],
        ['券码', (r) => r.code],
        ['批次', (r) => r.batch],
        ['核销商户ID', (r) => r.merchantId],
        ['用户ID', (r) => r.userId],
        ['面值（分）', (r) => r.value],
        ['订单金额（分）', (r) => r.orderAmount],
      ]);
  }
}
