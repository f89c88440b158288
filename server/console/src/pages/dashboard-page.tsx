import { DownloadOutlined } from '@ant-design/icons';
import type { PointsSource } from '@shared/schemas/points';
import { dashboardQuerySchema, type DashboardQuery, type DashboardResponse, type ExportFormat } from '@shared/schemas/stats';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Row, Select, Skeleton, Space, Spin, Table, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { api, download } from '../api/client';
import { useSession } from '../auth/session';
import { EChart, type ChartOption } from '../components/echart';
import { useResource } from '../hooks/use-resource';

const RED = '#c8161d';
const PALETTE = [RED, '#1677ff', '#faad14', '#52c41a', '#8c8c8c'];
const POINT_SOURCES: Record<PointsSource, string> = {
  reading: '阅读',
  volunteer: '志愿服务',
  contribution: '投稿',
  contest: '活动',
  civic: '问政',
  mall: '积分商城',
  expiry: '过期',
  admin: '人工调整',
};

/** Shared by every chart: the console's colours, no grow-in animation (read at a glance), an axis tooltip. */
const base = (option: ChartOption): ChartOption => ({
  color: PALETTE,
  animation: false,
  tooltip: { trigger: 'axis' },
  legend: { top: 0 },
  grid: { left: 48, right: 48, top: 36, bottom: 28, containLabel: true },
  ...option,
});
/** A tooltip for bars: the whole category highlighted. */
const BAR_TOOLTIP = { trigger: 'axis', axisPointer: { type: 'shadow' } } as const;
/** One series per [name, value of a row] over the same rows. */
function seriesOf<T>(type: 'bar' | 'line', rows: readonly T[], fields: ReadonlyArray<[string, (row: T) => number]>, style: object = {}) {
  return fields.map(([name, value]) => ({ name, type, ...style, data: rows.map(value) }));
}
const shortDay = (day: string) => day.slice(5);
/** Names in an HTML tooltip are text, never markup. */
const escapeHtml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** A category axis of names that may be long (circles, teams): horizontal bars, the longest names cut. */
const nameAxis = (names: string[]) => ({
  type: 'category' as const,
  data: names,
  inverse: true,
  axisLabel: { width: 110, overflow: 'truncate' as const },
});

/** One chart's card: a skeleton while loading, an empty state when the range has nothing to draw. */
function ChartCard(props: {
  id: string;
  title: string;
  loading: boolean;
  empty: boolean;
  height?: number;
  extra?: ReactNode;
  children?: ReactNode;
  option: () => ChartOption;
}) {
  return (
    <Card
      title={props.title}
      extra={props.extra}
      data-testid={`chart-${props.id}`}
      styles={{ body: { minHeight: (props.height ?? 280) + 24 } }}
    >
      {props.loading ? (
        <Skeleton active paragraph={{ rows: 7 }} />
      ) : props.empty ? (
        <Empty description="所选范围内暂无数据" style={{ paddingTop: 64 }} />
      ) : (
        <>
          <EChart option={props.option()} style={{ height: props.height ?? 280 }} />
          {props.children}
        </>
      )}
    </Card>
  );
}

/** A dashboard filter: empty means all (全部区域, 全部部门). */
function FilterSelect(props: {
  label: string;
  width: number;
  value?: string;
  onChange(v: string | undefined): void;
  options: Array<{ value: string; label: string }>;
}) {
  return (
    <Select
      aria-label={props.label}
      allowClear
      placeholder={`全部${props.label}`}
      style={{ width: props.width }}
      value={props.value}
      onChange={props.onChange}
      options={props.options}
    />
  );
}

const yesterday = () => dayjs().subtract(1, 'day').startOf('day');

