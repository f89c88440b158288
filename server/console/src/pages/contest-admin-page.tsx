import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  appointJurorBodySchema,
  CONTEST_PHASE_TEXT,
  CONTEST_STATUSES,
  createContestBodySchema,
  ROUND_KINDS,
  ROUND_LABELS,
  TIE_BREAK_RULES,
  TIE_BREAKS,
  type ContestView,
  type JurorView,
  type ResultsResponse,
  type RoundKind,
  type TieBreak,
} from '@shared/schemas/contests';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Divider,
  Drawer,
  Empty,
  Form,
  Image,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Steps,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { actionsColumn, timeColumn, TitleCell } from '../components/columns';
import { CoverUpload } from '../components/cover-upload';
import { Facts } from '../components/facts';
import { FilterSelect } from '../components/filter-select';
import { FormModal } from '../components/form-modal';
import { shanghaiTime } from '../components/format';
import { ListCard, ListNote } from '../components/paged-table';
import { UserPicker } from '../components/user-picker';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import { useResource } from '../hooks/use-resource';

const STATUS_LABELS: Record<(typeof CONTEST_STATUSES)[number], string> = { upcoming: '未开始', running: '进行中', ended: '已结束' };
const PHASE_COLORS: Record<string, string> = {
  upcoming: 'default',
  submission: 'blue',
  shortlist: 'purple',
  voting: 'orange',
  judging: 'gold',
  results: 'green',
};
const ENTRY_KIND_LABELS = { submission: '已通过的稿件', photo: '图片作品', video: '视频链接' } as const;
const TIE_BREAK_LABELS: Record<TieBreak, string> = { jury: '评委分优先', votes: '票数优先', earliest: '报名早者优先' };

/** At most this many rounds and award tiers: the schema's limits, so every field of them can show its error. */
const MAX_ROUNDS = ROUND_KINDS.length;
const MAX_AWARDS = 10;
const CONTEST_FIELDS = [
  'title',
  'description',
  'cover',
  'campaign',
  ...Array.from({ length: MAX_ROUNDS }, (_, i) => [`rounds.${i}.kind`, `rounds.${i}.startsAt`]).flat(),
  'entryKinds',
  'maxEntriesPerPerson',
  'voting.perUserPerDay',
  'voting.perEntryPerDay',
  'voting.hideTotals',
  'voting.newAccountHours',
  'voting.maxUsersPerDevice',
  'juryWeight',
  'publicWeight',
  ...Array.from({ length: MAX_AWARDS }, (_, i) => [`awards.${i}.label`, `awards.${i}.count`, `awards.${i}.points`]).flat(),
  'tieBreak',
];

interface ContestValues {
  title?: string;
  description?: string;
  cover?: string;
  campaign?: string;
  rounds?: Array<{ kind?: RoundKind; startsAt?: Dayjs | null }>;
  entryKinds?: Array<keyof typeof ENTRY_KIND_LABELS>;
  maxEntriesPerPerson?: number;
  voting?: Partial<ContestView['voting']>;
  juryWeight?: number;
  publicWeight?: number;
  awards?: Array<{ label?: string; count?: number; points?: number }>;
  tieBreak?: TieBreak;
}

/** A new contest's starting point: a week's open call from tomorrow 09:00, a week's public vote, then results. */
function newContestValues(): ContestValues {
  const start = dayjs().add(1, 'day').hour(9).minute(0).second(0).millisecond(0);
  return {
    rounds: [
      { kind: 'submission', startsAt: start },
      { kind: 'voting', startsAt: start.add(7, 'day') },
      { kind: 'results', startsAt: start.add(14, 'day') },
    ],
    entryKinds: ['submission', 'photo', 'video'],
    maxEntriesPerPerson: 1,
    voting: { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: true, newAccountHours: 72, maxUsersPerDevice: 2 },
    juryWeight: 70,
    publicWeight: 30,
    awards: [],
    tieBreak: 'jury',
  };
}

/** A stored contest as the form's values (PUT replaces the whole configuration, so every field starts filled). */
function valuesOf(c: ContestView): ContestValues {
  return {
    title: c.title,
    description: c.description,
    cover: c.cover ?? undefined,
    campaign: c.campaign ?? undefined,
    rounds: c.rounds.map((r) => ({ kind: r.kind, startsAt: dayjs(r.startsAt) })),
    entryKinds: c.entryKinds,
    maxEntriesPerPerson: c.maxEntriesPerPerson,
    voting: c.voting,
    juryWeight: c.juryWeight,
    publicWeight: c.publicWeight,
    awards: c.awards,
    tieBreak: c.tieBreak,
  };
}

