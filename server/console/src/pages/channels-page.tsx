import { PlusOutlined } from '@ant-design/icons';
import {
  CHANNEL_KINDS,
  CHANNEL_KIND_LABELS,
  channelAdminBodySchema,
  createChannelBodySchema,
  type ChannelListResponse,
  type ChannelView,
} from '@shared/schemas/newsroom';
import { Button, Form, Input, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { actionsColumn, timeColumn } from '../components/columns';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { FormModal } from '../components/form-modal';
import { ListCard } from '../components/paged-table';
import { UserPicker } from '../components/user-picker';
import { useAction } from '../hooks/use-action';
import { useCursorPages } from '../hooks/use-cursor-pages';

type Kind = (typeof CHANNEL_KINDS)[number];
const KIND_COLORS: Record<Kind, string> = { government: 'blue', town: 'green', school: 'purple', enterprise: 'orange' };

/**
 * 单位分端: the units (government bodies, towns, schools, enterprises) with their own channel. An admin creates one,
 * sets its admins by searching for the person (their pieces then take the lighter review lane) and removes them.
 */
export default function ChannelsPage() {
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<Kind | undefined>();
  const [creating, setCreating] = useState(false);
  const [adding, setAdding] = useState<ChannelView | null>(null);
  const list = useCursorPages((cursor) => api<ChannelListResponse>('/channels', { query: { q, kind, cursor, limit: 20 } }), [q, kind]);
  const act = useAction(list.reload);

  return (
    <ListCard<ChannelView>
      title="单位分端"
      list={list}
      extra={
        <Space wrap>
          <FilterSelect
            placeholder="单位类型"
            width={130}
            value={kind}
            onChange={setKind}
            options={optionsOf(CHANNEL_KINDS, (k) => CHANNEL_KIND_LABELS[k])}
          />
          <Input.Search allowClear placeholder="搜索单位名称" maxLength={40} style={{ width: 220 }} onSearch={(v) => setQ(v.trim())} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建分端
          </Button>
        </Space>
      }
      columns={[
        { title: '单位', dataIndex: 'name', width: 240, render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
        { title: '类型', dataIndex: 'kind', width: 100, render: (k: Kind) => <Tag color={KIND_COLORS[k]}>{CHANNEL_KIND_LABELS[k]}</Tag> },
        {
          title: '分端管理员',
          key: 'admins',
          render: (_, c) =>
            c.admins.length === 0 ? (
              <Typography.Text type="secondary">未设置</Typography.Text>
            ) : (
              <Space size={[4, 4]} wrap>
                {c.admins.map((a) => (
                  <Tag key={a.id} color="blue">
                    {a.nickname}
                    <Popconfirm
                      title={`移除 ${a.nickname} 的分端管理员身份？`}
                      okText="移除"
                      cancelText="取消"
                      onConfirm={() => act(() => api(`/channels/${c.id}/admins/${a.id}`, { method: 'DELETE' }), `已移除 ${a.nickname}`)}
                    >
                      <a aria-label={`移除${a.nickname}`} style={{ marginLeft: 6 }}>
                        ×
                      </a>
                    </Popconfirm>
                  </Tag>
                ))}
              </Space>
            ),
        },
        timeColumn('创建时间', 'createdAt'),
        actionsColumn(130, (c) => (
          <Button size="small" onClick={() => setAdding(c)}>
            设置管理员
          </Button>
        )),
      ]}
    >
      {creating && (
        <FormModal<typeof createChannelBodySchema, { name?: string; kind?: Kind }>
          title="新建单位分端"
          okText="创建"
          schema={createChannelBodySchema}
          fields={['name', 'kind']}
          initialValues={{ kind: 'government' }}
          toBody={(v) => ({ name: (v.name ?? '').trim(), kind: v.kind })}
          send={(body) => api('/channels', { body })}
          onClose={() => setCreating(false)}
          success="分端已创建"
          onDone={list.reload}
        >
          <Form.Item name="name" label="单位名称">
            <Input maxLength={40} showCount placeholder="如 县教育局" />
          </Form.Item>
          <Form.Item name="kind" label="单位类型">
            <Radio.Group optionType="button" options={CHANNEL_KINDS.map((k) => ({ value: k, label: CHANNEL_KIND_LABELS[k] }))} />
          </Form.Item>
        </FormModal>
      )}
      {adding && (
        <FormModal<typeof channelAdminBodySchema, { userId?: string }, { channel: ChannelView }>
          title={`设置分端管理员：${adding.name}`}
          okText="设为管理员"
          schema={channelAdminBodySchema}
          fields={['userId']}
          // Nobody picked is an empty id: the schema's own message (不是有效的 ID) shows under the picker.
          toBody={(v) => ({ userId: v.userId ?? '' })}
          send={(body) => api(`/channels/${adding.id}/admins`, { body })}
          codeToField={{ USER_NOT_FOUND: 'userId' }}
          onClose={() => setAdding(null)}
          success={(res) => `${res.channel.name} 的管理员：${res.channel.admins.map((a) => a.nickname).join('、')}`}
          onDone={list.reload}
        >
          <Form.Item name="userId" label="管理员" extra="分端管理员的投稿走单位分端的轻审核通道">
            <UserPicker />
          </Form.Item>
        </FormModal>
      )}
    </ListCard>
  );
}