export default function DashboardPage() {
  const { roles } = useSession();
  const { message } = App.useApp();
  const canExport = roles.has('editor') || roles.has('admin');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [yesterday().subtract(29, 'day'), yesterday()]);
  const [area, setArea] = useState<string>();
  const [department, setDepartment] = useState<string>();
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const query: DashboardQuery = {
    from: range[0].format('YYYY-MM-DD'),
    to: range[1].format('YYYY-MM-DD'),
    ...(area ? { area } : {}),
    ...(department ? { department } : {}),
  };
  const checked = dashboardQuerySchema.safeParse(query);
  const board = useResource(() => api<DashboardResponse>('/console/dashboard', { query: { ...query } }), [query]);
  const d = board.data;
  const loading = board.loading && !d;

  const exportStats = async (format: ExportFormat) => {
    setExporting(format);
    try {
      await download('/console/exports/stats', { format, ...query }, `statistics.${format}`);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setExporting(null);
    }
  };

  const users = d?.users?.days ?? [];
  const reads = d?.reads;
  const circles = d?.circles ?? [];
  const departments = d?.wenzheng.departments ?? [];
  const wenzhengDays = d?.wenzheng.days ?? [];
  const teams = d?.volunteers ?? [];
  const funnel = d?.coupons?.funnel;
  const sources = d?.points?.sources ?? [];
  const any = (values: number[]) => values.some((v) => v > 0);
  const staffOnly = d !== undefined && d.users === undefined;

  return (
    <div>
      <Space wrap align="center" style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Space wrap>
          <DatePicker.RangePicker
            aria-label="日期范围"
            value={range}
            allowClear={false}
            disabledDate={(day) => day.isAfter(yesterday())}
            presets={[
              { label: '最近 7 天', value: [yesterday().subtract(6, 'day'), yesterday()] },
              { label: '最近 30 天', value: [yesterday().subtract(29, 'day'), yesterday()] },
              { label: '最近 90 天', value: [yesterday().subtract(89, 'day'), yesterday()] },
              { label: '最近一年', value: [yesterday().subtract(365, 'day'), yesterday()] },
            ]}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          />
          {!staffOnly && (
            <FilterSelect
              label="区域"
              width={150}
              value={area}
              onChange={setArea}
              options={(d?.filters.areas ?? []).map((a) => ({ value: a, label: a }))}
            />
          )}
          <FilterSelect
            label="部门"
            width={170}
            value={department}
            onChange={setDepartment}
            options={(d?.filters.departments ?? []).map((x) => ({ value: x.key, label: x.name }))}
          />
        </Space>
        {canExport && (
          <Space>
            <Tooltip title="所选日期范围的每日汇总，逐行导出">
              <Button icon={<DownloadOutlined />} loading={exporting === 'csv'} onClick={() => void exportStats('csv')}>
                导出 CSV
              </Button>
            </Tooltip>
            <Button icon={<DownloadOutlined />} loading={exporting === 'xlsx'} onClick={() => void exportStats('xlsx')}>
              导出 Excel
            </Button>
          </Space>
        )}
      </Space>
      {!checked.success && <Alert type="error" showIcon message={checked.error.issues[0]?.message} style={{ marginBottom: 16 }} />}
      {board.error && (
        <Alert
          type="error"
          showIcon
          message={board.error.message}
          action={
            <Button size="small" onClick={board.reload}>
              重试
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      {d && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          {d.from} 至 {d.to}，已汇总 {d.daysComputed} 天（每日凌晨汇总前一天的数据）。
          {staffOnly && '您看到的是本部门的问政数据。'}
        </Typography.Paragraph>
      )}
      {/* A new range or filter: the figures shown stay, dimmed, until the new ones arrive. */}
      <Spin spinning={board.loading && d !== undefined} delay={200}>
        <Row gutter={[16, 16]}>
          {!staffOnly && (
            <>
              <Col xs={24} xl={12}>
                <ChartCard
                  id="users"
                  title="用户与日活"
                  loading={loading}
                  empty={!any(users.flatMap((u) => [u.totalUsers, u.activeUsers, u.newUsers]))}
                  option={() =>
                    base({
                      xAxis: { type: 'category', data: users.map((u) => shortDay(u.day)) },
                      yAxis: [
                        { type: 'value', name: '人', minInterval: 1 },
                        { type: 'value', name: '累计', minInterval: 1, splitLine: { show: false } },
                      ],
                      series: [
                        ...seriesOf(
                          'line',
                          users,
                          [
                            ['日活', (u) => u.activeUsers],
                            ['新增用户', (u) => u.newUsers],
                          ],
                          { smooth: true },
                        ),
                        {
                          name: '累计用户',
                          type: 'line',
                          yAxisIndex: 1,
                          symbol: 'none',
                          lineStyle: { type: 'dashed' },
                          data: users.map((u) => u.totalUsers),
                        },
                      ],
                    })
                  }
                />
              </Col>
              <Col xs={24} xl={12}>
                <ChartCard
                  id="reads"
                  title="每日阅读量"
                  loading={loading}
                  empty={!any((reads?.days ?? []).map((r) => r.reads))}
                  option={() =>
                    base({
                      legend: { show: false },
                      xAxis: { type: 'category', data: (reads?.days ?? []).map((r) => shortDay(r.day)) },
                      yAxis: { type: 'value', minInterval: 1 },
                      series: [
                        {
                          name: '阅读量',
                          type: 'line',
                          smooth: true,
                          areaStyle: { opacity: 0.12 },
                          data: (reads?.days ?? []).map((r) => r.reads),
                        },
                      ],
                    })
                  }
                />
              </Col>
              <Col xs={24} xl={12}>
                <Card title="热门文章（阅读量前 10）" data-testid="top-articles" styles={{ body: { padding: 0 } }}>
                  <Table
                    size="small"
                    rowKey="key"
                    loading={loading}
                    pagination={false}
                    dataSource={reads?.topArticles ?? []}
                    locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所选范围内暂无阅读" /> }}
                    columns={[
                      { title: '#', width: 48, render: (_v, _r, i) => i + 1 },
                      { title: '文章', dataIndex: 'name', ellipsis: true },
                      { title: '阅读量', dataIndex: 'reads', width: 110, align: 'right', render: (v: number) => v.toLocaleString('zh-CN') },
                    ]}
                  />
                </Card>
              </Col>
              <Col xs={24} xl={12}>
                <ChartCard
                  id="circles"
                  title="各圈子投稿与刊发"
                  loading={loading}
                  empty={!any(circles.flatMap((c) => [c.submissions, c.publications]))}
                  height={Math.max(280, circles.length * 26 + 60)}
                  option={() =>
                    base({
                      tooltip: BAR_TOOLTIP,
                      xAxis: { type: 'value', minInterval: 1 },
                      yAxis: nameAxis(circles.map((c) => c.name)),
                      series: [
                        ...seriesOf('bar', circles, [
                          ['投稿', (c) => c.submissions],
                          ['刊发', (c) => c.publications],
                        ]),
                      ],
                    })
                  }
                />
              </Col>
            </>
          )}
          <Col xs={24}>
            <ChartCard
              id="wenzheng"
              title="问政：各部门受理、答复与超期"
              loading={loading}
              empty={!any(departments.flatMap((x) => [x.intake, x.answered, x.overdue]))}
              option={() =>
                base({
                  tooltip: BAR_TOOLTIP,
                  xAxis: {
                    type: 'category',
                    data: departments.map((x) => x.name),
                    axisLabel: { interval: 0, overflow: 'truncate', width: 90 },
                  },
                  yAxis: [
                    { type: 'value', name: '件', minInterval: 1 },
                    { type: 'value', name: '答复率', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
                  ],
                  series: [
                    ...seriesOf(
                      'bar',
                      departments,
                      [
                        ['受理', (x) => x.intake],
                        ['已答复', (x) => x.answered],
                        ['超期', (x) => x.overdue],
                      ],
                      { barMaxWidth: 28 },
                    ),
                    {
                      name: '答复率',
                      type: 'line',
                      yAxisIndex: 1,
                      tooltip: { valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
                      data: departments.map((x) => (x.replyRate === null ? null : Math.round(x.replyRate * 1000) / 10)),
                    },
                  ],
                })
              }
            >
              <Table
                size="small"
                rowKey="key"
                pagination={false}
                style={{ marginTop: 8 }}
                dataSource={departments}
                scroll={{ x: 640 }}
                columns={[
                  { title: '部门', dataIndex: 'name' },
                  { title: '受理', dataIndex: 'intake', align: 'right' },
                  { title: '已答复', dataIndex: 'answered', align: 'right' },
                  { title: '按期答复', dataIndex: 'answeredOnTime', align: 'right' },
                  {
                    title: '超期',
                    dataIndex: 'overdue',
                    align: 'right',
                    render: (v: number) => <span style={{ color: v > 0 ? RED : undefined }}>{v}</span>,
                  },
                  {
                    title: '答复率',
                    dataIndex: 'replyRate',
                    align: 'right',
                    render: (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`),
                  },
                  {
                    title: '答复用时中位数',
                    dataIndex: 'medianHoursToAnswer',
                    align: 'right',
                    render: (v: number | null) => (v === null ? '—' : `${v} 小时`),
                  },
                ]}
              />
            </ChartCard>
          </Col>
          <Col xs={24}>
            <ChartCard
              id="wenzheng-days"
              title="问政：每日受理、答复与超期"
              loading={loading}
              height={240}
              empty={!any(wenzhengDays.flatMap((x) => [x.intake, x.answered, x.overdue]))}
              option={() =>
                base({
                  xAxis: { type: 'category', data: wenzhengDays.map((x) => shortDay(x.day)) },
                  yAxis: { type: 'value', name: '件', minInterval: 1 },
                  series: [
                    ...seriesOf(
                      'line',
                      wenzhengDays,
                      [
                        ['受理', (x) => x.intake],
                        ['已答复', (x) => x.answered],
                      ],
                      { smooth: true },
                    ),
                    ...seriesOf('bar', wenzhengDays, [['超期', (x) => x.overdue]], { barMaxWidth: 12 }),
                  ],
                })
              }
            />
          </Col>
          {!staffOnly && (
            <>
              <Col xs={24} xl={12}>
                <ChartCard
                  id="volunteers"
                  title="各志愿队服务时长"
                  loading={loading}
                  empty={!any(teams.map((x) => x.hours))}
                  height={Math.max(280, teams.length * 26 + 60)}
                  option={() =>
                    base({
                      legend: { show: false },
                      // Hours on the axis; the people who served them in the tooltip (a second unit on one axis misleads).
                      tooltip: {
                        trigger: 'axis',
                        axisPointer: { type: 'shadow' },
                        formatter: (p: unknown) => {
                          const t = teams[(p as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0];
                          return t ? `${escapeHtml(t.name)}<br/>服务时长 ${t.hours} 小时 · ${t.volunteers} 人次` : '';
                        },
                      },
                      xAxis: { type: 'value', name: '小时' },
                      yAxis: nameAxis(teams.map((x) => x.name)),
                      series: [{ name: '服务时长（小时）', type: 'bar', barMaxWidth: 24, data: teams.map((x) => x.hours) }],
                    })
                  }
                />
              </Col>
              <Col xs={24} xl={12}>
                <ChartCard
                  id="coupons"
                  title="消费券漏斗"
                  loading={loading}
                  empty={!funnel || !any([funnel.issued, funnel.claimed, funnel.redeemed, funnel.expired])}
                  option={() => {
                    const steps = funnel
                      ? [
                          { name: '发放', value: funnel.issued },
                          { name: '领取', value: funnel.claimed },
                          { name: '核销', value: funnel.redeemed },
                          { name: '过期', value: funnel.expired },
                        ]
                      : [];
                    return base({
                      tooltip: { trigger: 'item', formatter: '{b}：{c} 张' },
                      legend: { show: false },
                      series: [
                        {
                          name: '消费券',
                          type: 'funnel',
                          sort: 'none',
                          left: '10%',
                          width: '80%',
                          top: 16,
                          bottom: 8,
                          minSize: '34%',
                          label: { position: 'inside', formatter: '{b} {c}', color: '#fff' },
                          data: steps,
                        },
                      ],
                    });
                  }}
                />
              </Col>
              <Col xs={24}>
                <ChartCard
                  id="points"
                  title="积分发放与消耗（按来源）"
                  loading={loading}
                  empty={!any(sources.flatMap((x) => [x.issued, x.spent]))}
                  option={() =>
                    base({
                      tooltip: BAR_TOOLTIP,
                      xAxis: { type: 'category', data: sources.map((x) => POINT_SOURCES[x.source as PointsSource] ?? x.source) },
                      yAxis: { type: 'value', name: '积分' },
                      series: [
                        ...seriesOf(
                          'bar',
                          sources,
                          [
                            ['发放', (x) => x.issued],
                            ['消耗', (x) => x.spent],
                          ],
                          { barMaxWidth: 32 },
                        ),
                      ],
                    })
                  }
                />
              </Col>
            </>
          )}
        </Row>
      </Spin>
    </div>
  );
}
