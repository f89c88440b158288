import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { ROLE_DEFS, ROLES, roleGrantProblem, type Role, type RoleGrant, type ScopeType } from '@shared/roles';
import { grantRoleBodySchema, type MeResponse, type UserListResponse, type UserView } from '@shared/schemas/users';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { apiErrorToForm, checkWith, showFieldErrors } from '../components/api-form';
import { PagedTable } from '../components/paged-table';
import { shanghaiTime } from '../components/format';
import { useAction } from '../hooks/use-action';
import { useCursorPages } from '../hooks/use-cursor-pages';

const SCOPE_LABELS: Record<ScopeType, string> = {
  circle: '圈子',
  team: '志愿队',
  merchant: '商户',
  department: '部门',
  outlet: '门店',
  grid: '网格',
};
const GRANTABLE = ROLES.filter((r) => !ROLE_DEFS[r].implicit);
const GRANT_FIELDS = ['role', 'scope.type', 'scope.id'] as const;

function grantLabel(g: RoleGrant): string {
  return ROLE_DEFS[g.role].label + (g.scope ? ` · ${SCOPE_LABELS[g.scope.type]} ${g.scope.id}` : '');
}

interface GrantValues {
  role?: Role;
  scope?: { type?: ScopeType; id?: string };
}

