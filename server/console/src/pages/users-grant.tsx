import { ROLE_DEFS, ROLES, type Role, type ScopeType } from '@shared/roles';
import { Form, Input, Select, Space, type FormInstance } from 'antd';
import { SCOPE_LABELS } from '../components/scopes';
import { useDepartments } from '../hooks/use-departments';

export const GRANTABLE = ROLES.filter((r) => !ROLE_DEFS[r].implicit);
export const GRANT_FIELDS = ['role', 'scope.type', 'scope.id'] as const;

export interface GrantValues {
  role?: Role;
  scope?: { type?: ScopeType; id?: string };
}

/** The scope fields follow the chosen role: only the scopes it takes, and 可不填 where the whole county is allowed. */
export function GrantFields({ form }: { form: FormInstance<GrantValues> }) {
  const role = Form.useWatch('role', form);
  const scopeType = Form.useWatch(['scope', 'type'], form);
  const depts = useDepartments();
  const scopes = role ? ROLE_DEFS[role].scopes : [];
  return (
    <>
      <Form.Item name="role" label="角色">
        <Select
          placeholder="选择角色"
          options={GRANTABLE.map((r) => ({ value: r, label: ROLE_DEFS[r].label }))}
          onChange={() =>
            form.setFields([
              { name: ['scope', 'type'], value: undefined, errors: [] },
              { name: ['scope', 'id'], value: undefined, errors: [] },
            ])
          }
        />
      </Form.Item>
      {scopes.length > 0 && (
        <Space.Compact block>
          <Form.Item
            name={['scope', 'type']}
            label={`范围${role && ROLE_DEFS[role].scopeRequired ? '' : '（可不填，表示全县）'}`}
            style={{ width: '40%' }}
          >
            <Select
              allowClear
              placeholder="范围类型"
              options={scopes.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))}
              onChange={() => form.setFields([{ name: ['scope', 'id'], value: undefined, errors: [] }])}
            />
          </Form.Item>
          {scopeType === 'department' ? (
            // Departments have a directory: picked by name, sent by code.
            <Form.Item name={['scope', 'id']} label="部门" style={{ width: '60%' }}>
              <Select showSearch optionFilterProp="label" placeholder="选择部门" options={depts.options} />
            </Form.Item>
          ) : (
            <Form.Item name={['scope', 'id']} label="范围 ID / 编码" style={{ width: '60%' }}>
              <Input placeholder={scopes.includes('department') ? '部门编码，如 zjj' : '圈子、队伍或商户的 ID'} />
            </Form.Item>
          )}
        </Space.Compact>
      )}
    </>
  );
}
