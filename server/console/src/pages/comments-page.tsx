import {
  HOLD_REASON_LABELS,
  HOLD_REASONS,
  rejectCommentBodySchema,
  updateCommentSettingsBodySchema,
  type CommentSettings,
  type HoldReason,
  type ModerationItem,
  type ModerationQueueResponse,
} from '@shared/schemas/comments';
import type { ArticleColumn, PublicColumn } from '@shared/schemas/newsroom';
import {
  Alert,
  Button,
  Card,
  Col,
  Divider,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { actionsColumn, timeColumn } from '../components/columns';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { FormModal } from '../components/form-modal';
import { ListCard } from '../components/paged-table';
import { SettingsForm } from '../components/settings-form';
import { useAction } from '../hooks/use-action';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { useColumns } from '../hooks/use-columns';
import { useResource } from '../hooks/use-resource';

const REASON_COLORS: Record<HoldReason, string> = { approval: 'blue', content_review: 'orange', reports: 'red' };

function Queue() {
  const { nameOf } = useColumns();
  const [reason, setReason] = useState<HoldReason | undefined>();
  const [rejecting, setRejecting] = useState<ModerationItem | null>(null);
  const list = useCursorPages(
    (cursor) => api<ModerationQueueResponse>('/comments/queue', { query: { reason, cursor, limit: 20 } }),
    [reason],
  );
  const act = useAction(list.reload);
  return (
    <ListCard<ModerationItem>
      title="待审评论"
      list={list}
      locale={{ emptyText: <Empty description="没有等待审核的评论" /> }}
      extra={
        <FilterSelect
          placeholder="全部待审原因"
          width={180}
          value={reason}
          onChange={setReason}
          options={optionsOf(HOLD_REASONS, (r) => HOLD_REASON_LABELS[r])}
        />
      }
      columns={[
        {
          title: '评论',
          key: 'text',
          render: (_, c) => (
            <div>
              <Typography.Paragraph
                style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}
                ellipsis={{ rows: 3, expandable: true, symbol: '展开' }}
              >
                {c.replyTo && <Typography.Text type="secondary">回复 {c.replyTo.name}：</Typography.Text>}
                {c.text}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                《{c.article.title}》 · {nameOf(c.article.column)}
              </Typography.Text>
            </div>
          ),
        },
        { title: '作者', key: 'author', width: 130, ellipsis: true, render: (_, c) => c.author.name },
        {
          title: '待审原因',
          key: 'hold',
          width: 170,
          render: (_, c) => (
            <Space size={[0, 4]} wrap>
              {c.holdReason && <Tag color={REASON_COLORS[c.holdReason]}>{HOLD_REASON_LABELS[c.holdReason]}</Tag>}
              {c.reportCount > 0 && <Tag>举报 {c.reportCount} 次</Tag>}
            </Space>
          ),
        },
        timeColumn('发表时间', 'createdAt'),
        actionsColumn(170, (c) => (
          <Space size={4}>
            <Button
              size="small"
              type="primary"
              onClick={() => act(() => api(`/comments/${c.id}/approve`, { body: {} }), '已通过，评论已展示')}
            >
              通过
            </Button>
            <Button size="small" danger onClick={() => setRejecting(c)}>
              驳回
            </Button>
          </Space>
        )),
      ]}
    >
      {rejecting && (
        <FormModal<typeof rejectCommentBodySchema, { reason?: string }>
          title={`驳回 ${rejecting.author.name} 的评论`}
          okText="驳回"
          danger
          schema={rejectCommentBodySchema}
          fields={['reason']}
          // An empty box is an empty reason: the schema then says 理由不能为空, not that a string was expected.
          toBody={(v) => ({ reason: v.reason ?? '' })}
          send={(body) => api(`/comments/${rejecting.id}/reject`, { body })}
          onClose={() => setRejecting(null)}
          success="已驳回，评论不再展示"
          onDone={list.reload}
        >
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }}>
            {rejecting.text}
          </Typography.Paragraph>
          <Form.Item name="reason" label="理由（记入审计日志）">
            <Input.TextArea rows={3} maxLength={200} showCount placeholder="如 含人身攻击" />
          </Form.Item>
        </FormModal>
      )}
    </ListCard>
  );
}

const SETTINGS_FIELDS = ['requireApproval', 'reportThreshold', 'columns'] as const;
/** A column follows the global switch (null), or has its own rule. */
type ColumnRule = 'follow' | 'approve' | 'show';
interface SettingsValues {
  requireApproval: boolean;
  reportThreshold: number;
  columns: Partial<Record<ArticleColumn, ColumnRule>>;
}
const COLUMN_RULES = [
  { value: 'follow', label: '跟随全局' },
  { value: 'approve', label: '先审后发' },
  { value: 'show', label: '直接展示' },
];

/** The settings form once the columns are known (each configured column may have its own rule). */
function Settings() {
  const columns = useColumns();
  if (columns.error)
    return <Alert type="error" showIcon message={columns.error.message} action={<Button onClick={columns.reload}>重试</Button>} />;
  if (!columns.data) return <Card title="评论设置" loading />;
  return <SettingsBody configured={columns.columns} />;
}

function SettingsBody({ configured }: { configured: PublicColumn[] }) {
  const keys = configured.map((c) => c.key);
  const settings = useResource(
    () =>
      api<{ settings: CommentSettings }>('/comments/settings').then(({ settings: s }) => ({
        requireApproval: s.requireApproval,
        reportThreshold: s.reportThreshold,
        columns: Object.fromEntries(
          keys.map((c) => [c, s.columns[c] === undefined ? 'follow' : s.columns[c] ? 'approve' : 'show']),
        ) as SettingsValues['columns'],
      })),
    [keys],
  );
  return (
    <Card title="评论设置">
      <SettingsForm<typeof updateCommentSettingsBodySchema, SettingsValues>
        settings={settings}
        schema={updateCommentSettingsBodySchema}
        fields={SETTINGS_FIELDS}
        toBody={(v) => ({
          requireApproval: v.requireApproval,
          reportThreshold: v.reportThreshold,
          columns: Object.fromEntries(keys.map((c) => [c, v.columns?.[c] === 'approve' ? true : v.columns?.[c] === 'show' ? false : null])),
        })}
        send={(body) => api('/comments/settings', { method: 'PUT', body })}
        success="评论设置已保存"
      >
        <Row gutter={24}>
          <Col span={8}>
            <Form.Item
              name="requireApproval"
              label="全部评论先审后发"
              valuePropName="checked"
              extra="关闭时，评论通过微信内容安全检测后直接展示"
            >
              <Switch />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="reportThreshold" label="举报隐藏阈值" extra="一条评论被这么多人举报后先隐藏，进入待审">
              <InputNumber precision={0} style={{ width: '100%' }} addonAfter="人" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          按栏目（栏目的设置优先于全局）
        </Divider>
        <Row gutter={16}>
          {configured.map((c) => (
            <Col span={6} key={c.key}>
              <Form.Item name={['columns', c.key]} label={c.name}>
                <Select options={COLUMN_RULES} />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </SettingsForm>
    </Card>
  );
}

/** 评论审核: held comments (先审后发, content safety, reports) approved or taken down with a reason; the rules. */
export default function CommentsPage() {
  return (
    <Tabs
      items={[
        { key: 'queue', label: '审核队列', children: <Queue /> },
        { key: 'settings', label: '评论设置', children: <Settings /> },
      ]}
    />
  );
}
