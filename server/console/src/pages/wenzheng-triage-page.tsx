import { PhoneOutlined } from '@ant-design/icons';
import {
  CASE_SOURCE_LABELS,
  CASE_SOURCES,
  CASE_STATE_LABELS,
  CASE_TYPE_LABELS,
  CASE_TYPES,
  WENZHENG_CATEGORIES,
  forwardBodySchema,
  intakeCaseBodySchema,
  reasonBodySchema,
  type CaseState,
  type CaseView,
} from '@shared/schemas/wenzheng';
import { App, Button, Drawer, Form, Input, Radio, Select, Space, Switch, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { CaseDetails, caseColumns, CASE_STATE_COLORS } from '../components/case-details';
import { FormModal } from '../components/form-modal';
import { actionsColumn, timeColumn } from '../components/columns';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { ListCard } from '../components/paged-table';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { useDepartments } from '../hooks/use-departments';
import { useTodo } from '../layout/console-layout';

const TIER_LABELS = { direct: '直接交办部门', grid: '交网格三长协调', propaganda: '上报宣传部' } as const;
const FORWARD_FIELDS = ['tier', 'type', 'department', 'coDepartments', 'gridId', 'publish', 'note'] as const;
const INTAKE_FIELDS = [
  'source',
  'sourceRef',
  'contactName',
  'contactPhone',
  'category',
  'title',
  'text',
  'visibility',
  'anonymous',
] as const;
const INTAKE_SOURCES = CASE_SOURCES.filter((s) => s !== 'miniprogram');
const STATE_FILTERS: CaseState[] = ['pending', 'reported', 'assigned', 'handover', 'accepted', 'answered', 'closed', 'rejected', 'merged'];

const VISIBILITIES = [
  { value: 'public', label: '可公开' },
  { value: 'private', label: '仅工作人员可见' },
];

type Values = Record<string, unknown>;
/** Form values as an API body: empty strings and empty pickers are left out, so optional fields stay optional. */
function compact(v: Values): Values {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== ''));
}

