import { ROLE_DEFS, roleGrantProblem, type Role, type RoleGrant, type ScopeType } from '@shared/roles';
import { resetPasswordBodySchema } from '@shared/schemas/auth';
import { adjustBodySchema, type LedgerResponse, type PointsEntry } from '@shared/schemas/points';
import { createStaffBodySchema, type MeResponse, type UserView } from '@shared/schemas/users';
import { Alert, App, Button, Drawer, Form, Input, InputNumber, Space, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../api/client';
import { apiErrorToForm, checkWith } from '../components/api-form';
import { timeColumn } from '../components/columns';
import { FormModal } from '../components/form-modal';
import { PagedTable } from '../components/paged-table';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { GrantFields, type GrantValues } from './users-grant';

// The admin's account work on 用户与角色: console accounts created and their passwords reset, points adjusted by hand.

interface StaffValues extends GrantValues {
  username?: string;
  password?: string;
  nickname?: string;
}
const STAFF_FIELDS = ['username', 'password', 'nickname', 'role', 'scope.type', 'scope.id'] as const;

/** The grant the role fields describe, if a role was picked (the scope only when some of it was filled in). */
export function grantOf(v: GrantValues): Partial<RoleGrant> | null {
  if (!v.role) return null;
  return v.scope?.type || v.scope?.id
    ? { role: v.role, scope: { type: v.scope?.type as ScopeType, id: v.scope?.id ?? '' } }
    : { role: v.role };
}

/** Where a role grant's problem belongs on the form: the scope when the role takes one, else the role. */
export function grantProblemField(role: Role): string {
  return ROLE_DEFS[role].scopes.length > 0 ? 'scope.type' : 'role';
}

/** 新建后台账号: username, first password, name, and optionally a first role (more are granted from the list). */
export function CreateStaffModal({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  return (
    <FormModal<typeof createStaffBodySchema, StaffValues, MeResponse>
      title="新建后台账号"
      okText="创建"
      width={560}
      schema={createStaffBodySchema}
      fields={STAFF_FIELDS}
      toBody={(v) => {
        const grant = grantOf(v);
        return {
          username: v.username?.trim() ?? '',
          password: v.password ?? '',
          nickname: v.nickname?.trim() ?? '',
          roles: grant ? [grant] : [],
        };
      }}
      refine={(body) => {
        const grant = body.roles[0];
        const problem = grant ? roleGrantProblem(grant) : null;
        return grant && problem ? { path: grantProblemField(grant.role), message: problem } : null;
      }}
      send={(body) => api<MeResponse>('/admin/staff', { body })}
      codeToField={{ USERNAME_TAKEN: 'username', ROLE_NOT_GRANTABLE: 'role' }}
      success={(res) => `已创建账号 ${res.user.username ?? ''}，请把初始密码告知本人`}
      onClose={onClose}
      onDone={onDone}
    >
      {(form) => (
        <>
          <Form.Item name="username" label="登录账号" extra="小写字母开头，3–32 位字母、数字、_ . -">
            <Input autoComplete="off" placeholder="如 zjj.wang" />
          </Form.Item>
          <Form.Item name="password" label="初始密码" extra="至少 10 位；本人登录后可在“修改密码”中更换">
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="nickname" label="姓名">
            <Input maxLength={20} placeholder="如 王晓明" />
          </Form.Item>
          <Typography.Text type="secondary">角色（可不选，创建后再授予）</Typography.Text>
          <GrantFields form={form} />
        </>
      )}
    </FormModal>
  );
}

/** 重置密码 of a console account: every session of that account ends, the new password is told to the person. */
export function ResetPasswordModal({ user, onClose }: { user: UserView; onClose(): void }) {
  return (
    <FormModal<typeof resetPasswordBodySchema, { password?: string }>
      title={`重置密码：${user.nickname}（${user.username ?? ''}）`}
      okText="重置"
      danger
      schema={resetPasswordBodySchema}
      fields={['password']}
      toBody={(v) => ({ password: v.password ?? '' })}
      send={(body) => api(`/admin/users/${user.id}/password`, { body })}
      success="密码已重置，该账号需用新密码重新登录"
      onClose={onClose}
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="重置后该账号的所有登录立即失效。" />
      <Form.Item name="password" label="新密码" extra="至少 10 位">
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}

/** A fresh Idempotency-Key: one per adjustment typed, so a double click or a retry credits once. */
function newKey(): string {
  return crypto.randomUUID();
}

/** 积分: a person's ledger (newest first, with the balance after each entry) and a manual adjustment with its reason. */
export function PointsDrawer({ user, onClose }: { user: UserView; onClose(): void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ amount?: number; reason?: string }>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [key, setKey] = useState(newKey);
  const ledger = useCursorPages(
    (cursor) => api<LedgerResponse>(`/admin/users/${user.id}/points/ledger`, { query: { cursor, limit: 20 } }),
    [user.id],
  );
  const balance = useMemo(() => (ledger.page === 1 ? (ledger.items[0]?.balanceAfter ?? 0) : null), [ledger.items, ledger.page]);
  const submit = async () => {
    setProblem(null);
    const v = form.getFieldsValue();
    const body = checkWith(form, adjustBodySchema, { amount: v.amount, reason: v.reason?.trim() ?? '' }, ['amount', 'reason']);
    if (!body) return;
    setBusy(true);
    try {
      const res = await api<{ balance: number }>(`/admin/users/${user.id}/points/adjustments`, {
        body,
        headers: { 'Idempotency-Key': key },
      });
      message.success(`已调整，当前余额 ${res.balance}`);
      form.resetFields();
      setKey(newKey());
      ledger.reload();
    } catch (err) {
      setProblem(apiErrorToForm(form, err, ['amount', 'reason'], { POINTS_INSUFFICIENT: 'amount' }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer open width={720} title={`积分：${user.nickname}`} onClose={onClose}>
      <Space align="start" size="large" style={{ marginBottom: 16 }}>
        <Statistic title="当前余额" value={balance ?? '—'} loading={ledger.loading && balance === null} />
      </Space>
      <Typography.Title level={5}>人工调整</Typography.Title>
      {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="inline"
        requiredMark={false}
        style={{ marginBottom: 20, rowGap: 8 }}
        onValuesChange={() => setKey(newKey())}
      >
        <Form.Item name="amount" label="数量" extra="正数增加，负数扣减">
          <InputNumber precision={0} style={{ width: 140 }} placeholder="如 50 或 -20" />
        </Form.Item>
        <Form.Item name="reason" label="原因" style={{ flex: 1, minWidth: 240 }}>
          <Input maxLength={200} placeholder="如 线下活动补发积分" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" loading={busy} onClick={() => void submit()}>
            调整
          </Button>
        </Form.Item>
      </Form>
      <Typography.Title level={5}>积分明细</Typography.Title>
      <PagedTable<PointsEntry>
        list={ledger}
        scroll={undefined}
        columns={[
          timeColumn('时间', 'createdAt', 140),
          { title: '来源', dataIndex: 'sourceLabel', width: 100 },
          { title: '说明', dataIndex: 'reason', ellipsis: true },
          {
            title: '数量',
            dataIndex: 'amount',
            width: 80,
            align: 'right',
            render: (n: number) => <Typography.Text type={n < 0 ? 'danger' : 'success'}>{n > 0 ? `+${n}` : n}</Typography.Text>,
          },
          { title: '余额', dataIndex: 'balanceAfter', width: 80, align: 'right' },
        ]}
      />
    </Drawer>
  );
}
