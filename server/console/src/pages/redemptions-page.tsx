import {
  DELIVERY_MODE_LABELS,
  DELIVERY_MODES,
  cancelBodySchema,
  type DeliveryMode,
  type Redemption,
  type RedemptionStatus,
} from '@shared/schemas/points';
import { Button, Form, Input, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { FormModal } from '../components/form-modal';
import { actionsColumn, tagColumn, timeColumn } from '../components/columns';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { ListCard } from '../components/paged-table';
import { useAction } from '../hooks/use-action';
import { useCursorPages } from '../hooks/use-cursor-pages';

const STATUS: Record<RedemptionStatus, [string, string]> = {
  pending: ['gold', '待领取/待发货'],
  fulfilled: ['green', '已核销/已发货'],
  cancelled: ['default', '已取消'],
};

export default function RedemptionsPage() {
  const [status, setStatus] = useState<RedemptionStatus | undefined>('pending');
  const [deliveryMode, setDeliveryMode] = useState<DeliveryMode | undefined>();
  const [cancelling, setCancelling] = useState<Redemption | null>(null);
  const list = useCursorPages(
    (cursor) =>
      api<{ items: Redemption[]; nextCursor: string | null }>('/admin/mall/redemptions', {
        query: { status, deliveryMode, cursor, limit: 20 },
      }),
    [status, deliveryMode],
  );
  const act = useAction(list.reload);

  return (
    <ListCard<Redemption>
      title="积分商城 · 兑换记录"
      list={list}
      extra={
        <Space>
          <FilterSelect
            placeholder="全部状态"
            value={status}
            onChange={setStatus}
            options={optionsOf(Object.keys(STATUS) as RedemptionStatus[], (s) => STATUS[s][1])}
          />
          <FilterSelect
            placeholder="全部领取方式"
            value={deliveryMode}
            onChange={setDeliveryMode}
            options={optionsOf(DELIVERY_MODES, (m) => DELIVERY_MODE_LABELS[m])}
          />
        </Space>
      }
      columns={[
        { title: '商品', dataIndex: 'goodsName', width: 200, render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
        { title: '积分', dataIndex: 'price', width: 80, align: 'right' },
        {
          title: '领取方式',
          key: 'delivery',
          width: 170,
          render: (_, r) => DELIVERY_MODE_LABELS[r.deliveryMode] + (r.outletId ? ` · ${r.outletId}` : ''),
        },
        {
          title: '收件信息',
          key: 'shipping',
          render: (_, r) => (r.shipping ? `${r.shipping.name} ${r.shipping.phone} · ${r.shipping.address}` : '—'),
        },
        tagColumn('状态', 'status', STATUS, 130),
        timeColumn('兑换时间', 'createdAt'),
        actionsColumn(
          170,
          (r) =>
            r.status === 'pending' && (
              <Space size={4}>
                {r.deliveryMode === 'ship' && (
                  <Popconfirm
                    title={`「${r.goodsName}」已寄出？`}
                    okText="已发货"
                    cancelText="取消"
                    onConfirm={() => act(() => api(`/admin/mall/redemptions/${r.id}/ship`, { body: {} }), '已标记发货')}
                  >
                    <Button size="small" type="primary">
                      标记已发货
                    </Button>
                  </Popconfirm>
                )}
                <Button size="small" danger type="text" onClick={() => setCancelling(r)}>
                  取消兑换
                </Button>
              </Space>
            ),
        ),
      ]}
    >
      {cancelling && (
        <FormModal<typeof cancelBodySchema, { reason?: string }>
          title={`取消兑换：${cancelling.goodsName}`}
          okText="取消兑换并退回积分"
          danger
          schema={cancelBodySchema}
          fields={['reason']}
          toBody={(v) => (v.reason?.trim() ? { reason: v.reason.trim() } : {})}
          send={(body) => api(`/admin/mall/redemptions/${cancelling.id}/cancel`, { body })}
          onClose={() => setCancelling(null)}
          success={`已取消，${cancelling.price} 积分已退回`}
          onDone={list.reload}
        >
          <Form.Item name="reason" label="原因（用户可见，可不填）">
            <Input.TextArea rows={2} maxLength={200} showCount />
          </Form.Item>
        </FormModal>
      )}
    </ListCard>
  );
}
