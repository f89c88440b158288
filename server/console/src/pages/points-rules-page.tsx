import { EditOutlined } from '@ant-design/icons';
import { POINTS_SOURCE_LABELS, expiryDaysBodySchema, updateRuleBodySchema, type PointsRule } from '@shared/schemas/points';
import { Button, Card, Form, InputNumber, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { FormModal } from '../components/form-modal';
import { useResource } from '../hooks/use-resource';

const RULE_FIELDS = ['amount', 'dailyCap', 'monthlyCap', 'enabled'] as const;

interface RuleValues {
  amount?: number | null;
  dailyCap?: number | null;
  monthlyCap?: number | null;
  enabled?: boolean;
}

const cap = (n: number | null) => (n === null ? <Typography.Text type="secondary">不限</Typography.Text> : n.toLocaleString('zh-CN'));

export default function PointsRulesPage() {
  const rules = useResource(() => api<{ rules: PointsRule[]; expiryDays: number }>('/admin/points/rules'), []);
  const [editing, setEditing] = useState<PointsRule | null>(null);
  const [expiry, setExpiry] = useState(false);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="积分规则"
        extra={<Typography.Text type="secondary">每次获得的积分，以及每人每天、每月从该来源最多获得多少（按北京时间计）</Typography.Text>}
      >
        <Table<PointsRule>
          rowKey="source"
          size="middle"
          loading={rules.loading}
          dataSource={rules.data?.rules ?? []}
          pagination={false}
          columns={[
            {
              title: '来源',
              dataIndex: 'source',
              render: (s: PointsRule['source']) => <Typography.Text strong>{POINTS_SOURCE_LABELS[s]}</Typography.Text>,
            },
            { title: '每次积分', dataIndex: 'amount', align: 'right', width: 140 },
            { title: '每日上限', dataIndex: 'dailyCap', align: 'right', width: 140, render: cap },
            { title: '每月上限', dataIndex: 'monthlyCap', align: 'right', width: 140, render: cap },
            {
              title: '状态',
              dataIndex: 'enabled',
              width: 110,
              render: (on: boolean) => (on ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
            },
            {
              title: '操作',
              key: 'edit',
              width: 110,
              render: (_, r) => (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                  修改
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card title="积分有效期">
        <Space size="large">
          <Typography.Text>
            积分自获得之日起 <Typography.Text strong>{rules.data?.expiryDays ?? '—'}</Typography.Text> 天后过期
          </Typography.Text>
          <Button onClick={() => setExpiry(true)}>修改有效期</Button>
        </Space>
      </Card>
      {editing && (
        <FormModal<typeof updateRuleBodySchema, RuleValues>
          title={`修改积分规则：${POINTS_SOURCE_LABELS[editing.source]}`}
          okText="保存"
          schema={updateRuleBodySchema}
          fields={RULE_FIELDS}
          initialValues={editing}
          // An emptied cap means 不限 (null), as the API has it.
          toBody={(v) => ({
            amount: v.amount ?? undefined,
            dailyCap: v.dailyCap ?? null,
            monthlyCap: v.monthlyCap ?? null,
            enabled: v.enabled,
          })}
          send={(body) => api(`/admin/points/rules/${editing.source}`, { method: 'PUT', body })}
          onClose={() => setEditing(null)}
          success="积分规则已保存"
          onDone={rules.reload}
        >
          <Form.Item name="amount" label="每次积分">
            <InputNumber min={0} precision={0} style={{ width: '100%' }} addonAfter="分" />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="dailyCap" label="每日上限（留空为不限）" style={{ width: '50%' }}>
              <InputNumber precision={0} style={{ width: '100%' }} placeholder="不限" />
            </Form.Item>
            <Form.Item name="monthlyCap" label="每月上限（留空为不限）" style={{ width: '50%' }}>
              <InputNumber precision={0} style={{ width: '100%' }} placeholder="不限" />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="enabled" label="启用" valuePropName="checked">
            <Switch />
          </Form.Item>
        </FormModal>
      )}
      {expiry && (
        <FormModal<typeof expiryDaysBodySchema, { expiryDays?: number }>
          title="修改积分有效期"
          okText="保存"
          schema={expiryDaysBodySchema}
          fields={['expiryDays']}
          initialValues={{ expiryDays: rules.data?.expiryDays }}
          send={(body) => api('/admin/points/settings', { method: 'PUT', body })}
          onClose={() => setExpiry(false)}
          success="有效期已保存"
          onDone={rules.reload}
        >
          <Form.Item name="expiryDays" label="有效期">
            <InputNumber precision={0} style={{ width: '100%' }} addonAfter="天" />
          </Form.Item>
        </FormModal>
      )}
    </Space>
  );
}
