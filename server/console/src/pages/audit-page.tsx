import { ROLE_DEFS, type RoleGrant } from '@shared/roles';
import { listAuditQuerySchema, type AuditEntry, type AuditListResponse } from '@shared/schemas/users';
import { Button, DatePicker, Form, Input, Space, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client';
import { timeColumn } from '../components/columns';
import { shanghaiDayStart } from '../components/format';
import { ListCard } from '../components/paged-table';
import { useCursorPages } from '../hooks/use-cursor-pages';

/** Names for the actions modules write today; an unknown one shows as its code. */
const ACTIONS: Record<string, string> = {
  'role.grant': '授予角色',
  'role.revoke': '撤销角色',
  'staff.create': '创建工作账号',
  'user.disable': '停用账号',
  'user.enable': '恢复账号',
  'user.password_change': '修改密码',
};

/** What kind of thing an entry acted on, in words; an unknown kind shows as its code. */
const TARGET_KINDS: Record<string, string> = {
  user: '用户',
  username: '登录名',
  circle: '圈子',
  channel: '单位分端',
  merchant: '商户',
  article: '文章',
  column: '栏目',
  goods: '商品',
  redemption: '兑换',
  comment: '评论',
  comment_settings: '评论设置',
  points_rule: '积分规则',
  points_settings: '积分设置',
};
const MONO = { fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 12 } as const;

/** Role changes read as 通讯员 · circle 6b1…; anything else as its JSON. */
function describe(details: Record<string, unknown>): string {
  const grant = details.grant as RoleGrant | undefined;
  if (grant && typeof grant.role === 'string' && grant.role in ROLE_DEFS)
    return ROLE_DEFS[grant.role].label + (grant.scope ? ` · ${grant.scope.type} ${grant.scope.id}` : '');
  return Object.keys(details).length ? JSON.stringify(details) : '—';
}

interface Filters {
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
}
interface FormValues {
  actorId?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

export default function AuditPage() {
  const [form] = Form.useForm<FormValues>();
  const [filters, setFilters] = useState<Filters>({});
  const list = useCursorPages((cursor) => api<AuditListResponse>('/admin/audit', { query: { ...filters, cursor, limit: 50 } }), [filters]);

  const apply = () => {
    const v = form.getFieldsValue();
    const [start, end] = v.range ?? [];
    const next: Filters = {
      ...(v.actorId?.trim() ? { actorId: v.actorId.trim() } : {}),
      ...(v.action?.trim() ? { action: v.action.trim() } : {}),
      ...(start ? { from: shanghaiDayStart(start.format('YYYY-MM-DD')) } : {}),
      // The picked end day is included: up to the start of the day after it.
      ...(end ? { to: shanghaiDayStart(end.add(1, 'day').format('YYYY-MM-DD')) } : {}),
    };
    // The API's schema, checked here: a problem with `from`/`to` belongs next to the date range.
    const parsed = listAuditQuerySchema.safeParse(next);
    form.setFields([
      { name: 'actorId', errors: [] },
      { name: 'action', errors: [] },
      { name: 'range', errors: [] },
    ]);
    if (parsed.success) {
      setFilters(next);
      return;
    }
    const on = (field: 'actorId' | 'action' | 'range') =>
      parsed.error.issues.filter((i) => (field === 'range' ? ['from', 'to'] : [field]).includes(String(i.path[0]))).map((i) => i.message);
    form.setFields((['actorId', 'action', 'range'] as const).map((name) => ({ name, errors: on(name) })));
  };

  return (
    <ListCard<AuditEntry>
      title="审计日志"
      list={list}
      size="small"
      toolbar={
        <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 12 }}>
          <Form.Item name="actorId" label="操作人 ID">
            <Input allowClear placeholder="24 位用户 ID" style={{ width: 230 }} />
          </Form.Item>
          <Form.Item name="action" label="动作">
            <Input allowClear placeholder="如 role.grant" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="range" label="日期">
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              重置
            </Button>
          </Space>
        </Form>
      }
      columns={[
        timeColumn('时间', 'at', 160),
        {
          title: '动作',
          dataIndex: 'action',
          width: 200,
          render: (a: string) => (
            <span>
              {ACTIONS[a] ?? a}
              <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
                {a}
              </Typography.Text>
            </span>
          ),
        },
        {
          title: '操作人',
          dataIndex: 'actorId',
          width: 220,
          render: (id: string | null, e) =>
            id ? (
              <span style={{ whiteSpace: 'nowrap' }} data-testid="audit-actor">
                <Tooltip title={`${e.actor ? `${e.actor.nickname} · ` : ''}用户 ID ${id}（点击按此人筛选）`}>
                  <Typography.Link
                    onClick={() => {
                      form.setFieldValue('actorId', id);
                      apply();
                    }}
                    ellipsis
                    style={{ ...(e.actor ? {} : MONO), maxWidth: 120, verticalAlign: 'bottom' }}
                  >
                    {e.actor?.nickname ?? id}
                  </Typography.Link>
                </Tooltip>
                {e.actor?.username && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
                    {e.actor.username}
                  </Typography.Text>
                )}
                <Typography.Text copyable={{ text: id, tooltips: ['复制 ID', '已复制'] }} />
              </span>
            ) : (
              <Tag>系统</Tag>
            ),
        },
        {
          title: '对象',
          dataIndex: 'target',
          width: 240,
          render: (t: AuditEntry['target']) =>
            t ? (
              <span style={{ whiteSpace: 'nowrap' }} data-testid="audit-target">
                <Tag>{TARGET_KINDS[t.type] ?? t.type}</Tag>
                <Tooltip title={`${t.label ? `${t.label} · ` : ''}${t.type} ${t.id}`}>
                  {/* A long name (a department's service desk…) is cut, not spilled over 详情: the tooltip has the id. */}
                  <Typography.Text ellipsis style={{ ...(t.label ? {} : MONO), maxWidth: 150, verticalAlign: 'bottom' }}>
                    {t.label ?? t.id}
                  </Typography.Text>
                </Tooltip>
                <Typography.Text copyable={{ text: t.id, tooltips: ['复制 ID', '已复制'] }} />
              </span>
            ) : (
              '—'
            ),
        },
        {
          title: '详情',
          dataIndex: 'details',
          ellipsis: true,
          render: (d: Record<string, unknown>) => (
            <Typography.Text style={{ fontSize: 13 }} title={JSON.stringify(d)}>
              {describe(d)}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
