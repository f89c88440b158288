import { PlusOutlined } from '@ant-design/icons';
import type { Role, ScopeType } from '@shared/roles';
import { Button, Card, Form, Input, Space, Typography, type TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { api } from '../api/client';
import { useAction } from '../hooks/use-action';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import { actionsColumn, timeColumn } from './columns';
import { FormModal } from './form-modal';
import { ItemsTable, PagedTable } from './paged-table';
import { LeaderTags, UserPicker } from './user-picker';

interface Unit {
  id: string;
  name: string;
  leaderIds: string[];
  memberCount: number;
  createdAt: string;
}

/**
 * The groups people belong to and an admin runs (通讯员圈子, 志愿队伍): the list, 新建 / 编辑 in a form checked with
 * the API's schemas, 任命 a leader by searching for the person, and — where the API has it — 免去 one. A list the
 * API pages (`paged`: `{ items, nextCursor }`, filtered by name on the server) gets 上一页 / 下一页 and a search box;
 * one it returns whole (`{ items }`) is paged in the browser.
 */
export function UnitsCard<T extends Unit, V extends object>(props: {
  title: string;
  /** 圈子, 队伍 */
  noun: string;
  /** 圈长, 队长 */
  leaderTitle: string;
  /** The list endpoint (`{ items }`, or `{ items, nextCursor }` when `paged`), also the create endpoint; an item is PATCHed at `${path}/${id}`. */
  path: string;
  /** The API pages the list with a cursor and filters it by name (`q`). */
  paged?: boolean;
  createSchema: z.ZodType;
  updateSchema: z.ZodType;
  fields: readonly string[];
  toBody?(values: V): unknown;
  formItems: ReactNode;
  columns: TableColumnsType<T>;
  leader: { role: Role; scope: ScopeType; schema: z.ZodType; canDismiss: boolean; dismissVerb?: string };
}) {
  const [q, setQ] = useState('');
  const units = useCursorPages(
    (cursor) => api<CursorPage<T>>(props.path, props.paged ? { query: { q, cursor, limit: 20 } } : {}),
    [props.path, q],
  );
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [appointing, setAppointing] = useState<T | null>(null);
  const act = useAction(units.reload);
  const edited = editing && editing !== 'new' ? editing : null;
  return (
    <Card
      title={props.title}
      extra={
        <Space>
          {props.paged && (
            <Input.Search
              allowClear
              placeholder={`搜索${props.noun}名称`}
              maxLength={40}
              style={{ width: 220 }}
              onSearch={(v) => setQ(v.trim())}
            />
          )}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新建{props.noun}
          </Button>
        </Space>
      }
    >
      <UnitsTable<T>
        paged={props.paged ?? false}
        list={units}
        columns={[
          {
            title: props.noun,
            dataIndex: 'name',
            width: 200,
            render: (n: string) => <Typography.Text strong>{n}</Typography.Text>,
          },
          ...props.columns,
          {
            title: props.leaderTitle,
            key: 'leaders',
            width: 180,
            render: (_, u) => (
              <LeaderTags
                scope={{ type: props.leader.scope, id: u.id }}
                role={props.leader.role}
                ids={u.leaderIds}
                dismissVerb={props.leader.dismissVerb}
                onDismiss={
                  props.leader.canDismiss
                    ? (userId, name) =>
                        act(
                          () => api(`${props.path}/${u.id}/leaders/${userId}`, { method: 'DELETE' }),
                          `已${props.leader.dismissVerb ?? '免去'} ${name} 的${props.leaderTitle}职务`,
                        )
                    : undefined
                }
              />
            ),
          },
          { title: '成员', dataIndex: 'memberCount', width: 70, align: 'right' },
          timeColumn<T>('创建时间', 'createdAt'),
          actionsColumn<T>(170, (u) => (
            <Space size={4}>
              <Button size="small" onClick={() => setEditing(u)}>
                编辑
              </Button>
              <Button size="small" onClick={() => setAppointing(u)}>
                任命{props.leaderTitle}
              </Button>
            </Space>
          )),
        ]}
      />
      {editing && (
        <FormModal<z.ZodType, V>
          title={edited ? `编辑${props.noun}：${edited.name}` : `新建${props.noun}`}
          okText={edited ? '保存' : '创建'}
          schema={edited ? props.updateSchema : props.createSchema}
          fields={props.fields}
          initialValues={(edited ?? {}) as Partial<V>}
          toBody={props.toBody}
          send={(body) => (edited ? api(`${props.path}/${edited.id}`, { method: 'PATCH', body }) : api(props.path, { body }))}
          onClose={() => setEditing(null)}
          success={edited ? `${props.noun}已保存` : `${props.noun}已创建`}
          onDone={units.reload}
          width={560}
        >
          {props.formItems}
        </FormModal>
      )}
      {appointing && (
        <FormModal<z.ZodType, { userId?: string }>
          title={`任命${props.leaderTitle}：${appointing.name}`}
          okText="任命"
          schema={props.leader.schema}
          fields={['userId']}
          send={(body) => api(`${props.path}/${appointing.id}/leaders`, { body })}
          onClose={() => setAppointing(null)}
          success={`已任命${props.leaderTitle}`}
          onDone={units.reload}
        >
          <Form.Item name="userId" label={props.leaderTitle} extra={`任命后获得该${props.noun}的${props.leaderTitle}角色`}>
            <UserPicker />
          </Form.Item>
        </FormModal>
      )}
    </Card>
  );
}

/** The cursor-paged table, or the whole list paged in the browser. */
function UnitsTable<T extends object>({
  paged,
  list,
  columns,
}: {
  paged: boolean;
  list: ReturnType<typeof useCursorPages<T>>;
  columns: TableColumnsType<T>;
}) {
  return paged ? <PagedTable<T> list={list} columns={columns} /> : <ItemsTable<T> resource={list} columns={columns} />;
}
