import {
  NOTICE_OUTCOMES,
  NOTIFICATION_KINDS,
  type NoticeDayRow,
  type NoticeOutcome,
  type NoticeStatsResponse,
  type NotificationKind,
  type OutboxPage,
  type OutboxRowView,
} from '@shared/schemas/notifications';
import { Alert, Card, Empty, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { tagColumn, timeColumn } from '../components/columns';
import { EChart, type ChartOption } from '../components/echart';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { ListCard } from '../components/paged-table';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { useResource } from '../hooks/use-resource';

const KIND_LABELS: Record<NotificationKind, string> = {
  wenzheng: '问政',
  points: '积分',
  coupons: '消费券',
  campaigns: '专题活动',
  volunteers: '志愿服务',
  newsroom: '稿件与通讯员',
  merchants: '商户与推广',
  contests: '比赛结果',
  comments: '评论回复',
  system: '系统',
};
const OUTCOMES: Record<NoticeOutcome, [string, string]> = {
  pending: ['gold', '待发送'],
  sent: ['green', '已送达'],
  refused: ['default', '未订阅/被拒'],
  dropped: ['red', '已放弃'],
};
/** Drop reasons in words (the key as counted; the row's full reason is shown beside it). */
const REASONS: Record<string, string> = {
  no_consent: '用户未订阅',
  refused: '微信拒收（43101）',
  daily_limit: '超过每日上限',
  invalid_data: '内容不合模板',
  gave_up: '重试后放弃',
  no_openid: '无 openid',
};
const reasonLabel = (key: string) => REASONS[key] ?? (key.startsWith('errcode_') ? `微信错误 ${key.slice(8)}` : key);

type Totals = Omit<NoticeDayRow, 'day' | 'kind'>;
const zero = (): Totals => ({ inApp: 0, queued: 0, sent: 0, refused: 0, dropped: 0, reasons: {} });
function add(into: Totals, row: Totals): Totals {
  into.inApp += row.inApp;
  into.queued += row.queued;
  into.sent += row.sent;
  into.refused += row.refused;
  into.dropped += row.dropped;
  for (const [k, n] of Object.entries(row.reasons)) into.reasons[k] = (into.reasons[k] ?? 0) + n;
  return into;
}

/** Every day of the range (days without notices drawn as zero), oldest first. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

function chartOf(stats: NoticeStatsResponse): ChartOption {
  const days = daysOf(stats.from, stats.to);
  const byDay = new Map<string, Totals>();
  for (const row of stats.rows) byDay.set(row.day, add(byDay.get(row.day) ?? zero(), row));
  const series = (name: string, field: 'inApp' | 'sent' | 'refused' | 'dropped', type: 'bar' | 'line') => ({
    name,
    type,
    ...(type === 'bar' ? { stack: 'subscribe', barMaxWidth: 28 } : { symbolSize: 6 }),
    data: days.map((d) => byDay.get(d)?.[field] ?? 0),
  });
  return {
    color: ['#8c8c8c', '#52c41a', '#faad14', '#c8161d'],
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 36, bottom: 28, containLabel: true },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      series('站内消息', 'inApp', 'line'),
      series('订阅消息送达', 'sent', 'bar'),
      series('未订阅/被拒', 'refused', 'bar'),
      series('已放弃', 'dropped', 'bar'),
    ],
  };
}

/** 通知统计: what became of the notices by day and kind, and the outbox rows to see why one failed (editors, admins). */
export default function NotificationsPage() {
  const stats = useResource(() => api<NoticeStatsResponse>('/notifications/stats'), []);
  const [kind, setKind] = useState<NotificationKind | undefined>();
  const [outcome, setOutcome] = useState<NoticeOutcome | undefined>();
  const list = useCursorPages(
    (cursor) => api<OutboxPage>('/notifications/outbox', { query: { kind, outcome, cursor, limit: 20 } }),
    [kind, outcome],
  );

  const byKind = new Map<NotificationKind, Totals>();
  for (const row of stats.data?.rows ?? []) byKind.set(row.kind, add(byKind.get(row.kind) ?? zero(), row));
  const kindRows = NOTIFICATION_KINDS.filter((k) => byKind.has(k)).map((k) => ({ kind: k, ...byKind.get(k)! }));

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="通知统计 · 按天"
        extra={stats.data && <Typography.Text type="secondary">{`${stats.data.from} — ${stats.data.to}（上海时间）`}</Typography.Text>}
        data-testid="chart-notices"
      >
        {stats.error && <Alert type="error" showIcon message={stats.error.message} style={{ marginBottom: 16 }} />}
        {stats.loading && !stats.data ? (
          <Skeleton active paragraph={{ rows: 7 }} />
        ) : stats.data && stats.data.rows.length > 0 ? (
          <EChart option={chartOf(stats.data)} style={{ height: 300 }} />
        ) : (
          <Empty description="所选范围内暂无通知" style={{ paddingTop: 48 }} />
        )}
      </Card>
      <Card title="按类型">
        <Table
          size="middle"
          rowKey="kind"
          pagination={false}
          loading={stats.loading}
          dataSource={kindRows}
          data-testid="notices-by-kind"
          columns={[
            { title: '类型', dataIndex: 'kind', width: 110, render: (k: NotificationKind) => KIND_LABELS[k] },
            { title: '站内消息', dataIndex: 'inApp', width: 100, align: 'right' },
            { title: '订阅消息', dataIndex: 'queued', width: 100, align: 'right' },
            { title: '送达', dataIndex: 'sent', width: 90, align: 'right' },
            { title: '未订阅/被拒', dataIndex: 'refused', width: 110, align: 'right' },
            { title: '已放弃', dataIndex: 'dropped', width: 90, align: 'right' },
            {
              title: '原因',
              key: 'reasons',
              render: (_, r) =>
                Object.entries(r.reasons)
                  .sort((a, b) => b[1] - a[1])
                  .map(([k, n]) => <Tag key={k}>{`${reasonLabel(k)} ${n}`}</Tag>),
            },
          ]}
        />
      </Card>
      <ListCard<OutboxRowView>
        title="订阅消息发送记录"
        list={list}
        extra={
          <Space>
            <FilterSelect
              placeholder="全部类型"
              value={kind}
              onChange={setKind}
              options={optionsOf(NOTIFICATION_KINDS, (k) => KIND_LABELS[k])}
            />
            <FilterSelect
              placeholder="全部结果"
              value={outcome}
              onChange={setOutcome}
              options={optionsOf(NOTICE_OUTCOMES, (o) => OUTCOMES[o][1])}
            />
          </Space>
        }
        columns={[
          timeColumn('产生时间', 'createdAt'),
          { title: '类型', dataIndex: 'kind', width: 100, render: (k: NotificationKind) => KIND_LABELS[k] },
          { title: '模板', dataIndex: 'templateKey', width: 150 },
          tagColumn('结果', 'outcome', OUTCOMES, 120),
          {
            title: '原因',
            key: 'reason',
            render: (_, r) => (r.reason ? <Typography.Text title={r.reason}>{r.reason}</Typography.Text> : (r.lastError ?? '—')),
          },
          { title: '尝试', dataIndex: 'attempts', width: 70, align: 'right' },
          { title: '用户 ID', dataIndex: 'userId', width: 220, render: (id: string) => <Typography.Text copyable>{id}</Typography.Text> },
        ]}
      />
    </Space>
  );
}
