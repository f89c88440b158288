import { PlusOutlined, SearchOutlined, UserAddOutlined } from '@ant-design/icons';
import { ROLE_DEFS, roleGrantProblem, type Role, type RoleGrant } from '@shared/roles';
import { grantRoleBodySchema, type MeResponse, type UserListResponse, type UserView } from '@shared/schemas/users';
import { Button, Input, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { actionsColumn, timeColumn } from '../components/columns';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { FormModal } from '../components/form-modal';
import { ListCard } from '../components/paged-table';
import { useAction } from '../hooks/use-action';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { useDepartments } from '../hooks/use-departments';
import { grantLabel } from '../components/scopes';
import { CreateStaffModal, grantOf, grantProblemField, PointsDrawer, ResetPasswordModal } from './users-accounts';
import { GRANT_FIELDS, GRANTABLE, GrantFields, type GrantValues } from './users-grant';

function GrantModal({ user, onClose, onDone }: { user: UserView; onClose(): void; onDone(): void }) {
  return (
    <FormModal<typeof grantRoleBodySchema, GrantValues, MeResponse>
      title={`授予角色：${user.nickname}`}
      okText="授予"
      schema={grantRoleBodySchema}
      fields={GRANT_FIELDS}
      toBody={(values) => grantOf(values) ?? {}}
      // The role's scope rules, after its schema. A missing or wrong scope is the scope's problem; a role that
      // can't be granted at all is the role's.
      refine={(grant) => {
        const problem = roleGrantProblem(grant);
        return problem ? { path: grantProblemField(grant.role), message: problem } : null;
      }}
      send={(grant) => api<MeResponse>(`/admin/users/${user.id}/roles`, { body: grant })}
      codeToField={{ ROLE_NOT_GRANTABLE: 'role' }}
      success={(res) => `已授予 ${res.user.nickname} 新角色`}
      onClose={onClose}
      onDone={onDone}
    >
      {(form) => <GrantFields form={form} />}
    </FormModal>
  );
}

export default function UsersPage() {
  const { user: me } = useSession();
  // Department scopes read by name (the directory is small and public); other scopes show their id.
  const depts = useDepartments();
  const scopeNames = Object.fromEntries(depts.departments.map((d) => [`department:${d.code}`, d.name]));
  const label = (g: RoleGrant) => grantLabel(g, scopeNames);
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const [granting, setGranting] = useState<UserView | null>(null);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const [points, setPoints] = useState<UserView | null>(null);
  const list = useCursorPages((cursor) => api<UserListResponse>('/admin/users', { query: { q, role, cursor, limit: 20 } }), [q, role]);

  const act = useAction(list.reload);
  const revoke = (u: UserView, g: RoleGrant) =>
    act(
      () =>
        api(`/admin/users/${u.id}/roles`, { method: 'DELETE', query: { role: g.role, scopeType: g.scope?.type, scopeId: g.scope?.id } }),
      `已撤销 ${u.nickname} 的${ROLE_DEFS[g.role].label}角色`,
    );

  return (
    <ListCard<UserView>
      title="用户与角色"
      list={list}
      scroll={{ x: 960 }}
      extra={
        <Space wrap>
          <FilterSelect
            placeholder="按角色筛选"
            width={160}
            value={role}
            onChange={setRole}
            options={optionsOf(GRANTABLE, (r) => ROLE_DEFS[r].label)}
          />
          <Input.Search
            allowClear
            placeholder="搜索昵称或用户名"
            enterButton={<SearchOutlined />}
            style={{ width: 280 }}
            onSearch={(v) => setQ(v.trim())}
          />
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)}>
            新建后台账号
          </Button>
        </Space>
      }
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
                  <Tag key={label(g)}>{label(g)}</Tag>
                ) : (
                  <Tag key={label(g)} color={g.role === 'admin' ? 'red' : g.role === 'editor' ? 'volcano' : 'blue'}>
                    {label(g)}
                    <Popconfirm title={`撤销「${label(g)}」？`} okText="撤销" cancelText="取消" onConfirm={() => revoke(u, g)}>
                      <a aria-label={`撤销${label(g)}`} style={{ marginLeft: 6 }}>
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
        timeColumn('注册时间', 'createdAt'),
        actionsColumn(250, (u) => (
          <Space size={4} wrap>
            <Button size="small" icon={<PlusOutlined />} onClick={() => setGranting(u)}>
              授予角色
            </Button>
            <Button size="small" onClick={() => setPoints(u)}>
              积分
            </Button>
            {u.username && u.id !== me?.id && (
              <Button size="small" onClick={() => setResetting(u)}>
                重置密码
              </Button>
            )}
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
        )),
      ]}
    >
      {granting && <GrantModal user={granting} onClose={() => setGranting(null)} onDone={list.reload} />}
      {creating && <CreateStaffModal onClose={() => setCreating(false)} onDone={list.reload} />}
      {resetting && <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />}
      {points && <PointsDrawer user={points} onClose={() => setPoints(null)} />}
    </ListCard>
  );
}
