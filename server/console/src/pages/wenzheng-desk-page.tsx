import {
  CASE_STATE_LABELS,
  answerBodySchema,
  assignBodySchema,
  declineBodySchema,
  extensionBodySchema,
  type CaseState,
  type CaseView,
  type CoPartView,
} from '@shared/schemas/wenzheng';
import { App, Button, Drawer, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { CaseDetails, caseColumns, CASE_STATE_COLORS } from '../components/case-details';
import { actionsColumn, timeColumn } from '../components/columns';
import { FilterSelect, optionsOf } from '../components/filter-select';
import { shanghaiTime } from '../components/format';
import { FormModal } from '../components/form-modal';
import { ListCard } from '../components/paged-table';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { useDepartments } from '../hooks/use-departments';
import { useResource } from '../hooks/use-resource';
import { useTodo } from '../layout/console-layout';

/** The states a department works in (reported: 宣传部's internal reports); none picked is every case still public. */
const STATES: CaseState[] = ['reported', 'assigned', 'accepted', 'handover', 'answered', 'closed'];
const OVERDUE = { true: '已超期', false: '未超期' } as const;
type Overdue = keyof typeof OVERDUE;

/** What the desk can do to a case: as its lead department (主办) or as one of its co-departments (协办, its own part). */
type Dialog =
  | { kind: 'answer'; c: CaseView; part?: CoPartView }
  | { kind: 'decline'; c: CaseView; part?: CoPartView }
  | { kind: 'extension'; c: CaseView }
  | { kind: 'assign'; c: CaseView };

/** The department codes the signed-in person works for (department_staff scopes). */
function useMyDepartments(): { codes: string[]; admin: boolean } {
  const { user } = useSession();
  const roles = user?.roles ?? [];
  return {
    codes: roles.flatMap((g) => (g.role === 'department_staff' && g.scope?.type === 'department' ? [g.scope.id] : [])),
    admin: roles.some((g) => g.role === 'admin'),
  };
}

/** The viewer's share of a case: lead (主办) when it is their department's, or their department's co-part. */
function shareOf(c: CaseView, mine: { codes: string[]; admin: boolean }): { lead: boolean; part: CoPartView | undefined } {
  const lead = Boolean(c.department && (mine.admin || mine.codes.includes(c.department.code)));
  return { lead, part: c.coParts.find((p) => mine.codes.includes(p.department.code)) };
}

/** The deadline that matters now (the lead's clock, else the part's): accepting while assigned, answering once accepted. */
function dueOf(c: CaseView, share: ReturnType<typeof shareOf>): { at: string | null; overdue: boolean } {
  const src = share.lead ? c : (share.part ?? c);
  return { at: src.state === 'assigned' ? src.acceptDueAt : src.answerDueAt, overdue: src.overdue };
}

/**
 * 部门办理: a department's 问政 cases (its own as lead, and its parts as co-department), filtered by state and by
 * overdue, a page at a time. A case opens in a drawer with its timeline and what the department may do next:
 * 受理, 答复, 申请延期, or 非本部门职责 naming who should take it; 宣传部 交办 its internal reports — the phone's
 * queue, at a desk.
 */
export default function WenzhengDeskPage() {
  const { message, modal } = App.useApp();
  const todo = useTodo();
  const depts = useDepartments();
  const mine = useMyDepartments();
  const [state, setState] = useState<CaseState | undefined>();
  const [overdue, setOverdue] = useState<Overdue | undefined>();
  const [department, setDepartment] = useState<string | undefined>();
  const [open, setOpen] = useState<CaseView | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const list = useCursorPages(
    (cursor) =>
      api<{ items: CaseView[]; nextCursor: string | null }>('/wenzheng/queue', {
        query: { state, overdue, department, cursor, limit: 20 },
      }),
    [state, overdue, department],
  );
  const changed = (c: CaseView, text: string) => {
    setDialog(null);
    setOpen((o) => (o ? c : o));
    message.success(text);
    list.reload();
    todo.reload();
  };
  const accept = async (c: CaseView, part?: CoPartView) => {
    try {
      const res = await api<{ case: CaseView }>(
        part ? `/wenzheng/cases/${c.id}/parts/${part.department.code}/accept` : `/wenzheng/cases/${c.id}/accept`,
        { body: {} },
      );
      changed(res.case, part ? '已受理协办' : '已受理');
    } catch (err) {
      modal.error({ title: '受理未完成', content: err instanceof ApiError ? err.message : '网络错误，请重试' });
    }
  };

  /** The buttons for what the viewer may do now; none when the case is not theirs to move. */
  const actions = (c: CaseView) => {
    // A lead department is never its own co-department: `ownPart` is another of the viewer's departments.
    const { lead, part: ownPart } = shareOf(c, mine);
    const buttons = [];
    if (propaganda && c.state === 'reported')
      buttons.push(
        <Button key="assign" size="small" type="primary" onClick={() => setDialog({ kind: 'assign', c })}>
          交办
        </Button>,
      );
    if (lead && c.state === 'assigned')
      buttons.push(
        <Button key="accept" size="small" type="primary" onClick={() => void accept(c)}>
          受理
        </Button>,
      );
    if (lead && c.state === 'accepted') {
      buttons.push(
        <Button key="answer" size="small" type="primary" onClick={() => setDialog({ kind: 'answer', c })}>
          答复
        </Button>,
      );
      if (c.extension?.status !== 'pending')
        buttons.push(
          <Button key="ext" size="small" onClick={() => setDialog({ kind: 'extension', c })}>
            申请延期
          </Button>,
        );
    }
    if (lead && (c.state === 'assigned' || c.state === 'accepted'))
      buttons.push(
        <Button key="decline" size="small" danger onClick={() => setDialog({ kind: 'decline', c })}>
          非本部门
        </Button>,
      );
    if (ownPart?.state === 'assigned')
      buttons.push(
        <Button key="paccept" size="small" type="primary" onClick={() => void accept(c, ownPart)}>
          受理协办
        </Button>,
      );
    if (ownPart?.state === 'accepted')
      buttons.push(
        <Button key="panswer" size="small" type="primary" onClick={() => setDialog({ kind: 'answer', c, part: ownPart })}>
          协办答复
        </Button>,
      );
    if (ownPart && (ownPart.state === 'assigned' || ownPart.state === 'accepted'))
      buttons.push(
        <Button key="pdecline" size="small" danger onClick={() => setDialog({ kind: 'decline', c, part: ownPart })}>
          协办非本部门
        </Button>,
      );
    return buttons.length ? (
      <Space size={4} wrap>
        {buttons}
      </Space>
    ) : null;
  };
  const partPath = (d: { c: CaseView; part?: CoPartView }, verb: string) =>
    d.part ? `/wenzheng/cases/${d.c.id}/parts/${d.part.department.code}/${verb}` : `/wenzheng/cases/${d.c.id}/${verb}`;
  // 宣传部 assigns the internal reports it receives (the phone's AssignForm).
  const propaganda = mine.admin || depts.departments.some((d) => d.propaganda && mine.codes.includes(d.code));
  const pickable = mine.admin ? depts.options : depts.options.filter((o) => mine.codes.includes(o.value));

  return (
    <ListCard<CaseView>
      title="部门办理"
      list={list}
      onRow={(c) => ({ onDoubleClick: () => setOpen(c) })}
      extra={
        <Space wrap>
          {(mine.admin || mine.codes.length > 1) && (
            <FilterSelect
              placeholder={mine.admin ? '选择部门' : '全部本部门'}
              width={180}
              value={department}
              onChange={setDepartment}
              options={pickable}
            />
          )}
          <FilterSelect placeholder="全部状态" value={state} onChange={setState} options={optionsOf(STATES, (s) => CASE_STATE_LABELS[s])} />
          <FilterSelect
            placeholder="是否超期"
            width={120}
            value={overdue}
            onChange={setOverdue}
            options={optionsOf(['true', 'false'] as Overdue[], (o) => OVERDUE[o])}
          />
        </Space>
      }
      columns={[
        ...caseColumns(setOpen),
        {
          title: '本部门',
          key: 'share',
          width: 90,
          render: (_, c) => (shareOf(c, mine).lead ? <Tag color="blue">主办</Tag> : <Tag>协办</Tag>),
        },
        {
          title: '状态',
          dataIndex: 'state',
          width: 100,
          render: (s: CaseState) => <Tag color={CASE_STATE_COLORS[s]}>{CASE_STATE_LABELS[s]}</Tag>,
        },
        {
          title: '期限',
          key: 'due',
          width: 170,
          render: (_, c) => {
            const due = dueOf(c, shareOf(c, mine));
            return due.at ? (
              <Space size={4}>
                <Typography.Text type={due.overdue ? 'danger' : undefined}>{shanghaiTime(due.at)}</Typography.Text>
                {due.overdue && <Tag color="red">超期</Tag>}
              </Space>
            ) : (
              '—'
            );
          },
        },
        timeColumn('提交时间', 'createdAt'),
        actionsColumn(250, actions),
      ]}
    >
      <Drawer open={Boolean(open)} width={680} title={open?.title} onClose={() => setOpen(null)} extra={open && actions(open)}>
        {open && <CaseDetails c={open} />}
      </Drawer>
      {dialog?.kind === 'answer' && (
        <FormModal<typeof answerBodySchema, { text?: string }, { case: CaseView }>
          title={`${dialog.part ? '协办答复' : '答复'}：${dialog.c.title}`}
          okText="提交答复"
          width={640}
          schema={answerBodySchema}
          fields={['text']}
          toBody={(v) => ({ text: v.text ?? '' })}
          send={(body) => api(partPath(dialog, 'answer'), { body })}
          onClose={() => setDialog(null)}
          onDone={(res) => changed(res.case, '已答复')}
        >
          <Form.Item name="text" label="答复内容（提问人可见）">
            <Input.TextArea rows={6} maxLength={2000} showCount placeholder="说明办理结果与依据" />
          </Form.Item>
        </FormModal>
      )}
      {dialog?.kind === 'extension' && (
        <FormModal<typeof extensionBodySchema, { days?: number; reason?: string }, { case: CaseView }>
          title={`申请延期：${dialog.c.title}`}
          okText="提交申请"
          schema={extensionBodySchema}
          fields={['days', 'reason']}
          initialValues={{ days: 5 }}
          toBody={(v) => ({ days: v.days, reason: v.reason ?? '' })}
          send={(body) => api(`/wenzheng/cases/${dialog.c.id}/extension`, { body })}
          onClose={() => setDialog(null)}
          onDone={(res) => changed(res.case, '已申请延期，等待编辑审核')}
        >
          <Form.Item name="days" label="延长（工作日）">
            <InputNumber min={1} max={30} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="reason" label="理由">
            <Input.TextArea rows={3} maxLength={200} showCount />
          </Form.Item>
        </FormModal>
      )}
      {dialog?.kind === 'assign' && <AssignModal c={dialog.c} onClose={() => setDialog(null)} onDone={(c) => changed(c, '已交办')} />}
      {dialog?.kind === 'decline' && (
        <FormModal<typeof declineBodySchema, { suggestedDepartment?: string; reason?: string }, { case: CaseView }>
          title={`非本部门职责：${dialog.c.title}`}
          okText="申请转办"
          danger
          schema={declineBodySchema}
          fields={['suggestedDepartment', 'reason']}
          toBody={(v) => ({ suggestedDepartment: v.suggestedDepartment, reason: v.reason ?? '' })}
          send={(body) => api(partPath(dialog, 'decline'), { body })}
          codeToField={{ WENZHENG_DEPARTMENT_NOT_FOUND: 'suggestedDepartment' }}
          onClose={() => setDialog(null)}
          onDone={(res) => changed(res.case, '已申请转办，等待编辑确认')}
        >
          <Form.Item name="suggestedDepartment" label="应由哪个部门办理">
            <Select
              showSearch
              optionFilterProp="label"
              placeholder="选择部门"
              options={depts.options.filter((o) => o.value !== (dialog.part?.department.code ?? dialog.c.department?.code))}
            />
          </Form.Item>
          <Form.Item name="reason" label="理由（编辑可见）">
            <Input.TextArea rows={3} maxLength={200} showCount />
          </Form.Item>
        </FormModal>
      )}
    </ListCard>
  );
}

interface AssignValues {
  department?: string;
  coDepartments?: string[];
  copyLeaders?: string[];
  note?: string;
}

/** 宣传部: an internal report assigned to a lead department and co-departments, county leaders copied. */
function AssignModal({ c, onClose, onDone }: { c: CaseView; onClose(): void; onDone(c: CaseView): void }) {
  const depts = useDepartments();
  const leaders = useResource(() => api<{ leaders: Array<{ id: string; name: string }> }>('/wenzheng/leaders'), []);
  return (
    <FormModal<typeof assignBodySchema, AssignValues, { case: CaseView }>
      title={`交办：${c.title}`}
      okText="交办"
      width={600}
      schema={assignBodySchema}
      fields={['department', 'coDepartments', 'copyLeaders', 'note']}
      initialValues={{ coDepartments: c.suggestedCoDepartments.map((d) => d.code), copyLeaders: [] }}
      toBody={(v) => ({
        department: v.department ?? '',
        coDepartments: (v.coDepartments ?? []).filter((d) => d !== v.department),
        copyLeaders: v.copyLeaders ?? [],
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      })}
      send={(body) => api(`/wenzheng/cases/${c.id}/assign`, { body })}
      codeToField={{ WENZHENG_DEPARTMENT_NOT_FOUND: 'department' }}
      onClose={onClose}
      onDone={(res) => onDone(res.case)}
    >
      <Form.Item name="department" label="主办部门">
        <Select showSearch optionFilterProp="label" placeholder="选择部门" options={depts.options} />
      </Form.Item>
      <Form.Item name="coDepartments" label="协办部门（可选，最多 5 个）">
        <Select mode="multiple" allowClear optionFilterProp="label" options={depts.options} />
      </Form.Item>
      <Form.Item name="copyLeaders" label="抄送县领导（可选）">
        <Select
          mode="multiple"
          allowClear
          optionFilterProp="label"
          loading={leaders.loading}
          options={(leaders.data?.leaders ?? []).map((l) => ({ value: l.id, label: l.name }))}
        />
      </Form.Item>
      <Form.Item name="note" label="交办说明（可选）">
        <Input.TextArea rows={2} maxLength={200} showCount />
      </Form.Item>
    </FormModal>
  );
}
