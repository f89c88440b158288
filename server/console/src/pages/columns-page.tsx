import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import {
  createColumnBodySchema,
  MAX_COLUMNS,
  updateColumnBodySchema,
  type ColumnView,
  type CreateColumnBody,
} from '@shared/schemas/newsroom';
import type { CommentSettings } from '@shared/schemas/comments';
import { Button, Card, Form, Input, Popconfirm, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { actionsColumn, timeColumn } from '../components/columns';
import { FormModal } from '../components/form-modal';
import { ItemsTable } from '../components/paged-table';
import { useAction } from '../hooks/use-action';
import { useResource } from '../hooks/use-resource';

const CREATE_FIELDS = ['key', 'name', 'homeTab', 'enabled'] as const;
const EDIT_FIELDS = ['name', 'homeTab'] as const;
type ColumnValues = Partial<CreateColumnBody>;

/** A column's comment rule (评论设置's per-column switch): follow the global one, or its own. */
const COMMENT_RULES = [
  { value: 'follow', label: '跟随全局' },
  { value: 'approve', label: '先审后发' },
  { value: 'show', label: '直接展示' },
] as const;
type CommentRule = (typeof COMMENT_RULES)[number]['value'];
const ruleOf = (settings: CommentSettings | undefined, key: string): CommentRule => {
  const own = settings?.columns[key];
  return own === undefined ? 'follow' : own ? 'approve' : 'show';
};

/** The columns shown as 本地 and 服务 on 首页 whatever their own switch says. */
const FIXED_TABS: Readonly<Record<string, string>> = { correspondent: '本地', government: '服务' };

/** 栏目管理 (admins): the feed's columns — add, rename, switch off, choose the 首页 tabs, reorder. */
export default function ColumnsPage() {
  const columns = useResource(() => api<{ items: ColumnView[] }>('/admin/columns'), []);
  const [editing, setEditing] = useState<ColumnView | 'new' | null>(null);
  const comments = useResource(() => api<{ settings: CommentSettings }>('/comments/settings'), []);
  const act = useAction(columns.reload);
  const actOnComments = useAction(comments.reload);
  const items = columns.data?.items ?? [];
  const edited = editing && editing !== 'new' ? editing : null;

  /** Swaps a column with its neighbour: the whole order is sent, so a list someone else changed meanwhile is refused. */
  const move = (index: number, by: -1 | 1) => {
    const keys = items.map((c) => c.key);
    const [a, b] = [keys[index]!, keys[index + by]!];
    keys[index] = b;
    keys[index + by] = a;
    return act(() => api('/admin/columns/order', { method: 'PUT', body: { keys } }), '顺序已调整');
  };

  return (
    <Card
      title="栏目管理"
      extra={
        <Space>
          <Typography.Text type="secondary">
            共 {items.length} 个，最多 {MAX_COLUMNS} 个
          </Typography.Text>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={items.length >= MAX_COLUMNS}>
            新增栏目
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        小程序首页依次显示 推荐、本地、问政、服务 四个固定频道，然后是下表中“首页频道”开启且已启用的栏目（按此顺序）。
        停用的栏目不再接收新文章，已发布的文章仍在“推荐”中。评论审核“跟随全局”时按评论设置中的全局开关。
      </Typography.Paragraph>
      <ItemsTable<ColumnView>
        resource={columns}
        rowKey="key"
        columns={[
          {
            title: '顺序',
            key: 'order',
            width: 100,
            render: (_, c, i) => (
              <Space size={4}>
                <Tooltip title="上移">
                  <Button
                    size="small"
                    icon={<ArrowUpOutlined />}
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                    aria-label={`上移 ${c.name}`}
                  />
                </Tooltip>
                <Tooltip title="下移">
                  <Button
                    size="small"
                    icon={<ArrowDownOutlined />}
                    disabled={i === items.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`下移 ${c.name}`}
                  />
                </Tooltip>
              </Space>
            ),
          },
          {
            title: '栏目',
            key: 'name',
            render: (_, c) => (
              <Space>
                <Typography.Text strong>{c.name}</Typography.Text>
                <Typography.Text type="secondary" code>
                  {c.key}
                </Typography.Text>
                {c.builtin && <Tag>默认</Tag>}
              </Space>
            ),
          },
          {
            title: '首页频道',
            key: 'homeTab',
            width: 150,
            render: (_, c) =>
              FIXED_TABS[c.key] ? (
                <Tag color="blue">固定为「{FIXED_TABS[c.key]}」</Tag>
              ) : (
                <Switch
                  size="small"
                  checked={c.homeTab}
                  checkedChildren="显示"
                  unCheckedChildren="不显示"
                  aria-label={`${c.name} 首页频道`}
                  onChange={(homeTab) =>
                    act(
                      () => api(`/admin/columns/${c.key}`, { method: 'PATCH', body: { homeTab } }),
                      homeTab ? `「${c.name}」已显示在首页` : `「${c.name}」不再显示在首页`,
                    )
                  }
                />
              ),
          },
          {
            title: '状态',
            key: 'enabled',
            width: 90,
            render: (_, c) => (c.enabled ? <Tag color="green">启用</Tag> : <Tag>已停用</Tag>),
          },
          {
            title: '评论审核',
            key: 'comments',
            width: 130,
            render: (_, c) => (
              <Select<CommentRule>
                size="small"
                style={{ width: 110 }}
                aria-label={`${c.name} 评论审核`}
                disabled={!comments.data || !c.enabled}
                value={ruleOf(comments.data?.settings, c.key)}
                options={[...COMMENT_RULES]}
                onChange={(rule) =>
                  actOnComments(
                    () =>
                      api('/comments/settings', {
                        method: 'PUT',
                        body: { columns: { [c.key]: rule === 'follow' ? null : rule === 'approve' } },
                      }),
                    `「${c.name}」的评论：${COMMENT_RULES.find((r) => r.value === rule)?.label}`,
                  )
                }
              />
            ),
          },
          timeColumn<ColumnView>('修改时间', 'updatedAt'),
          actionsColumn<ColumnView>(200, (c) => (
            <Space size={4}>
              <Button size="small" onClick={() => setEditing(c)}>
                编辑
              </Button>
              {c.enabled ? (
                <Popconfirm
                  title={`停用「${c.name}」？`}
                  description="停用后不能再往这个栏目发文章，首页也不再显示。"
                  okText="停用"
                  cancelText="取消"
                  onConfirm={() => act(() => api(`/admin/columns/${c.key}`, { method: 'PATCH', body: { enabled: false } }), '已停用')}
                >
                  <Button size="small">停用</Button>
                </Popconfirm>
              ) : (
                <Button
                  size="small"
                  type="primary"
                  ghost
                  onClick={() => act(() => api(`/admin/columns/${c.key}`, { method: 'PATCH', body: { enabled: true } }), '已启用')}
                >
                  启用
                </Button>
              )}
              {!c.builtin && (
                <Popconfirm
                  title={`删除「${c.name}」？`}
                  description="只有没有文章的栏目可以删除。"
                  okText="删除"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => act(() => api(`/admin/columns/${c.key}`, { method: 'DELETE' }), '已删除')}
                >
                  <Button size="small" danger type="text">
                    删除
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )),
        ]}
      />
      {editing && (
        <FormModal<typeof createColumnBodySchema, ColumnValues>
          title={edited ? `编辑栏目：${edited.name}` : '新增栏目'}
          okText={edited ? '保存' : '新增'}
          schema={edited ? (updateColumnBodySchema as unknown as typeof createColumnBodySchema) : createColumnBodySchema}
          fields={edited ? EDIT_FIELDS : CREATE_FIELDS}
          width={520}
          initialValues={edited ? { name: edited.name, homeTab: edited.homeTab } : { homeTab: true, enabled: true }}
          toBody={(v) => (edited ? { name: v.name, homeTab: v.homeTab } : v)}
          send={(body) => (edited ? api(`/admin/columns/${edited.key}`, { method: 'PATCH', body }) : api('/admin/columns', { body }))}
          codeToField={{ COLUMN_KEY_TAKEN: 'key' }}
          onClose={() => setEditing(null)}
          success={edited ? '栏目已保存' : '栏目已新增'}
          onDone={columns.reload}
        >
          {!edited && (
            <Form.Item name="key" label="栏目标识" extra="英文小写字母开头，可含数字和连字符，如 sports；创建后不能修改">
              <Input placeholder="如 sports" maxLength={24} />
            </Form.Item>
          )}
          <Form.Item name="name" label="栏目名称" extra="小程序首页频道上显示的名字，最多 8 个字">
            <Input placeholder="如 体育" maxLength={8} showCount />
          </Form.Item>
          <Form.Item name="homeTab" label="在小程序首页显示为频道" valuePropName="checked">
            <Switch />
          </Form.Item>
          {!edited && (
            <Form.Item name="enabled" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </FormModal>
      )}
    </Card>
  );
}