function GrantModal({ user, onClose, onDone }: { user: UserView; onClose(): void; onDone(u: UserView): void }) {
  const [form] = Form.useForm<GrantValues>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const role = Form.useWatch('role', form);
  const scopes = role ? ROLE_DEFS[role].scopes : [];

  const submit = async () => {
    setMessage(null);
    const values = form.getFieldsValue(true) as GrantValues;
    const raw =
      values.scope?.type || values.scope?.id
        ? { role: values.role, scope: { type: values.scope?.type, id: values.scope?.id ?? '' } }
        : { role: values.role };
    // The API's own rules, checked before sending: its schema, then the role's scope rules.
    const grant = checkWith(form, grantRoleBodySchema, raw, GRANT_FIELDS);
    if (!grant) return;
    const problem = roleGrantProblem(grant);
    if (problem) {
      // A missing or wrong scope is the scope's problem; a role that can't be granted at all is the role's.
      showFieldErrors(form, [{ path: ROLE_DEFS[grant.role].scopes.length > 0 ? 'scope.type' : 'role', message: problem }], GRANT_FIELDS);
      return;
    }
    setBusy(true);
    try {
      const res = await api<MeResponse>(`/admin/users/${user.id}/roles`, { body: grant });
      onDone(res.user);
    } catch (err) {
      setMessage(apiErrorToForm(form, err, GRANT_FIELDS, { ROLE_NOT_GRANTABLE: 'role' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={`授予角色：${user.nickname}`}
      okText="授予"
      cancelText="取消"
      onOk={submit}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      {message && <Alert type="error" showIcon message={message} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="role" label="角色">
          <Select
            placeholder="选择角色"
            options={GRANTABLE.map((r) => ({ value: r, label: ROLE_DEFS[r].label }))}
            onChange={() =>
              form.setFields([
                { name: ['scope', 'type'], value: undefined, errors: [] },
                { name: ['scope', 'id'], value: undefined, errors: [] },
              ])
            }
          />
        </Form.Item>
        {scopes.length > 0 && (
          <Space.Compact block>
            <Form.Item
              name={['scope', 'type']}
              label={`范围${role && ROLE_DEFS[role].scopeRequired ? '' : '（可不填，表示全县）'}`}
              style={{ width: '40%' }}
            >
              <Select allowClear placeholder="范围类型" options={scopes.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))} />
            </Form.Item>
            <Form.Item name={['scope', 'id']} label="范围 ID / 编码" style={{ width: '60%' }}>
              <Input placeholder={scopes.includes('department') ? '部门编码，如 zjj' : '圈子、队伍或商户的 ID'} />
            </Form.Item>
          </Space.Compact>
        )}
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { message } = App.useApp();
  const { user: me } = useSession();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const [granting, setGranting] = useState<UserView | null>(null);
  const list = useCursorPages((cursor) => api<UserListResponse>('/admin/users', { query: { q, role, cursor, limit: 20 } }), [q, role]);

  const act = useAction(list.reload);
  const revoke = (u: UserView, g: RoleGrant) =>
    act(
      () =>
        api(`/admin/users/${u.id}/roles`, { method: 'DELETE', query: { role: g.role, scopeType: g.scope?.type, scopeId: g.scope?.id } }),
      `已撤销 ${u.nickname} 的${ROLE_DEFS[g.role].label}角色`,
    );

  return (
    <Card
      title="用户与角色"
      extra={
        <Space wrap>
          <Select
            allowClear
            placeholder="按角色筛选"
            style={{ width: 160 }}
            value={role}
            onChange={setRole}
            options={GRANTABLE.map((r) => ({ value: r, label: ROLE_DEFS[r].label }))}
          />
          <Input.Search
            allowClear
            placeholder="搜索昵称或用户名"
            enterButton={<SearchOutlined />}
            style={{ width: 280 }}
            onSearch={(v) => setQ(v.trim())}
          />
        </Space>
      }
    >
      <PagedTable<UserView>
        list={list}
        rowKey="id"
        scroll={{ x: 960 }}
        size="middle"
        tableLayout="fixed"
        columns={[
          {
            title: '用户',
            key: 'user',
            width: 220,
            render: (_, u) => (
              <div>
                <Typography.Text strong>{u.nickname}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {u.username ? `账号 ${u.username}` : '微信用户'}
                    {u.phone ? ` · ${u.phone}` : ''}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: '角色',
            key: 'roles',
            render: (_, u) => (
              <Space size={[4, 6]} wrap>
                {u.roles.map((g) =>
                  ROLE_DEFS[g.role].implicit ? (
                    <Tag key={grantLabel(g)}>{grantLabel(g)}</Tag>
                  ) : (
                    <Tag key={grantLabel(g)} color={g.role === 'admin' ? 'red' : g.role === 'editor' ? 'volcano' : 'blue'}>
                      {grantLabel(g)}
                      <Popconfirm title={`撤销「${grantLabel(g)}」？`} okText="撤销" cancelText="取消" onConfirm={() => revoke(u, g)}>
                        <a aria-label={`撤销${grantLabel(g)}`} style={{ marginLeft: 6 }}>
                          ×
                        </a>
                      </Popconfirm>
                    </Tag>
                  ),
                )}
              </Space>
            ),
          },
          { title: '所在乡镇', dataIndex: 'district', width: 110, render: (d: string | null) => d ?? '—' },
          {
            title: '状态',
            dataIndex: 'disabled',
            width: 90,
            render: (d: boolean) => (d ? <Tag color="default">已停用</Tag> : <Tag color="green">正常</Tag>),
          },
          { title: '注册时间', dataIndex: 'createdAt', width: 150, render: shanghaiTime },
          {
            title: '操作',
            key: 'actions',
            width: 190,
            // Kept in view when a narrow screen scrolls the table.
            fixed: 'right',
            render: (_, u) => (
              <Space>
                <Button size="small" icon={<PlusOutlined />} onClick={() => setGranting(u)}>
                  授予角色
                </Button>
                {u.id === me?.id ? (
                  <Tooltip title="不能停用自己的账号">
                    <Button size="small" disabled>
                      停用
                    </Button>
                  </Tooltip>
                ) : (
                  <Popconfirm
                    title={u.disabled ? `恢复 ${u.nickname} 的账号？` : `停用 ${u.nickname} 的账号？`}
                    description={u.disabled ? undefined : '停用后立即退出登录，且不能再登录。'}
                    okText={u.disabled ? '恢复' : '停用'}
                    okButtonProps={{ danger: !u.disabled }}
                    cancelText="取消"
                    onConfirm={() =>
                      act(
                        () => api(`/admin/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`, { body: {} }),
                        u.disabled ? '账号已恢复' : '账号已停用',
                      )
                    }
                  >
                    <Button size="small" danger={!u.disabled}>
                      {u.disabled ? '恢复' : '停用'}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {granting && (
        <GrantModal
          user={granting}
          onClose={() => setGranting(null)}
          onDone={(u) => {
            setGranting(null);
            message.success(`已授予 ${u.nickname} 新角色`);
            list.reload();
          }}
        />
      )}
    </Card>
  );
}
