import { PlusOutlined } from '@ant-design/icons';
import {
  batchRuleProblem,
  COUPON_KIND_LABELS,
  COUPON_KINDS,
  createBatchBodySchema,
  type BatchStats,
  type BatchView,
  type CouponKind,
  type DrawView,
} from '@shared/schemas/coupons';
import type { MerchantView } from '@shared/schemas/merchants';
import {
  Alert,
  Button,
  Col,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { actionsColumn, tagColumn, timeColumn, TitleCell } from '../components/columns';
import { EChart } from '../components/echart';
import { Facts } from '../components/facts';
import { FilterSelect } from '../components/filter-select';
import { FormModal } from '../components/form-modal';
import { shanghaiTime } from '../components/format';
import { ListCard, ListNote } from '../components/paged-table';
import { useAction } from '../hooks/use-action';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import { useResource } from '../hooks/use-resource';

const PHASE_TAGS = { upcoming: ['blue', '未开始'], open: ['green', '进行中'], ended: ['default', '已结束'] } as const;
const MODE_LABELS = { grab: '先到先得', lottery: '抽签' } as const;
const ISSUER_LABELS = { government: '政府消费券', merchant: '商户券' } as const;

/** Fen as yuan for people: 1500 → ¥15, 1250 → ¥12.5. */
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2).replace(/\.?0+$/, '')}`;

/** What the coupon is worth, as the coupon centre says it: 立减 ¥10, 8.8 折, 满 ¥100 减 ¥20. */
function couponValueText(b: Pick<BatchView, 'kind' | 'value' | 'threshold'>): string {
  if (b.kind === 'discount') return `${(b.value / 10).toString()} 折${b.threshold ? `（满 ${yuan(b.threshold)}）` : ''}`;
  if (b.kind === 'spend_x_save_y') return `满 ${yuan(b.threshold)} 减 ${yuan(b.value)}`;
  return `立减 ${yuan(b.value)}${b.threshold ? `（满 ${yuan(b.threshold)}）` : ''}`;
}

const BATCH_FIELDS = [
  'title',
  'description',
  'kind',
  'value',
  'threshold',
  'totalStock',
  'perUserLimit',
  'claimStartsAt',
  'claimEndsAt',
  'validity.type',
  'validity.from',
  'validity.until',
  'validity.days',
  'issuer.merchantIds',
  'mode',
];

interface BatchValues {
  title?: string;
  description?: string;
  kind?: CouponKind;
  /** Yuan for 立减/满减, the percentage paid for 折扣. */
  value?: number | null;
  /** Yuan. */
  threshold?: number | null;
  totalStock?: number;
  perUserLimit?: number;
  claimStartsAt?: Dayjs | null;
  claimEndsAt?: Dayjs | null;
  validity?: { type?: 'fixed' | 'relative'; from?: Dayjs | null; until?: Dayjs | null; days?: number };
  issuer?: { merchantIds?: string[] };
  mode?: 'grab' | 'lottery';
}

const toFen = (yuanValue: number | null | undefined) => (typeof yuanValue === 'number' ? Math.round(yuanValue * 100) : yuanValue);
const instant = (d: Dayjs | null | undefined) => (d ? d.toISOString() : '');

/** The form's values as the API's body: yuan as fen, dates as instants (an empty date is refused under its field). */
function batchBody(v: BatchValues) {
  const validity =
    v.validity?.type === 'relative'
      ? { type: 'relative', days: v.validity.days }
      : { type: 'fixed', from: instant(v.validity?.from), until: instant(v.validity?.until) };
  return {
    title: v.title ?? '',
    description: v.description?.trim() ? v.description.trim() : undefined,
    kind: v.kind,
    value: v.kind === 'discount' ? v.value : toFen(v.value),
    threshold: toFen(v.threshold) ?? 0,
    totalStock: v.totalStock,
    perUserLimit: v.perUserLimit,
    claimStartsAt: instant(v.claimStartsAt),
    claimEndsAt: instant(v.claimEndsAt),
    validity,
    issuer: { type: 'government', merchantIds: v.issuer?.merchantIds ?? [] },
    mode: v.mode,
  };
}

function newBatchValues(): BatchValues {
  const start = dayjs().add(1, 'day').hour(10).minute(0).second(0).millisecond(0);
  return {
    kind: 'amount_off',
    threshold: 0,
    totalStock: 1000,
    perUserLimit: 1,
    claimStartsAt: start,
    claimEndsAt: start.add(7, 'day'),
    validity: { type: 'fixed', from: start, until: start.add(30, 'day'), days: 30 },
    issuer: { merchantIds: [] },
    mode: 'grab',
  };
}

/** Participating shops by name: the directory searched on the server as one types; picked ones keep their names. */
function MerchantsPicker({ value, onChange, id }: { value?: string[]; onChange?(ids: string[]): void; id?: string }) {
  const [q, setQ] = useState('');
  const found = useResource(() => api<{ items: MerchantView[] }>('/merchants', { query: { q: q || undefined, limit: 100 } }), [q]);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const shown = found.data?.items ?? [];
  const options = useMemo(() => {
    const seen = new Set(shown.map((m) => m.id));
    return [
      ...(value ?? []).filter((m) => !seen.has(m)).map((m) => ({ value: m, label: names.get(m) ?? `商户 ${m.slice(-6)}` })),
      ...shown.map((m) => ({ value: m.id, label: `${m.name} · ${m.address}` })),
    ];
  }, [shown, value, names]);
  return (
    <Space.Compact block>
      <Select
        id={id}
        mode="multiple"
        allowClear
        showSearch
        filterOption={false}
        onSearch={(v) => setQ(v.trim())}
        value={value}
        onChange={(ids: string[]) => {
          setNames((prev) => new Map([...prev, ...shown.map((m) => [m.id, m.name] as const)]));
          onChange?.(ids);
        }}
        placeholder="输入店名搜索，可多选"
        notFoundContent={found.loading ? <Spin size="small" /> : '没有找到'}
        options={options}
        maxTagCount="responsive"
        style={{ width: '100%' }}
      />
      <Button
        onClick={() => {
          setNames((prev) => new Map([...prev, ...shown.map((m) => [m.id, m.name] as const)]));
          onChange?.([...new Set([...(value ?? []), ...shown.map((m) => m.id)])]);
        }}
        disabled={!shown.length}
      >
        全选{q ? '搜索结果' : '列出的'}（{shown.length}）
      </Button>
    </Space.Compact>
  );
}

function BatchForm({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  return (
    <FormModal<typeof createBatchBodySchema, BatchValues>
      title="发放政府消费券"
      okText="发布"
      schema={createBatchBodySchema}
      fields={BATCH_FIELDS}
      width={860}
      initialValues={newBatchValues()}
      toBody={batchBody}
      refine={batchRuleProblem}
      send={(body) => api('/coupon-batches', { body })}
      onClose={onClose}
      success="消费券已发布"
      onDone={onDone}
    >
      {(form: FormInstance<BatchValues>) => (
        <>
          <Form.Item name="mode" label="发放方式">
            <Radio.Group
              optionType="button"
              options={[
                { value: 'grab', label: '先到先得' },
                { value: 'lottery', label: '抽签' },
              ]}
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a: BatchValues, b: BatchValues) => a.mode !== b.mode}>
            {() => (
              <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
                {form.getFieldValue('mode') === 'lottery'
                  ? '抽签：市民在报名时间内报名，截止后开奖（定时任务每分钟检查，管理员也可手动开奖），中签者每人一张；随机种子与名单公开可复核。'
                  : '先到先得：领取时间内按先后领完为止。'}
              </Typography.Paragraph>
            )}
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="title" label="标题">
                <Input maxLength={40} showCount placeholder="如 2026 冬季家电消费券" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="description" label="使用说明（选填）">
                <Input maxLength={500} placeholder="如 限家电类商品，不与店内其他优惠同享" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="kind" label="券类型">
                <Radio.Group options={COUPON_KINDS.map((k) => ({ value: k, label: COUPON_KIND_LABELS[k] }))} />
              </Form.Item>
            </Col>
            <Form.Item noStyle shouldUpdate={(a: BatchValues, b: BatchValues) => a.kind !== b.kind}>
              {() => {
                const discount = form.getFieldValue('kind') === 'discount';
                return (
                  <>
                    <Col xs={12} md={6}>
                      <Form.Item
                        name="value"
                        label={discount ? '实付比例（%）' : '减免金额（元）'}
                        extra={discount ? '88 表示 8.8 折' : undefined}
                      >
                        <InputNumber precision={discount ? 0 : 2} min={0} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item name="threshold" label="使用门槛（元）" extra="0 为无门槛">
                        <InputNumber precision={2} min={0} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  </>
                );
              }}
            </Form.Item>
            <Col xs={12} md={6}>
              <Form.Item name="totalStock" label="发放总量（张）">
                <InputNumber precision={0} min={1} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="perUserLimit" label="每人限领（张）">
                <InputNumber precision={0} min={1} max={10} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Form.Item noStyle shouldUpdate={(a: BatchValues, b: BatchValues) => a.mode !== b.mode}>
              {() => {
                const lottery = form.getFieldValue('mode') === 'lottery';
                return (
                  <>
                    <Col xs={12} md={6}>
                      <Form.Item name="claimStartsAt" label={lottery ? '报名开始' : '领取开始'}>
                        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item name="claimEndsAt" label={lottery ? '报名截止（随后开奖）' : '领取截止'}>
                        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  </>
                );
              }}
            </Form.Item>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name={['validity', 'type']} label="有效期">
                <Radio.Group
                  options={[
                    { value: 'fixed', label: '固定日期' },
                    { value: 'relative', label: '领取后若干天' },
                  ]}
                />
              </Form.Item>
            </Col>
            <Form.Item noStyle shouldUpdate={(a: BatchValues, b: BatchValues) => a.validity?.type !== b.validity?.type}>
              {() =>
                form.getFieldValue(['validity', 'type']) === 'relative' ? (
                  <Col xs={12} md={8}>
                    <Form.Item name={['validity', 'days']} label="领取后有效天数">
                      <InputNumber precision={0} min={1} max={365} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                ) : (
                  <>
                    <Col xs={12} md={8}>
                      <Form.Item name={['validity', 'from']} label="可用开始">
                        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={8}>
                      <Form.Item name={['validity', 'until']} label="可用截止">
                        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  </>
                )
              }
            </Form.Item>
          </Row>
          <Form.Item name={['issuer', 'merchantIds']} label="参与商户" extra="市民可在这些商户核销此券">
            <MerchantsPicker />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

/** The funnel of one batch: 发放 → 领取 → 核销, with 过期 and 未使用 beside it. */
function Funnel({ stats }: { stats: BatchStats }) {
  return (
    <EChart
      style={{ height: 260 }}
      option={{
        tooltip: { trigger: 'item', formatter: '{b}：{c} 张' },
        series: [
          {
            name: '消费券',
            type: 'funnel',
            sort: 'none',
            left: '10%',
            width: '80%',
            top: 8,
            bottom: 8,
            minSize: '30%',
            label: { position: 'inside', formatter: '{b} {c}', color: '#fff' },
            data: [
              { name: '发放', value: stats.totalStock },
              { name: '领取', value: stats.claimed },
              { name: '核销', value: stats.redeemed },
            ],
          },
        ],
      }}
    />
  );
}

/** A lottery batch's draw: the recorded one (seed, entrants, winners), or 开奖 once sign-up has closed. */
function Draw({ batch, admin, onDrawn }: { batch: BatchView; admin: boolean; onDrawn(): void }) {
  const draw = useResource(
    () => api<{ draw: DrawView }>(`/coupon-batches/${batch.id}/draw`).catch((e: unknown) => (isNotDrawn(e) ? null : Promise.reject(e))),
    [batch.id],
  );
  const signups = useResource(() => api<{ entrants: number }>(`/coupon-batches/${batch.id}/signup`), [batch.id]);
  const act = useAction(() => {
    draw.reload();
    // The winners' coupons now count as claimed.
    onDrawn();
  });
  const d = draw.data?.draw;
  if (draw.loading) return <Spin />;
  if (draw.error) return <Alert type="error" showIcon message={draw.error.message} />;
  if (d)
    return (
      <Facts
        column={2}
        items={[
          ['开奖时间', shanghaiTime(d.drawnAt)],
          ['报名 / 中签', `${d.entrants.length} 人报名，${d.winners.length} 人中签`],
          [
            '随机种子',
            <Typography.Text copyable code style={{ wordBreak: 'break-all' }}>
              {d.seed}
            </Typography.Text>,
            2,
          ],
          [
            '复核',
            <Typography.Text type="secondary">
              任何人可用种子、报名名单与发放总量重算中签名单（GET /api/v1/coupon-batches/{batch.id}/draw）
            </Typography.Text>,
            2,
          ],
        ]}
      />
    );
  const entrants = signups.data?.entrants;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text>
        尚未开奖 · 已报名 {entrants ?? '—'} 人 · 报名截止 {shanghaiTime(batch.claimEndsAt)}
      </Typography.Text>
      {admin &&
        (batch.phase === 'ended' ? (
          <Popconfirm
            title="现在开奖？"
            description="开奖结果只记录一次，随机种子与名单公开可复核。"
            okText="开奖"
            cancelText="取消"
            onConfirm={() => act(() => api(`/coupon-batches/${batch.id}/draw`, { body: {} }), '已开奖')}
          >
            <Button type="primary">开奖</Button>
          </Popconfirm>
        ) : (
          <Typography.Text type="secondary">报名截止后可开奖（定时任务每分钟也会自动开奖）</Typography.Text>
        ))}
    </Space>
  );
}

const isNotDrawn = (e: unknown) => typeof e === 'object' && e !== null && (e as { status?: number }).status === 404;

function BatchDrawer({ batch, admin, onClose }: { batch: BatchView; admin: boolean; onClose(): void }) {
  const stats = useResource(() => api<{ stats: BatchStats }>(`/coupon-batches/${batch.id}/stats`), [batch.id]);
  const s = stats.data?.stats;
  return (
    <Drawer open width={Math.min(760, window.innerWidth - 80)} title={batch.title} onClose={onClose}>
      <Space orientation="vertical" size={20} style={{ width: '100%' }}>
        <Facts
          column={2}
          items={[
            ['面额', couponValueText(batch)],
            ['发放方式', `${ISSUER_LABELS[batch.issuer.type]} · ${MODE_LABELS[batch.mode]}`],
            [
              batch.mode === 'lottery' ? '报名时间' : '领取时间',
              `${shanghaiTime(batch.claimStartsAt)} 至 ${shanghaiTime(batch.claimEndsAt)}`,
              2,
            ],
            [
              '有效期',
              batch.validity.type === 'fixed'
                ? `${shanghaiTime(batch.validity.from)} 至 ${shanghaiTime(batch.validity.until)}`
                : `领取后 ${batch.validity.days} 天`,
            ],
            ['参与商户', `${batch.merchantIds.length} 家`],
            batch.description && ['使用说明', batch.description, 2],
          ]}
        />
        <div data-testid="batch-funnel">
          <Typography.Title level={5}>领取与核销</Typography.Title>
          {stats.error && <Alert type="error" showIcon message={stats.error.message} />}
          {stats.loading && <Spin />}
          {s && (
            <>
              <Row gutter={16}>
                <Col span={6}>
                  <Statistic title="发放" value={s.totalStock} suffix="张" />
                </Col>
                <Col span={6}>
                  <Statistic title="已领取" value={s.claimed} suffix="张" />
                </Col>
                <Col span={6}>
                  <Statistic title="已核销" value={s.redeemed} suffix="张" />
                </Col>
                <Col span={6}>
                  <Statistic title="已过期" value={s.expired} suffix="张" />
                </Col>
              </Row>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                领取率 {s.totalStock ? Math.round((s.claimed / s.totalStock) * 100) : 0}% · 核销率{' '}
                {s.claimed ? Math.round((s.redeemed / s.claimed) * 100) : 0}%（占已领取）· 未使用 {s.unused} 张
              </Typography.Text>
              {s.claimed > 0 || s.totalStock > 0 ? <Funnel stats={s} /> : <Empty description="暂无数据" />}
            </>
          )}
        </div>
        {batch.mode === 'lottery' && (
          <div>
            <Typography.Title level={5}>抽签</Typography.Title>
            <Draw batch={batch} admin={admin} onDrawn={stats.reload} />
          </div>
        )}
      </Space>
    </Drawer>
  );
}

/**
 * 消费券批次: every batch, the latest claim window first, a page at a time (filter by issuer and release mode);
 * a batch's funnel (发放 → 领取 → 核销, 过期) and, for a lottery, its recorded draw in a drawer. Admins issue
 * government coupons and run a lottery's draw once sign-up has closed; editors see the figures.
 */
export default function CouponBatchesPage() {
  const { roles } = useSession();
  const admin = roles.has('admin');
  const [issuer, setIssuer] = useState<'government' | 'merchant' | undefined>('government');
  const [mode, setMode] = useState<'grab' | 'lottery' | undefined>();
  const list = useCursorPages(
    (cursor) =>
      api<CursorPage<BatchView>>('/coupon-batches', { query: { issuer, mode, include: 'all', order: 'latest', cursor, limit: 20 } }),
    [issuer, mode],
  );
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<BatchView | null>(null);
  return (
    <ListCard<BatchView>
      title="消费券批次"
      list={list}
      locale={{ emptyText: <Empty description="没有符合条件的券批次" /> }}
      extra={
        <Space wrap>
          <FilterSelect
            placeholder="全部发放方"
            width={130}
            value={issuer}
            onChange={setIssuer}
            options={[
              { value: 'government', label: '政府消费券' },
              { value: 'merchant', label: '商户券' },
            ]}
          />
          <FilterSelect
            placeholder="全部方式"
            width={120}
            value={mode}
            onChange={setMode}
            options={[
              { value: 'grab', label: '先到先得' },
              { value: 'lottery', label: '抽签' },
            ]}
          />
          {admin && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              发放政府消费券
            </Button>
          )}
        </Space>
      }
      toolbar={!admin && <ListNote message="发放政府消费券和开奖由管理员操作；编辑可查看各批次的领取与核销数据。" />}
      columns={[
        {
          title: '券批次',
          key: 'title',
          render: (_, b) => (
            <TitleCell
              title={b.title}
              onOpen={() => setOpen(b)}
              sub={
                <>
                  {COUPON_KIND_LABELS[b.kind]} · {couponValueText(b)}
                </>
              }
            />
          ),
        },
        {
          title: '方式',
          key: 'mode',
          width: 150,
          render: (_, b) => (
            <Space size={4}>
              <Tag color={b.issuer.type === 'government' ? 'red' : 'default'}>{b.issuer.type === 'government' ? '政府' : '商户'}</Tag>
              <Tag color={b.mode === 'lottery' ? 'purple' : 'cyan'}>{MODE_LABELS[b.mode]}</Tag>
            </Space>
          ),
        },
        {
          title: '余量 / 总量',
          key: 'stock',
          width: 120,
          align: 'right',
          render: (_, b) => (b.remaining === null ? `— / ${b.totalStock}` : `${b.remaining} / ${b.totalStock}`),
        },
        {
          title: '领取 / 报名时间',
          key: 'window',
          width: 170,
          render: (_, b) => (
            <Typography.Text style={{ fontSize: 12 }}>
              {shanghaiTime(b.claimStartsAt)}
              <br />至 {shanghaiTime(b.claimEndsAt)}
            </Typography.Text>
          ),
        },
        tagColumn('状态', 'phase', PHASE_TAGS, 90),
        timeColumn('创建时间', 'createdAt', 140),
        actionsColumn(100, (b) => (
          <Button size="small" onClick={() => setOpen(b)}>
            {b.mode === 'lottery' ? '数据与抽签' : '领取数据'}
          </Button>
        )),
      ]}
    >
      {creating && <BatchForm onClose={() => setCreating(false)} onDone={list.reload} />}
      {open && <BatchDrawer batch={open} admin={admin} onClose={() => setOpen(null)} />}
    </ListCard>
  );
}
