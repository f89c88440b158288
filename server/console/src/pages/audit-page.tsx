import { ROLE_DEFS, type RoleGrant } from '@shared/roles';
import { listAuditQuerySchema, type AuditEntry, type AuditListResponse } from '@shared/schemas/users';
import { Button, DatePicker, Form, Input, Space, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client';
import { timeColumn } from '../components/columns';
import { grantLabel } from '../components/scopes';
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
  'user.password_reset': '重置密码',
  'channel.create': '创建单位分端',
  'channel.admin_add': '设置分端管理员',
  'channel.admin_remove': '移除分端管理员',
  'auth.staff_login': '后台登录',
  'auth.lockout': '登录锁定',
  'circle.create': '创建圈子',
  'circle.update': '修改圈子',
  'comment.approve': '通过评论',
  'comment.reject': '驳回评论',
  'comments.settings': '评论设置',
  'mall.goods.create': '新增商品',
  'mall.goods.update': '修改商品',
  'mall.goods.stock': '调整库存',
  'mall.goods.archive': '删除商品',
  'mall.redemption.cancel': '取消兑换',
  'mall.redemption.ship': '标记发货',
  'mall.redemption.verify': '核销兑换',
  'points.adjust': '人工调整积分',
  'points.rule.update': '修改积分规则',
  'points.settings.update': '修改积分设置',
};

/** What kind of thing an entry acted on, in words; an unknown kind shows as its code. */
const TARGET_KINDS: Record<string, string> = {
  user: '用户',
  username: '登录名',
  circle: '圈子',
  channel: '单位分端',
  team: '志愿队',
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

const isGrant = (g: unknown): g is RoleGrant =>
  typeof g === 'object' && g !== null && typeof (g as RoleGrant).role === 'string' && (g as RoleGrant).role in ROLE_DEFS;

/** Role changes read as 通讯员 · 圈子 城关镇通讯员圈 (the scope by its name), a channel admin by name; anything else as its JSON. */
function describe(entry: AuditEntry): string {
  const { details, names } = entry;
  if (isGrant(details.grant)) return grantLabel(details.grant, names);
  if (typeof details.userId === 'string' && entry.action.startsWith('channel.admin'))
    return `管理员 ${names[`user:${details.userId}`] ?? details.userId}`;
  if (Array.isArray(details.roles) && details.roles.every(isGrant)) {
    const roles = details.roles.map((g) => grantLabel(g, names)).join('、') || '无角色';
    return typeof details.username === 'string' ? `账号 ${details.username}：${roles}` : roles;
  }
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
          key: 'details',
          ellipsis: true,
          render: (_, e) => (
            <Typography.Text style={{ fontSize: 13 }} title={JSON.stringify(e.details)}>
              {describe(e)}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
