import { CONTEST_PHASE_TEXT, voidVoteBodySchema, type ContestView, type EntryView, type VoteView } from '@shared/schemas/contests';
import { Alert, Button, Card, Empty, Form, Image, Input, Select, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import { actionsColumn, timeColumn } from '../components/columns';
import { FilterSelect } from '../components/filter-select';
import { FormModal } from '../components/form-modal';
import { ListCard } from '../components/paged-table';
import { useAction } from '../hooks/use-action';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import { useResource } from '../hooks/use-resource';

type Vote = VoteView;

const FLAG_LABELS: Record<string, string> = { new_account: '新注册账号', shared_device: '同一设备多人投票' };
const SHORTLIST_FILTERS = [
  { value: 'true' as const, label: '已入围' },
  { value: 'false' as const, label: '未入围' },
];
const VOTE_STATUSES = [
  { value: 'valid' as const, label: '有效（待处理）' },
  { value: 'void' as const, label: '已作废' },
];

/** 作品初选: the entries a page at a time, 入围 / 取消入围 (the API allows it during the shortlist round and says so otherwise). */
function Shortlist({ contest }: { contest: ContestView }) {
  const [shortlisted, setShortlisted] = useState<'true' | 'false' | undefined>();
  const entries = useCursorPages(
    (cursor) => api<CursorPage<EntryView>>(`/contests/${contest.id}/entries`, { query: { shortlisted, cursor, limit: 50 } }),
    [contest.id, shortlisted],
  );
  const act = useAction(entries.reload);
  return (
    <ListCard<EntryView>
      title="作品初选"
      list={entries}
      locale={{ emptyText: <Empty description="没有报名作品" /> }}
      extra={
        <Space>
          <Typography.Text type="secondary">
            {contest.phase === 'shortlist'
              ? '评委初选进行中：入围的作品进入公众投票'
              : `当前阶段：${CONTEST_PHASE_TEXT[contest.phase]}，仅初选阶段可调整入围`}
          </Typography.Text>
          <FilterSelect placeholder="全部作品" width={130} value={shortlisted} onChange={setShortlisted} options={SHORTLIST_FILTERS} />
        </Space>
      }
      columns={[
        {
          title: '作品',
          key: 'title',
          render: (_, e) => (
            <Space>
              {e.imageUrls[0] && <Image src={e.imageUrls[0]} width={64} height={48} style={{ objectFit: 'cover' }} />}
              <div>
                <Typography.Text strong>{e.title}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                    {e.description ?? ''}
                  </Typography.Text>
                </div>
              </div>
            </Space>
          ),
        },
        { title: '作者', dataIndex: 'authorName', width: 130 },
        { title: '票数', dataIndex: 'votes', width: 90, align: 'right', render: (v: number | null) => v ?? '隐藏中' },
        {
          title: '入围',
          dataIndex: 'shortlisted',
          width: 100,
          render: (s: boolean) => (s ? <Tag color="green">已入围</Tag> : <Tag>未入围</Tag>),
        },
        timeColumn('报名时间', 'createdAt'),
        actionsColumn(130, (e) => (
          <Button
            size="small"
            type={e.shortlisted ? 'default' : 'primary'}
            ghost={!e.shortlisted}
            onClick={() =>
              act(
                () => api(`/contests/${contest.id}/entries/${e.id}/shortlist`, { body: { shortlisted: !e.shortlisted } }),
                e.shortlisted ? `已取消「${e.title}」的入围` : `「${e.title}」已入围`,
              )
            }
          >
            {e.shortlisted ? '取消入围' : '入围'}
          </Button>
        )),
      ]}
    />
  );
}

/** 可疑投票: votes the writer flagged (new accounts, one device shared by many), each voidable with a reason. */
function FlaggedVotes({ contest }: { contest: ContestView }) {
  const [status, setStatus] = useState<'valid' | 'void' | undefined>('valid');
  const [voiding, setVoiding] = useState<Vote | null>(null);
  const list = useCursorPages(
    (cursor) => api<CursorPage<Vote>>(`/contests/${contest.id}/flagged-votes`, { query: { status, cursor, limit: 50 } }),
    [contest.id, status],
  );
  const titleOf = (v: Vote) => v.entryTitle || `作品 ${v.entryId.slice(-6)}`;
  return (
    <ListCard<Vote>
      title="可疑投票"
      list={list}
      locale={{ emptyText: <Empty description="没有被标记的投票" /> }}
      extra={<FilterSelect placeholder="全部" width={160} value={status} onChange={setStatus} options={VOTE_STATUSES} />}
      columns={[
        { title: '作品', key: 'entry', ellipsis: true, render: (_, v) => titleOf(v) },
        {
          title: '投票人',
          key: 'voter',
          width: 200,
          render: (_, v) => (
            <Typography.Text copyable={{ text: v.userId, tooltips: ['复制用户 ID', '已复制'] }}>
              {v.voterName ?? <Typography.Text type="secondary">已注销用户</Typography.Text>}
            </Typography.Text>
          ),
        },
        {
          title: '标记',
          dataIndex: 'flags',
          width: 200,
          render: (flags: string[]) => (
            <Space size={[0, 4]} wrap>
              {flags.map((f) => (
                <Tag key={f} color="orange">
                  {FLAG_LABELS[f] ?? f}
                </Tag>
              ))}
            </Space>
          ),
        },
        {
          title: '状态',
          key: 'status',
          width: 180,
          render: (_, v) =>
            v.status === 'void' ? (
              <Typography.Text type="secondary" ellipsis={{ tooltip: v.voidReason }}>
                <Tag>已作废</Tag>
                {v.voidReason}
              </Typography.Text>
            ) : (
              <Tag color="green">有效</Tag>
            ),
        },
        timeColumn('投票时间', 'createdAt'),
        actionsColumn(110, (v) =>
          v.status === 'valid' ? (
            <Button size="small" danger onClick={() => setVoiding(v)}>
              作废
            </Button>
          ) : null,
        ),
      ]}
    >
      {voiding && (
        <FormModal<typeof voidVoteBodySchema, { reason?: string }>
          title={`作废投票：${titleOf(voiding)}`}
          okText="作废"
          danger
          schema={voidVoteBodySchema}
          fields={['reason']}
          // An empty box is an empty reason: the schema then says 理由不能为空, not that a string was expected.
          toBody={(v) => ({ reason: v.reason ?? '' })}
          send={(body) => api(`/contests/${contest.id}/votes/${voiding.id}/void`, { body })}
          onClose={() => setVoiding(null)}
          success="已作废，票数随之减少"
          onDone={list.reload}
        >
          <Form.Item name="reason" label="作废理由（记入审计日志）">
            <Input.TextArea rows={3} maxLength={200} showCount placeholder="如 同一设备短时间内多个新账号投票" />
          </Form.Item>
        </FormModal>
      )}
    </ListCard>
  );
}

/**
 * 比赛管理: pick a contest (the newest fifty, or any by title: the search runs on the server), then its flagged votes
 * and its shortlist.
 */
export default function ContestsPage() {
  const [q, setQ] = useState('');
  const found = useResource(() => api<CursorPage<ContestView>>('/contests', { query: { q: q || undefined, limit: 50 } }), [q]);
  // Opened from 比赛管理 (?contest=<id>): that contest, even when it is not among the newest fifty.
  const [params] = useSearchParams();
  const linkedId = params.get('contest');
  const linked = useResource(
    () => (linkedId ? api<{ contest: ContestView }>(`/contests/${linkedId}`).then((r) => r.contest) : Promise.resolve(undefined)),
    [linkedId],
  );
  const [picked, setPicked] = useState<ContestView | undefined>();
  const items = found.data?.items ?? [];
  // The contest being worked on by default: the linked one, else one in its shortlist or voting round, else the newest.
  const contest = picked ?? linked.data ?? items.find((c) => c.phase === 'shortlist' || c.phase === 'voting') ?? items[0];
  const options = [...(contest && !items.some((c) => c.id === contest.id) ? [contest] : []), ...items];
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small">
        <Space size="large" wrap>
          <Typography.Text strong>比赛</Typography.Text>
          <Select
            style={{ width: 420 }}
            showSearch
            filterOption={false}
            onSearch={(v) => setQ(v.trim())}
            loading={found.loading}
            value={contest?.id}
            onChange={(id: string) => setPicked(options.find((c) => c.id === id))}
            placeholder="选择比赛，或输入标题查找"
            notFoundContent={found.loading ? <Spin size="small" /> : '没有找到'}
            options={options.map((c) => ({ value: c.id, label: `${c.title}（${CONTEST_PHASE_TEXT[c.phase]}）` }))}
            popupRender={(menu) => (
              <>
                {menu}
                {found.data?.nextCursor && (
                  <Typography.Text type="secondary" style={{ display: 'block', padding: '4px 12px', fontSize: 12 }}>
                    只列出最新的 50 场，更早的比赛请输入标题查找
                  </Typography.Text>
                )}
              </>
            )}
          />
          {contest && (
            <Typography.Text type="secondary">
              评委 {contest.jurorIds.length} 人 · 总分权重：评委 {contest.juryWeight}%，公众 {contest.publicWeight}%
            </Typography.Text>
          )}
          <Link to="/contests/manage">比赛配置、评委与结果 →</Link>
        </Space>
      </Card>
      {found.error && <Alert type="error" showIcon message={found.error.message} />}
      {contest ? (
        <Tabs
          items={[
            { key: 'votes', label: '可疑投票', children: <FlaggedVotes contest={contest} /> },
            { key: 'shortlist', label: '作品初选', children: <Shortlist contest={contest} /> },
          ]}
        />
      ) : (
        !found.loading && <Empty description={q ? '没有找到这个标题的比赛' : '还没有比赛'} />
      )}
    </Space>
  );
}
