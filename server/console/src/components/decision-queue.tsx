import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import type { BatchResult } from '@shared/schemas/paging';
import { App, Button, Card, Drawer, Form, Input, Space, Typography, type TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { api, ApiError } from '../api/client';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import { useTodo } from '../layout/console-layout';
import { FormModal } from './form-modal';
import { PagedTable } from './paged-table';
import { actionsColumn } from './columns';
import { FilterSelect } from './filter-select';

interface Decision {
  value: string;
  label: string;
}

/**
 * A review queue of applications (or promotions): a state filter, the cursor-paged table, a drawer with the
 * details, 通过 / 驳回 per row, and — where the API has a batch endpoint — the same for the ticked rows, each
 * row's outcome listed afterwards. A rejection asks for a reason, checked with the API's own schema.
 */
export function DecisionQueue<T extends { id: string; state: string }>(props: {
  title: string;
  /** The queue's list endpoint (under /api/v1), answering `{ items, nextCursor }`. */
  path: string;
  states: ReadonlyArray<{ value: string; label: string }>;
  columns: TableColumnsType<T>;
  nameOf(item: T): string;
  details(item: T): ReactNode;
  yes: Decision;
  no: Decision;
  /** The single decision: its endpoint and body schema (`{ decision, reason? }`). */
  one: { path(item: T): string; schema: z.ZodType };
  /** The batch endpoint and its body schema (`{ ids, decision, reason? }`), when the API has one. */
  many?: { path: string; schema: z.ZodType };
}) {
  const { message, modal } = App.useApp();
  const todo = useTodo();
  const [state, setState] = useState(props.states[0]!.value);
  const [selected, setSelected] = useState<string[]>([]);
  const [open, setOpen] = useState<T | null>(null);
  const [rejecting, setRejecting] = useState<T[] | null>(null);
  const [busy, setBusy] = useState(false);
  const list = useCursorPages((cursor) => api<CursorPage<T>>(props.path, { query: { state, cursor, limit: 20 } }), [props.path, state]);
  const pending = state === 'pending';

  const refresh = () => {
    setSelected([]);
    setOpen(null);
    list.reload();
    todo.reload();
  };

  /** Sends one decision per row (or one batch request) and reports what happened to each row. */
  const decide = async (rows: T[], decision: Decision, reason?: string) => {
    const body = { decision: decision.value, ...(reason ? { reason } : {}) };
    if (rows.length === 1 || !props.many) {
      for (const row of rows) await api(props.one.path(row), { body });
      message.success(`已${decision.label} ${rows.length} 项`);
      return refresh();
    }
    const { results } = await api<{ results: Array<BatchResult<T>> }>(props.many.path, { body: { ids: rows.map((r) => r.id), ...body } });
    const failed = results.filter((r) => !r.ok);
    const done = results.length - failed.length;
    if (failed.length === 0) message.success(`已${decision.label} ${done} 项`);
    else
      modal.warning({
        title: `已${decision.label} ${done} 项，${failed.length} 项未处理`,
        content: (
          <ul style={{ paddingLeft: 20, margin: 0 }}>
            {failed.map((r) => (
              <li key={r.id}>
                {props.nameOf(rows.find((x) => x.id === r.id)!)}：{r.ok ? '' : r.error.message}
              </li>
            ))}
          </ul>
        ),
      });
    refresh();
  };
  const approve = async (rows: T[]) => {
    setBusy(true);
    try {
      await decide(rows, props.yes);
    } catch (err) {
      modal.error({ title: '操作未完成', content: err instanceof ApiError ? err.message : '网络错误，请重试' });
      list.reload();
    } finally {
      setBusy(false);
    }
  };
  const actions = (item: T) =>
    item.state === 'pending' && (
      <Space size={4}>
        <Button size="small" type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => approve([item])}>
          {props.yes.label}
        </Button>
        <Button size="small" danger icon={<CloseOutlined />} onClick={() => setRejecting([item])}>
          {props.no.label}
        </Button>
      </Space>
    );
  const chosen = list.items.filter((i) => selected.includes(i.id));
  const rejectSchema = rejecting && rejecting.length > 1 && props.many ? props.many.schema : props.one.schema;

  return (
    <Card
      title={props.title}
      extra={
        <FilterSelect
          allowClear={false}
          width={130}
          value={state}
          onChange={(s) => {
            setState(s ?? props.states[0]!.value);
            setSelected([]);
          }}
          options={props.states}
        />
      }
    >
      {props.many && pending && (
        <Space style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{chosen.length ? `已选 ${chosen.length} 项` : '勾选多项可批量处理'}</Typography.Text>
          <Button type="primary" disabled={!chosen.length} loading={busy} onClick={() => approve(chosen)}>
            批量{props.yes.label}
          </Button>
          <Button danger disabled={!chosen.length} onClick={() => setRejecting(chosen)}>
            批量{props.no.label}
          </Button>
        </Space>
      )}
      <PagedTable<T>
        list={list}
        rowSelection={
          props.many && pending
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), columnWidth: 48 }
            : undefined
        }
        columns={[
          ...props.columns,
          actionsColumn<T>(200, (item) => (
            <Space size={4}>
              <Button size="small" type="link" onClick={() => setOpen(item)}>
                详情
              </Button>
              {actions(item)}
            </Space>
          )),
        ]}
      />
      <Drawer
        open={Boolean(open)}
        width={560}
        title={open && props.nameOf(open)}
        onClose={() => setOpen(null)}
        extra={open && actions(open)}
      >
        {open && props.details(open)}
      </Drawer>
      {rejecting && (
        <FormModal<z.ZodType, { reason?: string }>
          title={
            rejecting.length > 1 ? `批量${props.no.label} ${rejecting.length} 项` : `${props.no.label}：${props.nameOf(rejecting[0]!)}`
          }
          okText={props.no.label}
          danger
          schema={rejectSchema}
          fields={['reason', 'ids']}
          toBody={(v) => ({
            ...(rejecting.length > 1 && props.many ? { ids: rejecting.map((r) => r.id) } : {}),
            decision: props.no.value,
            ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
          })}
          send={async (body) => {
            const { reason } = body as { reason?: string };
            await decide(rejecting, props.no, reason);
          }}
          onClose={() => setRejecting(null)}
        >
          <Form.Item name="reason" label="理由（申请人可见）">
            <Input.TextArea rows={3} maxLength={200} showCount />
          </Form.Item>
        </FormModal>
      )}
    </Card>
  );
}