export default function WenzhengTriagePage() {
  const { message } = App.useApp();
  const todo = useTodo();
  const depts = useDepartments();
  const [state, setState] = useState<CaseState>('pending');
  const [open, setOpen] = useState<CaseView | null>(null);
  const [forwarding, setForwarding] = useState<CaseView | null>(null);
  const [rejecting, setRejecting] = useState<CaseView | null>(null);
  const [intake, setIntake] = useState(false);
  const list = useCursorPages(
    (cursor) => api<{ items: CaseView[]; nextCursor: string | null }>('/wenzheng/triage', { query: { state, cursor, limit: 20 } }),
    [state],
  );
  const done = (text: string) => {
    setForwarding(null);
    setRejecting(null);
    setOpen(null);
    message.success(text);
    list.reload();
    todo.reload();
  };
  const actions = (c: CaseView) =>
    c.state === 'pending' && (
      <Space size={4}>
        <Button size="small" type="primary" onClick={() => setForwarding(c)}>
          转交办理
        </Button>
        <Button size="small" danger onClick={() => setRejecting(c)}>
          不予受理
        </Button>
      </Space>
    );

  return (
    <ListCard<CaseView>
      title="问政审核"
      list={list}
      onRow={(c) => ({ onDoubleClick: () => setOpen(c) })}
      extra={
        <Space>
          <FilterSelect
            allowClear={false}
            value={state}
            onChange={(s) => setState(s ?? 'pending')}
            options={optionsOf(STATE_FILTERS, (s) => CASE_STATE_LABELS[s])}
          />
          <Button type="primary" icon={<PhoneOutlined />} onClick={() => setIntake(true)}>
            录入来件
          </Button>
        </Space>
      }
      columns={[
        ...caseColumns(setOpen),
        { title: '来源', dataIndex: 'source', width: 120, render: (s: CaseView['source']) => CASE_SOURCE_LABELS[s] },
        { title: '提问人', key: 'poster', width: 130, render: (_, c) => c.contact?.name ?? c.poster.name },
        {
          title: '状态',
          dataIndex: 'state',
          width: 110,
          render: (s: CaseState) => <Tag color={CASE_STATE_COLORS[s]}>{CASE_STATE_LABELS[s]}</Tag>,
        },
        timeColumn('提交时间', 'createdAt'),
        actionsColumn(190, actions),
      ]}
    >
      <Drawer open={Boolean(open)} width={640} title={open?.title} onClose={() => setOpen(null)} extra={open && actions(open)}>
        {open && <CaseDetails c={open} />}
      </Drawer>
      {forwarding && (
        <FormModal<typeof forwardBodySchema, Values>
          title={`转交办理：${forwarding.title}`}
          okText="转交"
          width={600}
          schema={forwardBodySchema}
          fields={FORWARD_FIELDS}
          initialValues={{ tier: 'direct', type: 'complaint', coDepartments: [], publish: forwarding.visibility === 'public' }}
          toBody={(v) => compact(v)}
          send={(body) => api(`/wenzheng/cases/${forwarding.id}/forward`, { body })}
          codeToField={{ WENZHENG_DEPARTMENT_NOT_FOUND: 'department', WENZHENG_GRID_REQUIRED: 'gridId' }}
          onClose={() => setForwarding(null)}
          onDone={() => done('已转交办理')}
        >
          {(form) => (
            <>
              <Form.Item name="tier" label="办理方式">
                <Radio.Group optionType="button" options={Object.entries(TIER_LABELS).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
              <Form.Item name="type" label="事项类型（决定办理时限）">
                <Radio.Group options={CASE_TYPES.map((t) => ({ value: t, label: CASE_TYPE_LABELS[t] }))} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.tier !== b.tier}>
                {() => (
                  <>
                    {form.getFieldValue('tier') !== 'propaganda' && (
                      <Form.Item name="department" label="承办部门" extra="不选则按类别的默认部门">
                        <Select allowClear showSearch optionFilterProp="label" placeholder="按类别默认部门" options={depts.options} />
                      </Form.Item>
                    )}
                    {form.getFieldValue('tier') === 'grid' && (
                      <Form.Item name="gridId" label="网格编号">
                        <Input placeholder="网格三长所在网格" />
                      </Form.Item>
                    )}
                  </>
                )}
              </Form.Item>
              <Form.Item name="coDepartments" label="协办部门（可选，最多 5 个）">
                <Select mode="multiple" allowClear optionFilterProp="label" options={depts.options} />
              </Form.Item>
              <Form.Item name="publish" label="在公开榜单展示" valuePropName="checked">
                <Switch disabled={forwarding.visibility === 'private'} />
              </Form.Item>
              <Form.Item name="note" label="交办说明（可选）">
                <Input.TextArea rows={2} maxLength={200} showCount />
              </Form.Item>
            </>
          )}
        </FormModal>
      )}
      {rejecting && (
        <FormModal<typeof reasonBodySchema, Values>
          title={`不予受理：${rejecting.title}`}
          okText="不予受理"
          danger
          schema={reasonBodySchema}
          fields={['reason']}
          // An empty box is an empty reason: the schema then says 理由不能为空, not that a string was expected.
          toBody={(v) => ({ reason: v.reason ?? '' })}
          send={(body) => api(`/wenzheng/cases/${rejecting.id}/reject`, { body })}
          onClose={() => setRejecting(null)}
          onDone={() => done('已不予受理')}
        >
          <Form.Item name="reason" label="理由（提问人可见）">
            <Input.TextArea rows={3} maxLength={500} showCount placeholder="如 不属于本县职责范围，请向市级部门反映" />
          </Form.Item>
        </FormModal>
      )}
      {intake && (
        <FormModal<typeof intakeCaseBodySchema, Values>
          title="录入其他渠道来件"
          okText="录入"
          width={640}
          schema={intakeCaseBodySchema}
          fields={INTAKE_FIELDS}
          initialValues={{ source: 'hotline', visibility: 'public', anonymous: false }}
          toBody={(v) => compact(v)}
          send={(body) => api('/wenzheng/intake', { body })}
          onClose={() => setIntake(false)}
          onDone={() => {
            setIntake(false);
            setState('pending');
            done('来件已录入，进入待审核');
          }}
        >
          <Space.Compact block>
            <Form.Item name="source" label="来源渠道" style={{ width: '50%' }}>
              <Select options={INTAKE_SOURCES.map((s) => ({ value: s, label: CASE_SOURCE_LABELS[s] }))} />
            </Form.Item>
            <Form.Item name="sourceRef" label="来源编号（可选）" style={{ width: '50%' }}>
              <Input placeholder="如 12345 工单号" />
            </Form.Item>
          </Space.Compact>
          <Space.Compact block>
            <Form.Item name="contactName" label="联系人（可选）" style={{ width: '50%' }}>
              <Input maxLength={20} />
            </Form.Item>
            <Form.Item name="contactPhone" label="联系电话（可选）" style={{ width: '50%' }}>
              <Input />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="category" label="类别">
            <Select placeholder="选择类别" options={WENZHENG_CATEGORIES.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
          <Form.Item name="title" label="标题">
            <Input maxLength={40} showCount />
          </Form.Item>
          <Form.Item name="text" label="内容">
            <Input.TextArea rows={5} maxLength={2000} showCount />
          </Form.Item>
          <Space size="large">
            <Form.Item name="visibility" label="公开">
              <Radio.Group options={VISIBILITIES} />
            </Form.Item>
            <Form.Item name="anonymous" label="匿名展示" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </FormModal>
      )}
    </ListCard>
  );
}
