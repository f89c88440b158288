import { PlusOutlined } from '@ant-design/icons';
import {
  CAMPAIGN_STATUSES,
  createCampaignBodySchema,
  type CampaignView,
  type launchCampaignResponseSchema,
  type campaignPageResponseSchema,
} from '@shared/schemas/campaigns';
import type { CircleView } from '@shared/schemas/newsroom';
import {
  Button,
  Col,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Image,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { z } from 'zod';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { actionsColumn, tagColumn, timeColumn, TitleCell } from '../components/columns';
import { CoverUpload } from '../components/cover-upload';
import { Facts } from '../components/facts';
import { FilterSelect } from '../components/filter-select';
import { FormModal } from '../components/form-modal';
import { shanghaiTime } from '../components/format';
import { ListCard, ListNote, PagedTable } from '../components/paged-table';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import { useResource } from '../hooks/use-resource';

type CampaignPage = z.infer<typeof campaignPageResponseSchema>;
type Piece = CampaignPage['pieces'][number];
type Launched = z.infer<typeof launchCampaignResponseSchema>;

const STATUS_TAGS = { upcoming: ['blue', '未开始'], running: ['green', '进行中'], ended: ['default', '已结束'] } as const;
const CAMPAIGN_FIELDS = ['title', 'description', 'cover', 'tag', 'startsAt', 'endsAt', 'targetCircleIds', 'bonusPoints'];

interface CampaignValues {
  title?: string;
  description?: string;
  cover?: string;
  tag?: string;
  startsAt?: Dayjs | null;
  endsAt?: Dayjs | null;
  targetCircleIds?: string[];
  bonusPoints?: number;
}

function campaignBody(v: CampaignValues) {
  return {
    title: v.title ?? '',
    description: v.description ?? '',
    cover: v.cover?.trim() ? v.cover : undefined,
    tag: v.tag ?? '',
    // No date is sent as an empty one: the schema then says 时间格式无效 under the field.
    startsAt: v.startsAt ? v.startsAt.toISOString() : '',
    endsAt: v.endsAt ? v.endsAt.toISOString() : '',
    targetCircleIds: v.targetCircleIds ?? [],
    bonusPoints: v.bonusPoints ?? 0,
  };
}

function LaunchForm({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const circles = useResource(() => api<{ items: CircleView[] }>('/circles'), []);
  const start = dayjs().add(1, 'hour').minute(0).second(0).millisecond(0);
  return (
    <FormModal<typeof createCampaignBodySchema, CampaignValues, Launched>
      title="发起专题活动"
      okText="发起"
      schema={createCampaignBodySchema}
      fields={CAMPAIGN_FIELDS}
      width={820}
      initialValues={{ startsAt: start, endsAt: start.add(30, 'day'), bonusPoints: 0, targetCircleIds: [] }}
      toBody={campaignBody}
      send={(body) => api<Launched>('/campaigns', { body })}
      onClose={onClose}
      success={(r) =>
        r.notified || r.notSubscribed
          ? `专题已发起，已通知 ${r.notified} 位通讯员${r.notSubscribed ? `（${r.notSubscribed} 位未订阅消息）` : ''}`
          : '专题已发起'
      }
      onDone={onDone}
      codeToField={{ CAMPAIGN_TAG_TAKEN: 'tag' }}
    >
      <Row gutter={16}>
        <Col xs={24} md={14}>
          <Form.Item name="title" label="专题标题">
            <Input maxLength={40} showCount placeholder="如 寻找最美乡村振兴故事" />
          </Form.Item>
          <Form.Item name="tag" label="投稿话题" extra="通讯员投稿时选择此话题即计入本专题；话题不能与其他专题重复">
            <Input maxLength={30} placeholder="如 乡村振兴" />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="cover" label="封面（选填）">
            <CoverUpload />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label="活动说明">
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder="征集什么、怎么投稿、有什么奖励" />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={12} md={8}>
          <Form.Item name="startsAt" label="开始时间">
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="endsAt" label="结束时间">
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="bonusPoints" label="每篇通过稿件加奖积分">
            <InputNumber precision={0} min={0} max={10000} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="targetCircleIds" label="通知的通讯员圈子（选填）" extra="发起后向这些圈子里订阅了消息的通讯员发送通知">
        <Select
          mode="multiple"
          allowClear
          loading={circles.loading}
          placeholder="不选则不发通知"
          optionFilterProp="label"
          options={(circles.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.memberCount} 人）` }))}
        />
      </Form.Item>
    </FormModal>
  );
}

/** A campaign's page as residents see it: its live figures and the approved pieces, a page at a time. */
function CampaignDrawer({ campaign, circles, onClose }: { campaign: CampaignView; circles: Map<string, string>; onClose(): void }) {
  const [figures, setFigures] = useState<CampaignPage['figures'] | null>(null);
  const pieces = useCursorPages(
    (cursor) =>
      api<CampaignPage>(`/campaigns/${campaign.id}`, { query: { cursor, limit: 20 } }).then((p) => {
        setFigures(p.figures);
        return { items: p.pieces, nextCursor: p.nextCursor };
      }),
    [campaign.id],
  );
  return (
    <Drawer open width={Math.min(800, window.innerWidth - 80)} title={campaign.title} onClose={onClose}>
      <Space orientation="vertical" size={20} style={{ width: '100%' }}>
        <Row gutter={16}>
          <Col span={8}>
            <Statistic title="稿件" value={figures?.pieces ?? '—'} suffix={figures ? '篇' : undefined} />
          </Col>
          <Col span={8}>
            <Statistic title="参与通讯员" value={figures?.participants ?? '—'} suffix={figures ? '人' : undefined} />
          </Col>
          <Col span={8}>
            <Statistic title="已发布稿件阅读" value={figures?.reads ?? '—'} suffix={figures ? '次' : undefined} />
          </Col>
        </Row>
        <Facts
          column={2}
          items={[
            ['状态', <Tag color={STATUS_TAGS[campaign.status][0]}>{STATUS_TAGS[campaign.status][1]}</Tag>],
            ['投稿话题', `「${campaign.tag}」`],
            ['开始', shanghaiTime(campaign.startsAt)],
            ['结束', shanghaiTime(campaign.endsAt)],
            ['加奖积分', campaign.bonusPoints ? `每篇 ${campaign.bonusPoints} 积分` : '无'],
            [
              '通知圈子',
              campaign.targetCircleIds.length
                ? campaign.targetCircleIds.map((id) => circles.get(id) ?? `圈子 ${id.slice(-6)}`).join('、')
                : '未通知',
            ],
            [
              '活动说明',
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{campaign.description}</Typography.Paragraph>,
              2,
            ],
            campaign.cover && [
              '封面',
              <Image src={campaign.cover} width={200} height={112} style={{ objectFit: 'cover' }} alt="封面" />,
              2,
            ],
          ]}
        />
        <div>
          <Typography.Title level={5}>已通过的稿件</Typography.Title>
          <PagedTable<Piece>
            list={pieces}
            scroll={undefined}
            size="small"
            locale={{ emptyText: <Empty description="还没有通过审核的稿件" /> }}
            columns={[
              { title: '稿件', dataIndex: 'title', ellipsis: true },
              { title: '作者', dataIndex: 'authorName', width: 120, ellipsis: true },
              {
                title: '发布',
                key: 'published',
                width: 90,
                render: (_, p) => (p.articleId ? <Tag color="green">已发布</Tag> : <Tag>待发布</Tag>),
              },
              timeColumn('投稿时间', 'submittedAt', 140),
            ]}
          />
        </div>
      </Space>
    </Drawer>
  );
}

/**
 * 专题活动: campaigns newest first, a page at a time (filter by status); a campaign's figures and approved pieces
 * in a drawer. Admins launch one (发起专题: cover upload, dates, the circles to notify, bonus points); campaigns
 * cannot be edited after launch, so the form says everything before sending.
 */
export default function CampaignsPage() {
  const { roles } = useSession();
  const admin = roles.has('admin');
  const [status, setStatus] = useState<CampaignView['status'] | undefined>();
  const list = useCursorPages((cursor) => api<CursorPage<CampaignView>>('/campaigns', { query: { status, cursor, limit: 20 } }), [status]);
  const circles = useResource(() => api<{ items: CircleView[] }>('/circles'), []);
  const circleNames = new Map((circles.data?.items ?? []).map((c) => [c.id, c.name]));
  const [launching, setLaunching] = useState(false);
  const [open, setOpen] = useState<CampaignView | null>(null);
  return (
    <ListCard<CampaignView>
      title="专题活动"
      list={list}
      locale={{ emptyText: <Empty description={status ? '没有这个状态的专题' : '还没有专题活动'} /> }}
      extra={
        <Space>
          <FilterSelect
            placeholder="全部状态"
            width={120}
            value={status}
            onChange={setStatus}
            options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: STATUS_TAGS[s][1] }))}
          />
          {admin && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setLaunching(true)}>
              发起专题
            </Button>
          )}
        </Space>
      }
      toolbar={!admin && <ListNote message="发起专题由管理员操作；编辑可查看专题与稿件。" />}
      columns={[
        {
          title: '专题',
          key: 'title',
          render: (_, c) => (
            <Space>
              {c.cover ? (
                <Image src={c.cover} width={64} height={36} style={{ objectFit: 'cover', borderRadius: 4 }} alt="" preview={false} />
              ) : (
                <div style={{ width: 64, height: 36, background: '#f0f0f0', borderRadius: 4 }} />
              )}
              <TitleCell title={c.title} onOpen={() => setOpen(c)} sub={<>话题「{c.tag}」</>} style={{ minWidth: 0 }} />
            </Space>
          ),
        },
        tagColumn('状态', 'status', STATUS_TAGS, 90),
        {
          title: '活动时间',
          key: 'dates',
          width: 170,
          render: (_, c) => (
            <Typography.Text style={{ fontSize: 12 }}>
              {shanghaiTime(c.startsAt)}
              <br />至 {shanghaiTime(c.endsAt)}
            </Typography.Text>
          ),
        },
        { title: '加奖积分', dataIndex: 'bonusPoints', width: 90, align: 'right', render: (n: number) => (n ? n : '—') },
        { title: '通知圈子', key: 'circles', width: 90, align: 'right', render: (_, c) => `${c.targetCircleIds.length} 个` },
        timeColumn('发起时间', 'createdAt', 140),
        actionsColumn(100, (c) => (
          <Button size="small" onClick={() => setOpen(c)}>
            稿件与数据
          </Button>
        )),
      ]}
    >
      {launching && <LaunchForm onClose={() => setLaunching(false)} onDone={list.reload} />}
      {open && <CampaignDrawer campaign={open} circles={circleNames} onClose={() => setOpen(null)} />}
    </ListCard>
  );
}
