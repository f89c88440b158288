import { PlusOutlined } from '@ant-design/icons';
import {
  DELIVERY_MODE_LABELS,
  DELIVERY_MODES,
  goodsBodySchema,
  stockBodySchema,
  updateGoodsBodySchema,
  type Goods,
  type GoodsBody,
} from '@shared/schemas/points';
import { Button, Form, Input, InputNumber, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { FormModal } from '../components/form-modal';
import { shanghaiTime } from '../components/format';
import { ListCard } from '../components/paged-table';
import { actionsColumn } from '../components/columns';
import { useAction } from '../hooks/use-action';
import { useCursorPages } from '../hooks/use-cursor-pages';

const GOODS_FIELDS = ['name', 'description', 'price', 'stock', 'perUserLimit', 'deliveryMode', 'outletId'] as const;
type GoodsValues = Partial<Record<(typeof GOODS_FIELDS)[number], unknown>>;

/** The form's values as the API's body: empty optional fields are null, not empty strings. */
function goodsBody(v: GoodsValues, editing: boolean) {
  const body: Record<string, unknown> = {
    name: v.name,
    description: v.description ?? '',
    price: v.price,
    perUserLimit: v.perUserLimit ?? null,
    deliveryMode: v.deliveryMode,
    outletId: v.deliveryMode === 'pickup' && typeof v.outletId === 'string' && v.outletId.trim() ? v.outletId.trim() : null,
  };
  // Stock of existing goods changes by 增减库存 (a delta, safe against redemptions in flight), not by overwriting it.
  if (!editing) body.stock = v.stock;
  return body;
}

function shelf(g: Goods) {
  if (g.active) return <Tag color="green">在售</Tag>;
  if (g.activeFrom && new Date(g.activeFrom) > new Date()) return <Tag color="blue">{shanghaiTime(g.activeFrom)} 上架</Tag>;
  return <Tag>已下架</Tag>;
}

export default function GoodsPage() {
  const list = useCursorPages(
    (cursor) => api<{ items: Goods[]; nextCursor: string | null }>('/admin/mall/goods', { query: { cursor, limit: 20 } }),
    [],
  );
  const [editing, setEditing] = useState<Goods | 'new' | null>(null);
  const [stocking, setStocking] = useState<Goods | null>(null);

  const act = useAction(list.reload);
  const edited = editing && editing !== 'new' ? editing : null;

  return (
    <ListCard<Goods>
      title="积分商城 · 商品"
      list={list}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          新增商品
        </Button>
      }
      columns={[
        {
          title: '商品',
          key: 'name',
          render: (_, g) => (
            <div>
              <Typography.Text strong>{g.name}</Typography.Text>
              {g.description && (
                <div>
                  <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 360 }}>
                    {g.description}
                  </Typography.Text>
                </div>
              )}
            </div>
          ),
        },
        { title: '积分', dataIndex: 'price', width: 90, align: 'right' },
        {
          title: '库存',
          dataIndex: 'stock',
          width: 90,
          align: 'right',
          render: (n: number) => (n === 0 ? <Typography.Text type="danger">0</Typography.Text> : n),
        },
        { title: '每人限兑', dataIndex: 'perUserLimit', width: 90, align: 'right', render: (n: number | null) => n ?? '不限' },
        {
          title: '领取方式',
          key: 'delivery',
          width: 210,
          render: (_, g) => DELIVERY_MODE_LABELS[g.deliveryMode] + (g.outletId ? ` · ${g.outletId}` : ''),
        },
        { title: '状态', key: 'shelf', width: 140, render: (_, g) => shelf(g) },
        actionsColumn(260, (g) => (
          <Space size={4}>
            <Button size="small" onClick={() => setEditing(g)}>
              编辑
            </Button>
            <Button size="small" onClick={() => setStocking(g)}>
              增减库存
            </Button>
            {g.active ? (
              <Popconfirm
                title={`下架「${g.name}」？`}
                description="下架后用户不能再兑换，已兑换的不受影响。"
                okText="下架"
                cancelText="取消"
                onConfirm={() =>
                  act(
                    () =>
                      api(`/admin/mall/goods/${g.id}`, {
                        method: 'PATCH',
                        body: { activeFrom: null, activeUntil: new Date().toISOString() },
                      }),
                    '已下架',
                  )
                }
              >
                <Button size="small">下架</Button>
              </Popconfirm>
            ) : (
              <Button
                size="small"
                type="primary"
                ghost
                onClick={() =>
                  act(() => api(`/admin/mall/goods/${g.id}`, { method: 'PATCH', body: { activeFrom: null, activeUntil: null } }), '已上架')
                }
              >
                上架
              </Button>
            )}
            <Popconfirm
              title={`删除「${g.name}」？`}
              description="删除后不再出现在商品列表中。"
              okText="删除"
              okButtonProps={{ danger: true }}
              cancelText="取消"
              onConfirm={() => act(() => api(`/admin/mall/goods/${g.id}`, { method: 'DELETE' }), '已删除')}
            >
              <Button size="small" danger type="text">
                删除
              </Button>
            </Popconfirm>
          </Space>
        )),
      ]}
    >
      {editing && (
        <FormModal<typeof goodsBodySchema, GoodsValues>
          title={edited ? `编辑商品：${edited.name}` : '新增商品'}
          okText={edited ? '保存' : '新增'}
          schema={edited ? (updateGoodsBodySchema as unknown as typeof goodsBodySchema) : goodsBodySchema}
          fields={GOODS_FIELDS}
          width={560}
          initialValues={edited ?? { deliveryMode: 'pickup', stock: 0 }}
          toBody={(v) => goodsBody(v, Boolean(edited))}
          send={(body: GoodsBody) =>
            edited ? api(`/admin/mall/goods/${edited.id}`, { method: 'PATCH', body }) : api('/admin/mall/goods', { body })
          }
          onClose={() => setEditing(null)}
          success={edited ? '商品已保存' : '商品已新增'}
          onDone={list.reload}
        >
          {(form) => (
            <>
              <Form.Item name="name" label="商品名称">
                <Input placeholder="如 融媒定制帆布袋" maxLength={60} showCount />
              </Form.Item>
              <Form.Item name="description" label="说明">
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
              <Space.Compact block>
                <Form.Item name="price" label="所需积分" style={{ width: '34%' }}>
                  <InputNumber precision={0} min={1} style={{ width: '100%' }} />
                </Form.Item>
                {!edited && (
                  <Form.Item name="stock" label="库存" style={{ width: '33%' }}>
                    <InputNumber precision={0} min={0} style={{ width: '100%' }} />
                  </Form.Item>
                )}
                <Form.Item name="perUserLimit" label="每人限兑（空为不限）" style={{ width: '33%' }}>
                  <InputNumber precision={0} min={1} style={{ width: '100%' }} placeholder="不限" />
                </Form.Item>
              </Space.Compact>
              <Form.Item name="deliveryMode" label="领取方式">
                <Radio.Group options={DELIVERY_MODES.map((m) => ({ value: m, label: DELIVERY_MODE_LABELS[m] }))} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.deliveryMode !== b.deliveryMode}>
                {() =>
                  form.getFieldValue('deliveryMode') === 'pickup' && (
                    <Form.Item name="outletId" label="领取网点编码" extra="到柜台领取的商品，由该网点的工作人员核销">
                      <Input placeholder="如 chengguan-01" />
                    </Form.Item>
                  )
                }
              </Form.Item>
            </>
          )}
        </FormModal>
      )}
      {stocking && (
        <FormModal<typeof stockBodySchema, { delta?: number }>
          title={`增减库存：${stocking.name}（现有 ${stocking.stock}）`}
          okText="确定"
          schema={stockBodySchema}
          fields={['delta']}
          send={(body) => api(`/admin/mall/goods/${stocking.id}/stock`, { body })}
          onClose={() => setStocking(null)}
          success="库存已更新"
          onDone={list.reload}
        >
          <Form.Item name="delta" label="增加（负数为减少）">
            <InputNumber precision={0} style={{ width: '100%' }} placeholder="如 50 或 -5" />
          </Form.Item>
        </FormModal>
      )}
    </ListCard>
  );
}
