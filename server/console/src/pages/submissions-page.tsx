import { FlagFilled, ReloadOutlined } from '@ant-design/icons';
import {
  GRADES,
  SUBMISSION_STATE_LABELS,
  approveBodySchema,
  requiredNoteBodySchema,
  type SubmissionState,
  type SubmissionView,
} from '@shared/schemas/newsroom';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Image,
  Input,
  Radio,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { apiErrorToForm, checkWith } from '../components/api-form';
import { timeColumn } from '../components/columns';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { ListCard } from '../components/paged-table';
import { shanghaiTime } from '../components/format';
import { useColumns } from '../hooks/use-columns';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { useTodo } from '../layout/console-layout';

type Decision = 'approve' | 'reject' | 'return';
const DECISIONS: Record<Decision, string> = { approve: '通过', reject: '不予采用', return: '退回修改' };
const QUEUE_STATES: SubmissionState[] = ['submitted', 'recommended', 'in_review', 'approved', 'returned', 'rejected', 'published'];
const STATE_COLORS: Partial<Record<SubmissionState, string>> = {
  submitted: 'gold',
  recommended: 'orange',
  in_review: 'processing',
  approved: 'green',
  published: 'green',
  returned: 'default',
  rejected: 'red',
};

interface ReviewValues {
  decision: Decision;
  grade?: string;
  column?: string;
  note?: string;
}