const blankToUndefined = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

/** The form's values as the API's body: dates as instants, empty optional texts left out. */
function contestBody(v: ContestValues) {
  return {
    title: v.title ?? '',
    description: v.description ?? '',
    cover: blankToUndefined(v.cover),
    campaign: blankToUndefined(v.campaign),
    // A round without a date is sent as an empty one: the schema then says 时间格式无效 under it.
    rounds: (v.rounds ?? []).map((r) => ({ kind: r.kind, startsAt: r.startsAt ? r.startsAt.toISOString() : '' })),
    entryKinds: v.entryKinds,
    maxEntriesPerPerson: v.maxEntriesPerPerson,
    voting: v.voting,
    juryWeight: v.juryWeight,
    publicWeight: v.publicWeight,
    awards: v.awards ?? [],
    tieBreak: v.tieBreak,
  };
}

/** A contest may be reconfigured until its first round begins (the API says CONTEST_PHASE_CLOSED after). */
const configurable = (c: ContestView) => c.phase === 'upcoming' && c.advancedTo === 'upcoming';

function ContestForm({ editing, onClose, onDone }: { editing: ContestView | null; onClose(): void; onDone(): void }) {
  return (
    <FormModal<typeof createContestBodySchema, ContestValues>
      title={editing ? `修改比赛配置：${editing.title}` : '新建比赛'}
      okText={editing ? '保存配置' : '创建比赛'}
      schema={createContestBodySchema}
      fields={CONTEST_FIELDS}
      width={880}
      initialValues={editing ? valuesOf(editing) : newContestValues()}
      toBody={contestBody}
      send={(body) => (editing ? api(`/contests/${editing.id}`, { method: 'PUT', body }) : api('/contests', { body }))}
      onClose={onClose}
      success={editing ? '比赛配置已保存' : '比赛已创建'}
      onDone={onDone}
    >
      <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
        基本信息
      </Divider>
      <Row gutter={16}>
        <Col xs={24} md={14}>
          <Form.Item name="title" label="比赛标题">
            <Input maxLength={60} showCount placeholder="如 寻找古蔺四季之美·摄影大赛" />
          </Form.Item>
          <Form.Item name="description" label="比赛简介">
            <Input.TextArea rows={4} maxLength={2000} showCount placeholder="征集主题、参赛要求、奖项说明" />
          </Form.Item>
          <Form.Item name="campaign" label="关联专题话题（选填）" extra="带此话题且已通过的稿件可以报名参赛">
            <Input maxLength={30} placeholder="如 四季之美" />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="cover" label="封面（选填）">
            <CoverUpload />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start" plain>
        轮次与时间
      </Divider>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        按顺序排列：第一轮为作品征集，最后一轮为结果公布；每一轮从它的开始时间持续到下一轮开始。评委初选、公众投票、评委打分可选。
      </Typography.Paragraph>
      <Form.List name="rounds">
        {(rounds, { add, remove }) => (
          <>
            {rounds.map((round, i) => (
              <Space key={round.key} align="start" wrap style={{ display: 'flex' }}>
                <Typography.Text type="secondary" style={{ display: 'inline-block', width: 48, lineHeight: '32px' }}>
                  第 {i + 1} 轮
                </Typography.Text>
                <Form.Item name={[round.name, 'kind']} style={{ marginBottom: 12 }}>
                  <Select
                    aria-label={`第 ${i + 1} 轮类型`}
                    style={{ width: 160 }}
                    options={ROUND_KINDS.map((k) => ({ value: k, label: ROUND_LABELS[k] }))}
                  />
                </Form.Item>
                <Form.Item name={[round.name, 'startsAt']} style={{ marginBottom: 12 }}>
                  <DatePicker
                    aria-label={`第 ${i + 1} 轮开始时间`}
                    showTime={{ format: 'HH:mm' }}
                    format="YYYY-MM-DD HH:mm"
                    placeholder="开始时间"
                    style={{ width: 200 }}
                  />
                </Form.Item>
                <Button type="text" danger disabled={rounds.length <= 2} onClick={() => remove(round.name)}>
                  删除
                </Button>
              </Space>
            ))}
            <Button
              icon={<PlusOutlined />}
              disabled={rounds.length >= MAX_ROUNDS}
              onClick={() => add({ kind: undefined, startsAt: null }, rounds.length - 1)}
              style={{ marginBottom: 16 }}
            >
              在结果公布前添加轮次
            </Button>
          </>
        )}
      </Form.List>

      <Divider titlePlacement="start" plain>
        参赛与投票规则
      </Divider>
      <Row gutter={16}>
        <Col xs={24} md={14}>
          <Form.Item name="entryKinds" label="参赛方式">
            <Checkbox.Group
              options={(Object.keys(ENTRY_KIND_LABELS) as Array<keyof typeof ENTRY_KIND_LABELS>).map((k) => ({
                value: k,
                label: ENTRY_KIND_LABELS[k],
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={10}>
          <Form.Item name="maxEntriesPerPerson" label="每人最多报名作品数">
            <InputNumber precision={0} min={1} max={20} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={['voting', 'perUserPerDay']} label="每人每天票数">
            <InputNumber precision={0} min={1} max={100} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={['voting', 'perEntryPerDay']} label="每天投同一作品">
            <InputNumber precision={0} min={1} max={100} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={['voting', 'newAccountHours']} label="新账号标记（小时内）">
            <InputNumber precision={0} min={0} max={2160} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={['voting', 'maxUsersPerDevice']} label="同设备每天投票人数">
            <InputNumber precision={0} min={1} max={50} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name={['voting', 'hideTotals']} label="投票结束前隐藏票数" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start" plain>
        评分与奖项
      </Divider>
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Form.Item name="juryWeight" label="评委权重（%）">
            <InputNumber precision={0} min={0} max={100} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="publicWeight" label="公众权重（%）">
            <InputNumber precision={0} min={0} max={100} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="tieBreak" label="同分时">
            <Radio.Group options={TIE_BREAKS.map((k) => ({ value: k, label: TIE_BREAK_LABELS[k] }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.List name="awards">
        {(awards, { add, remove }) => (
          <>
            {awards.map((award, i) => (
              <Space key={award.key} align="start" wrap style={{ display: 'flex' }}>
                <Form.Item name={[award.name, 'label']} style={{ marginBottom: 12 }}>
                  <Input aria-label={`奖项 ${i + 1} 名称`} placeholder="奖项名称，如 一等奖" maxLength={20} style={{ width: 200 }} />
                </Form.Item>
                <Form.Item name={[award.name, 'count']} style={{ marginBottom: 12 }}>
                  <InputNumber aria-label={`奖项 ${i + 1} 名额`} precision={0} min={1} max={100} suffix="名" style={{ width: 130 }} />
                </Form.Item>
                <Form.Item name={[award.name, 'points']} style={{ marginBottom: 12 }}>
                  <InputNumber aria-label={`奖项 ${i + 1} 积分`} precision={0} min={0} max={100000} suffix="积分" style={{ width: 160 }} />
                </Form.Item>
                <Button type="text" danger onClick={() => remove(award.name)}>
                  删除
                </Button>
              </Space>
            ))}
            <Button icon={<PlusOutlined />} disabled={awards.length >= MAX_AWARDS} onClick={() => add({ count: 1, points: 0 })}>
              添加奖项
            </Button>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              奖项按排名依次发放：第一档奖给前 N 名，下一档接着往后。
            </Typography.Paragraph>
          </>
        )}
      </Form.List>
    </FormModal>
  );
}

/** The jury by name, and 任命评委 for admins (a juror shortlists and scores in the mini-program's 评委 page). */
function Jury({ contest, admin, onChanged }: { contest: ContestView; admin: boolean; onChanged(): void }) {
  const jurors = useResource(() => api<CursorPage<JurorView>>(`/contests/${contest.id}/jurors`), [contest.id, contest.jurorIds]);
  const [appointing, setAppointing] = useState(false);
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          评委（{contest.jurorIds.length} 人）
        </Typography.Title>
        {admin && (
          <Button type="primary" ghost icon={<PlusOutlined />} onClick={() => setAppointing(true)}>
            任命评委
          </Button>
        )}
      </Space>
      {jurors.error && <Alert type="error" showIcon message={jurors.error.message} />}
      {contest.jurorIds.length === 0 ? (
        <Typography.Text type="secondary">尚未任命评委</Typography.Text>
      ) : (
        <Space size={[4, 8]} wrap data-testid="jurors">
          {(jurors.data?.items ?? []).map((j) => (
            <Tag key={j.id} color="blue">
              {j.nickname}
              {j.username ? `（${j.username}）` : ''}
            </Tag>
          ))}
        </Space>
      )}
      {appointing && (
        <FormModal<typeof appointJurorBodySchema, { userId?: string }>
          title={`任命评委：${contest.title}`}
          okText="任命"
          schema={appointJurorBodySchema}
          fields={['userId']}
          toBody={(v) => ({ userId: v.userId ?? '' })}
          send={(body) => api(`/contests/${contest.id}/jurors`, { body })}
          onClose={() => setAppointing(false)}
          success="已任命评委"
          onDone={onChanged}
          codeToField={{ USER_NOT_FOUND: 'userId' }}
        >
          <Form.Item name="userId" label="评委" extra="评委在小程序「专题与比赛 → 评委」中初选和打分">
            <UserPicker />
          </Form.Item>
        </FormModal>
      )}
    </>
  );
}

/** The ranked results once published; before that, when they will be. */
function Results({ contest }: { contest: ContestView }) {
  const results = useResource(
    () => (contest.phase === 'results' ? api<ResultsResponse>(`/contests/${contest.id}/results`) : Promise.resolve(null)),
    [contest.id, contest.phase],
  );
  const resultsAt = contest.rounds.find((r) => r.kind === 'results')?.startsAt;
  if (contest.phase !== 'results') return <Typography.Text type="secondary">结果将于 {shanghaiTime(resultsAt)} 公布</Typography.Text>;
  if (results.error) return <Alert type="warning" showIcon message={results.error.message} />;
  const data = results.data;
  return (
    <>
      {data && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {data.formula} {data.tieBreakRule}
        </Typography.Paragraph>
      )}
      <Table
        size="small"
        rowKey="entryId"
        loading={results.loading}
        dataSource={data?.rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description="没有参赛作品" /> }}
        columns={[
          { title: '名次', dataIndex: 'rank', width: 60 },
          { title: '作品', dataIndex: 'title', ellipsis: true },
          { title: '作者', dataIndex: 'authorName', width: 100, ellipsis: true },
          { title: '评委分', dataIndex: 'juryScore', width: 72, align: 'right' },
          { title: '票数', dataIndex: 'votes', width: 64, align: 'right' },
          { title: '总分', dataIndex: 'finalScore', width: 72, align: 'right' },
          {
            title: '奖项',
            key: 'award',
            width: 110,
            render: (_, r) => (r.award ? <Tag color={r.award.status === 'paid' ? 'gold' : 'default'}>{r.award.label}</Tag> : '—'),
          },
        ]}
      />
    </>
  );
}

function ContestDrawer({
  contest,
  admin,
  onClose,
  onChanged,
}: {
  contest: ContestView;
  admin: boolean;
  onClose(): void;
  onChanged(): void;
}) {
  const current = contest.rounds.findIndex((r) => r.kind === contest.phase);
  return (
    <Drawer
      open
      width={Math.min(760, window.innerWidth - 80)}
      title={contest.title}
      onClose={onClose}
      extra={
        admin && (
          <Link to={`/contests/review?contest=${contest.id}`}>
            <Button>入围与可疑投票</Button>
          </Link>
        )
      }
    >
      <Space orientation="vertical" size={20} style={{ width: '100%' }}>
        <Steps size="small" current={current} items={contest.rounds.map((r) => ({ title: r.label, content: shanghaiTime(r.startsAt) }))} />
        <Facts
          column={2}
          items={[
            ['当前阶段', <Tag color={PHASE_COLORS[contest.phase]}>{CONTEST_PHASE_TEXT[contest.phase]}</Tag>],
            ['关联话题', contest.campaign ?? '—'],
            ['参赛方式', contest.entryKinds.map((k) => ENTRY_KIND_LABELS[k]).join('、')],
            ['每人报名', `最多 ${contest.maxEntriesPerPerson} 件`],
            [
              '投票规则',
              `每人每天 ${contest.voting.perUserPerDay} 票，同一作品每天 ${contest.voting.perEntryPerDay} 票；${
                contest.voting.hideTotals ? '投票结束前隐藏票数' : '票数实时公开'
              }`,
              2,
            ],
            [
              '可疑投票',
              `注册不满 ${contest.voting.newAccountHours} 小时的账号、同一设备每天超过 ${contest.voting.maxUsersPerDevice} 人投票时标记`,
              2,
            ],
            ['总分', `评委 ${contest.juryWeight}% · 公众 ${contest.publicWeight}%`],
            ['同分时', TIE_BREAK_LABELS[contest.tieBreak]],
            [
              '奖项',
              contest.awards.length ? contest.awards.map((a) => `${a.label} ${a.count} 名（${a.points} 积分）`).join('；') : '未设奖项',
              2,
            ],
            contest.cover && ['封面', <Image src={contest.cover} width={160} height={90} style={{ objectFit: 'cover' }} />, 2],
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}>
          {TIE_BREAK_RULES[contest.tieBreak]}
        </Typography.Paragraph>
        <Jury contest={contest} admin={admin} onChanged={onChanged} />
        <div>
          <Typography.Title level={5}>比赛结果</Typography.Title>
          <Results contest={contest} />
        </div>
      </Space>
    </Drawer>
  );
}

/**
 * 比赛管理: every contest a page at a time (search by title, filter by schedule), its configuration, jury and
 * results in a drawer. Admins create and reconfigure contests (until the first round begins), appoint jurors
 * and run the round clock now; editors see the same pages read-only (the API keeps those actions to admins).
 */
export default function ContestAdminPage() {
  const { roles } = useSession();
  const admin = roles.has('admin');
  const { message, modal } = App.useApp();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<(typeof CONTEST_STATUSES)[number] | undefined>();
  const list = useCursorPages(
    (cursor) => api<CursorPage<ContestView>>('/contests', { query: { q: q || undefined, status, cursor, limit: 20 } }),
    [q, status],
  );
  const [editing, setEditing] = useState<ContestView | 'new' | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [advancing, setAdvancing] = useState(false);
  const open = list.items.find((c) => c.id === openId) ?? null;

  const advance = async () => {
    setAdvancing(true);
    try {
      const r = await api<{ advanced: number; contests: number }>('/admin/contests/advance', { body: {} });
      message.success(r.advanced ? `已推进 ${r.contests} 场比赛的 ${r.advanced} 个轮次` : '没有到期需要推进的轮次');
      list.reload();
    } catch (err) {
      modal.error({ title: '推进未完成', content: err instanceof ApiError ? err.message : '网络错误，请重试' });
    } finally {
      setAdvancing(false);
    }
  };

  return (
    <ListCard<ContestView>
      title="比赛管理"
      list={list}
      locale={{ emptyText: <Empty description={q || status ? '没有符合条件的比赛' : '还没有比赛'} /> }}
      extra={
        <Space wrap>
          <Input.Search allowClear placeholder="按标题查找" maxLength={50} style={{ width: 200 }} onSearch={(v) => setQ(v.trim())} />
          <FilterSelect
            placeholder="全部状态"
            width={120}
            value={status}
            onChange={setStatus}
            options={CONTEST_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          />
          {admin && (
            <>
              <Button icon={<ReloadOutlined />} loading={advancing} onClick={advance} title="定时任务每分钟推进一次；此处立即执行">
                立即推进轮次
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                新建比赛
              </Button>
            </>
          )}
        </Space>
      }
      toolbar={!admin && <ListNote message="新建和配置比赛、任命评委由管理员操作；编辑可查看比赛配置、评委与结果。" />}
      columns={[
        {
          title: '比赛',
          key: 'title',
          render: (_, c) => <TitleCell title={c.title} onOpen={() => setOpenId(c.id)} sub={c.campaign && <>话题「{c.campaign}」</>} />,
        },
        {
          title: '阶段',
          dataIndex: 'phase',
          width: 120,
          render: (p: ContestView['phase']) => <Tag color={PHASE_COLORS[p]}>{CONTEST_PHASE_TEXT[p]}</Tag>,
        },
        {
          title: '轮次',
          key: 'rounds',
          width: 230,
          render: (_, c) => (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: c.rounds.map((r) => r.label).join(' → ') }}>
              {c.rounds.map((r) => r.label).join(' → ')}
            </Typography.Text>
          ),
        },
        {
          title: '起止',
          key: 'dates',
          width: 200,
          render: (_, c) => (
            <Typography.Text style={{ fontSize: 12 }}>
              {shanghaiTime(c.rounds[0]?.startsAt)}
              <br />
              结果 {shanghaiTime(c.rounds.at(-1)?.startsAt)}
            </Typography.Text>
          ),
        },
        { title: '评委', key: 'jury', width: 70, align: 'right', render: (_, c) => `${c.jurorIds.length} 人` },
        timeColumn('创建时间', 'createdAt', 140),
        actionsColumn(admin ? 150 : 80, (c) => (
          <Space size={4}>
            <Button size="small" onClick={() => setOpenId(c.id)}>
              详情
            </Button>
            {admin && configurable(c) && (
              <Button size="small" onClick={() => setEditing(c)}>
                修改配置
              </Button>
            )}
          </Space>
        )),
      ]}
    >
      {editing && <ContestForm editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onDone={list.reload} />}
      {open && <ContestDrawer contest={open} admin={admin} onClose={() => setOpenId(null)} onChanged={list.reload} />}
    </ListCard>
  );
}
