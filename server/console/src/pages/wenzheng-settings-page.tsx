import { PlusOutlined } from '@ant-design/icons';
import {
  WENZHENG_CATEGORIES,
  departmentBodySchema,
  departmentParamsSchema,
  holidayBodySchema,
  holidayParamsSchema,
  settingsPatchSchema,
  type DepartmentView,
  type HolidayView,
  type WenzhengSettings,
} from '@shared/schemas/wenzheng';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Divider,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { z } from 'zod';
import { api } from '../api/client';
import { FormModal } from '../components/form-modal';
import { SettingsForm } from '../components/settings-form';
import { useDepartments } from '../hooks/use-departments';
import { useResource } from '../hooks/use-resource';

const DEADLINES = [
  ['accept', '受理时限'],
  ['consultation', '咨询类答复'],
  ['complaint', '投诉类答复'],
  ['complex', '复杂事项答复'],
] as const;
const SETTINGS_FIELDS = [
  ...DEADLINES.map(([k]) => `deadlines.${k}`),
  'remindBeforeHours',
  'nearbyMeters',
  ...WENZHENG_CATEGORIES.map((c) => `categoryDepartments.${c}`),
];

function ClockSettings() {
  const depts = useDepartments();
  const settings = useResource(() => api<{ settings: WenzhengSettings }>('/wenzheng/settings').then((r) => r.settings), []);
  return (
    <SettingsForm<typeof settingsPatchSchema, WenzhengSettings>
      settings={settings}
      schema={settingsPatchSchema}
      fields={SETTINGS_FIELDS}
      // A category without a picked department has none (the editor must pick one when forwarding).
      toBody={(v) => ({
        ...v,
        categoryDepartments: Object.fromEntries(Object.entries(v.categoryDepartments ?? {}).filter(([, code]) => code)),
      })}
      send={(body) => api('/wenzheng/settings', { method: 'PATCH', body })}
      success="问政设置已保存"
    >
      <Divider titlePlacement="start" plain>
        办理时限（工作日，节假日不计）
      </Divider>
      <Row gutter={16}>
        {DEADLINES.map(([key, label]) => (
          <Col span={6} key={key}>
            <Form.Item name={['deadlines', key]} label={label}>
              <InputNumber precision={0} min={1} style={{ width: '100%' }} addonAfter="工作日" />
            </Form.Item>
          </Col>
        ))}
        <Col span={6}>
          <Form.Item name="remindBeforeHours" label="到期前提醒">
            <InputNumber precision={0} min={1} style={{ width: '100%' }} addonAfter="小时" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="nearbyMeters" label="合并重复问题的距离">
            <InputNumber precision={0} min={10} style={{ width: '100%' }} addonAfter="米" />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" plain>
        类别的默认承办部门
      </Divider>
      <Row gutter={16}>
        {WENZHENG_CATEGORIES.map((c) => (
          <Col span={6} key={c}>
            <Form.Item name={['categoryDepartments', c]} label={c}>
              <Select allowClear showSearch optionFilterProp="label" placeholder="未设置" options={depts.options} />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </SettingsForm>
  );
}

const HOLIDAY_KINDS = [
  { value: 'holiday', label: '放假（工作日休息）' },
  { value: 'workday', label: '调休上班（周末上班）' },
];

const holidayFormSchema = z.object({ date: holidayParamsSchema.shape.date }).and(holidayBodySchema);

function Holidays() {
  const { message } = App.useApp();
  const [year, setYear] = useState(dayjs().year());
  const list = useResource(() => api<{ holidays: HolidayView[] }>('/wenzheng/holidays', { query: { year } }), [year]);
  const [adding, setAdding] = useState(false);
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select
          value={year}
          onChange={setYear}
          style={{ width: 120 }}
          options={[-1, 0, 1].map((d) => ({ value: dayjs().year() + d, label: `${dayjs().year() + d} 年` }))}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          添加日期
        </Button>
      </Space>
      <Table<HolidayView>
        rowKey="date"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.holidays ?? []}
        pagination={false}
        locale={{ emptyText: '这一年还没有设置节假日或调休上班日' }}
        style={{ maxWidth: 860 }}
        columns={[
          { title: '日期', dataIndex: 'date', width: 160, render: (d: string) => `${d}（${'日一二三四五六'[dayjs(d).day()]}）` },
          {
            title: '类型',
            dataIndex: 'kind',
            width: 140,
            render: (k: HolidayView['kind']) => (k === 'holiday' ? <Tag color="red">放假</Tag> : <Tag color="blue">调休上班</Tag>),
          },
          { title: '名称', dataIndex: 'name' },
          {
            title: '操作',
            key: 'del',
            width: 100,
            render: (_, h) => (
              <Popconfirm
                title={`删除 ${h.date} 的设置？`}
                okText="删除"
                cancelText="取消"
                onConfirm={async () => {
                  await api(`/wenzheng/holidays/${h.date}`, { method: 'DELETE' });
                  message.success('已删除');
                  list.reload();
                }}
              >
                <Button size="small" danger type="text">
                  删除
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {adding && (
        <FormModal<typeof holidayFormSchema, { date?: Dayjs; kind?: string; name?: string }>
          title="添加节假日或调休上班日"
          okText="添加"
          schema={holidayFormSchema}
          fields={['date', 'kind', 'name']}
          initialValues={{ kind: 'holiday' }}
          toBody={(v) => ({ date: v.date?.format('YYYY-MM-DD') ?? '', kind: v.kind, name: v.name })}
          send={({ date, ...body }) => api(`/wenzheng/holidays/${date}`, { method: 'PUT', body })}
          onClose={() => setAdding(false)}
          success="已添加"
          onDone={list.reload}
        >
          <Form.Item name="date" label="日期">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="kind" label="类型">
            <Radio.Group options={HOLIDAY_KINDS} />
          </Form.Item>
          <Form.Item name="name" label="名称">
            <Input placeholder="如 元旦" maxLength={20} />
          </Form.Item>
        </FormModal>
      )}
    </>
  );
}

const departmentFormSchema = departmentParamsSchema.and(departmentBodySchema);

function Departments() {
  const depts = useDepartments();
  const [editing, setEditing] = useState<DepartmentView | 'new' | null>(null);
  const edited = editing && editing !== 'new' ? editing : null;
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginBottom: 16 }}>
        新增部门
      </Button>
      <Table<DepartmentView>
        rowKey="code"
        size="middle"
        loading={depts.loading}
        dataSource={depts.departments}
        pagination={false}
        columns={[
          { title: '编码', dataIndex: 'code', width: 160, render: (c: string) => <code>{c}</code> },
          { title: '名称', dataIndex: 'name' },
          { title: '宣传部', dataIndex: 'propaganda', width: 100, render: (p: boolean) => (p ? <Tag color="volcano">宣传部</Tag> : '—') },
          { title: '督办负责人', dataIndex: 'headUserIds', width: 140, render: (ids?: string[]) => `${ids?.length ?? 0} 人` },
          {
            title: '操作',
            key: 'edit',
            width: 100,
            render: (_, d) => (
              <Button size="small" onClick={() => setEditing(d)}>
                编辑
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <FormModal<typeof departmentFormSchema, { code?: string; name?: string; propaganda?: boolean; headUserIds?: string }>
          title={edited ? `编辑部门：${edited.name}` : '新增部门'}
          okText="保存"
          schema={departmentFormSchema}
          fields={['code', 'name', 'propaganda', 'headUserIds']}
          initialValues={edited ? { ...edited, headUserIds: (edited.headUserIds ?? []).join('\n') } : { propaganda: false }}
          toBody={(v) => ({
            code: v.code?.trim() ?? '',
            name: v.name,
            propaganda: v.propaganda ?? false,
            headUserIds: (v.headUserIds ?? '').split(/[\s,，]+/).filter(Boolean),
          })}
          send={({ code, ...body }) => api(`/wenzheng/departments/${code}`, { method: 'PUT', body })}
          onClose={() => setEditing(null)}
          success="部门已保存"
          onDone={depts.reload}
        >
          <Form.Item name="code" label="部门编码" extra="小写字母、数字和短横线，如 zjj；部门工作人员的角色范围用它">
            <Input disabled={Boolean(edited)} />
          </Form.Item>
          <Form.Item name="name" label="部门名称">
            <Input maxLength={30} placeholder="如 住建局" />
          </Form.Item>
          <Form.Item name="headUserIds" label="超期督办负责人（用户 ID，每行一个）">
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="propaganda" label="是宣传部（接收内部上报与督办）" valuePropName="checked">
            <Switch />
          </Form.Item>
        </FormModal>
      )}
    </>
  );
}

export default function WenzhengSettingsPage() {
  return (
    <Card title="问政设置">
      <Tabs
        items={[
          { key: 'clock', label: '时限与类别', children: <ClockSettings /> },
          { key: 'holidays', label: '节假日', children: <Holidays /> },
          { key: 'departments', label: '部门名录', children: <Departments /> },
        ]}
      />
    </Card>
  );
}