function ReviewPanel({ piece, onDone }: { piece: SubmissionView; onDone(s: SubmissionView): void }) {
  const columns = useColumns();
  const { user } = useSession();
  const [form] = Form.useForm<ReviewValues>();
  const decision = Form.useWatch('decision', form) ?? 'approve';
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const claimedByOther = piece.state === 'in_review' && piece.claimedBy !== user?.id;
  const open = ['submitted', 'recommended', 'in_review'].includes(piece.state);
  if (!open) return null;
  if (claimedByOther) return <Alert type="info" showIcon message="另一位编辑正在审核这篇稿件。" />;

  const submit = async () => {
    setMessage(null);
    const v = form.getFieldsValue(true) as ReviewValues;
    const body =
      v.decision === 'approve'
        ? checkWith(form, approveBodySchema, { grade: v.grade, column: v.column, ...(v.note ? { note: v.note } : {}) }, [
            'grade',
            'column',
            'note',
          ])
        : checkWith(form, requiredNoteBodySchema, { note: v.note ?? '' }, ['note']);
    if (!body) return;
    setBusy(true);
    try {
      // One step for the editor: the piece is claimed (so no one else reviews it meanwhile), then decided.
      if (piece.state !== 'in_review') await api(`/submissions/${piece.id}/claim`, { body: {} });
      const res = await api<{ submission: SubmissionView }>(`/submissions/${piece.id}/${v.decision}`, { body });
      onDone(res.submission);
    } catch (err) {
      setMessage(apiErrorToForm(form, err, ['grade', 'column', 'note'], { COLUMN_UNKNOWN: 'column' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="审核意见" style={{ marginTop: 16 }}>
      {message && <Alert type="error" showIcon message={message} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ decision: 'approve', grade: 'B', column: 'correspondent' }} requiredMark={false}>
        <Form.Item name="decision" label="处理">
          <Radio.Group
            onChange={() => form.setFields((['grade', 'column', 'note'] as const).map((name) => ({ name, errors: [] })))}

            optionType="button"
            buttonStyle="solid"
            options={(Object.keys(DECISIONS) as Decision[]).map((d) => ({ value: d, label: DECISIONS[d] }))}
          />
        </Form.Item>
        {decision === 'approve' && (
          <Space size="large">
            <Form.Item name="grade" label="评级（决定通讯员积分）">
              <Radio.Group options={GRADES.map((g) => ({ value: g, label: `${g} 级` }))} />
            </Form.Item>
            <Form.Item name="column" label="发布栏目" style={{ minWidth: 180 }}>
              <Select options={columns.options} loading={columns.loading} />
            </Form.Item>
          </Space>
        )}
        <Form.Item
          name="note"
          label={decision === 'approve' ? '备注（可选）' : decision === 'reject' ? '不予采用的理由（作者可见）' : '修改意见（作者可见）'}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
        <Button type="primary" danger={decision !== 'approve'} loading={busy} onClick={submit}>
          {piece.state === 'in_review' ? '' : '认领并'}确认{DECISIONS[decision]}
        </Button>
      </Form>
    </Card>
  );
}

export default function SubmissionsPage() {
  const { message } = App.useApp();
  const todo = useTodo();
  const [state, setState] = useState<SubmissionState | undefined>();
  const [flagged, setFlagged] = useState<'true' | undefined>();
  const [open, setOpen] = useState<SubmissionView | null>(null);
  const list = useCursorPages(
    (cursor) =>
      api<{ items: SubmissionView[]; nextCursor: string | null }>('/editorial/queue', { query: { state, flagged, cursor, limit: 20 } }),
    [state, flagged],
  );

  return (
    <ListCard<SubmissionView>
      title="投稿审核"
      list={list}
      scroll={{ x: 900 }}
      locale={{ emptyText: <Empty description="没有等待审核的稿件" /> }}
      onRow={(s) => ({ onClick: () => setOpen(s), style: { cursor: 'pointer' } })}
      extra={
        <Space wrap>
          <FilterSelect
            placeholder="待审稿件（默认）"
            width={180}
            value={state}
            onChange={setState}
            options={optionsOf(QUEUE_STATES, (s) => SUBMISSION_STATE_LABELS[s])}
          />
          <FilterSelect
            placeholder="全部稿件"
            width={160}
            value={flagged}
            onChange={setFlagged}
            options={[{ value: 'true' as const, label: '仅内容安全待复核' }]}
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </Space>
      }
      columns={[
        {
          title: '标题',
          dataIndex: 'title',
          ellipsis: true,
          render: (t: string, s) => (
            <Space>
              {s.flagged && <FlagFilled style={{ color: '#fa8c16' }} title="内容安全待复核" />}
              <a>{t}</a>
            </Space>
          ),
        },
        { title: '作者', dataIndex: 'authorName', width: 140, ellipsis: true },
        { title: '活动', dataIndex: 'campaign', width: 140, ellipsis: true, render: (c: string | null) => c ?? '—' },
        {
          title: '状态',
          dataIndex: 'state',
          width: 120,
          render: (s: SubmissionState) => <Tag color={STATE_COLORS[s]}>{SUBMISSION_STATE_LABELS[s]}</Tag>,
        },
        timeColumn('提交时间', 'submittedAt', 160),
        { title: '', key: 'go', width: 80, render: () => <Button size="small">审核</Button> },
      ]}
    >
      <Drawer open={open !== null} width={720} title={open?.title} onClose={() => setOpen(null)} destroyOnHidden>
        {open && (
          <>
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label="作者">{open.authorName}</Descriptions.Item>
              <Descriptions.Item label="状态">
                <Tag color={STATE_COLORS[open.state]}>{SUBMISSION_STATE_LABELS[open.state]}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label="提交时间">{shanghaiTime(open.submittedAt)}</Descriptions.Item>
              <Descriptions.Item label="地点">{open.place ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="活动">{open.campaign ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="版权">
                {open.copyright === 'exclusive' ? '独家授权' : open.copyright === 'non_exclusive' ? '非独家授权' : '—'}
              </Descriptions.Item>
            </Descriptions>
            {open.flagged && (
              <Alert type="warning" showIcon message="内容安全检测建议人工复核，请仔细阅读后再决定。" style={{ marginTop: 16 }} />
            )}
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 16, fontSize: 15, lineHeight: 1.8 }}>
              {open.body || '（无正文）'}
            </Typography.Paragraph>
            {open.images.length > 0 && (
              <Image.PreviewGroup>
                <Space wrap>
                  {open.images.map((img) => (
                    <Image key={img.id} src={img.url} width={120} height={90} style={{ objectFit: 'cover' }} />
                  ))}
                </Space>
              </Image.PreviewGroup>
            )}
            <ReviewPanel
              piece={open}
              onDone={(s) => {
                message.success(`《${s.title}》${SUBMISSION_STATE_LABELS[s.state]}`);
                setOpen(null);
                list.reload();
                todo.reload();
              }}
            />
            <Typography.Title level={5} style={{ marginTop: 24 }}>
              流转记录
            </Typography.Title>
            <Timeline
              items={open.timeline.map((e) => ({
                children: (
                  <div>
                    <Typography.Text>
                      {e.byName} · {SUBMISSION_STATE_LABELS[e.to]}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                      {shanghaiTime(e.at)}
                    </Typography.Text>
                    {e.note && <div style={{ color: '#595959' }}>{e.note}</div>}
                  </div>
                ),
              }))}
            />
          </>
        )}
      </Drawer>
    </ListCard>
  );
}
