import type { Role, ScopeType } from '@shared/roles';
import type { ScopeMember, UserListResponse } from '@shared/schemas/users';
import { Popconfirm, Select, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { allPages, api } from '../api/client';
import { useResource } from '../hooks/use-resource';

/**
 * Picks a person by nickname or username (the admin user search), for a form field holding a user id. What
 * was typed is searched as it is typed; a pasted 24-character id is taken as it is.
 */
export function UserPicker({ value, onChange, id }: { value?: string; onChange?(id: string | undefined): void; id?: string }) {
  const [q, setQ] = useState('');
  const found = useResource(
    () =>
      q
        ? api<UserListResponse>('/admin/users', { query: { q, limit: 20 } })
        : Promise.resolve<UserListResponse>({ items: [], nextCursor: null }),
    [q],
  );
  const pasted = /^[0-9a-f]{24}$/i.test(q) ? [{ value: q, label: `用户 ID ${q}` }] : [];
  return (
    <Select
      id={id}
      showSearch
      allowClear
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={(v) => setQ(v.trim())}
      placeholder="输入昵称或用户名搜索"
      notFoundContent={found.loading && q ? <Spin size="small" /> : q ? '没有找到' : '输入昵称或用户名'}
      options={[
        ...pasted,
        ...(found.data?.items ?? []).map((u) => ({
          value: u.id,
          label: `${u.nickname}${u.username ? `（${u.username}）` : ''}${u.phone ? ` · ${u.phone}` : ''}`,
        })),
      ]}
    />
  );
}

/**
 * The leaders of a circle or team by name (who holds the scoped leader role), each with × to dismiss when the
 * API can dismiss one.
 */
export function LeaderTags(props: {
  scope: { type: ScopeType; id: string };
  role: Role;
  ids: readonly string[];
  onDismiss?(userId: string, name: string): void;
  /** The dismissal's word (免去 by default), shown as the link when given (撤销), else ×. */
  dismissVerb?: string;
}) {
  const verb = props.dismissVerb ?? '免去';
  const members = useResource(
    () =>
      props.ids.length
        ? allPages<ScopeMember>(`/scopes/${props.scope.type}/${props.scope.id}/members`, { role: props.role })
        : Promise.resolve(null),
    [props.scope.type, props.scope.id, props.role, props.ids],
  );
  if (!props.ids.length) return <Typography.Text type="secondary">未任命</Typography.Text>;
  const names = new Map((members.data ?? []).map((m) => [m.id, m.nickname]));
  return (
    <Space size={[4, 4]} wrap>
      {props.ids.map((id) => {
        const name = names.get(id) ?? (members.loading ? '…' : `用户 ${id.slice(-6)}`);
        return (
          <Tag key={id} color="blue">
            {name}
            {props.onDismiss && (
              <Popconfirm title={`${verb} ${name} 的职务？`} okText={verb} cancelText="取消" onConfirm={() => props.onDismiss!(id, name)}>
                <a aria-label={`${verb}${name}`} style={{ marginLeft: 6 }}>
                  {props.dismissVerb ?? '×'}
                </a>
              </Popconfirm>
            )}
          </Tag>
        );
      })}
    </Space>
  );
}
