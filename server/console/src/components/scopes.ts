import { ROLE_DEFS, type RoleGrant, type ScopeType } from '@shared/roles';

/** What each kind of role scope is called. */
export const SCOPE_LABELS: Record<ScopeType, string> = {
  circle: '圈子',
  team: '志愿队',
  merchant: '商户',
  department: '部门',
  outlet: '门店',
  grid: '网格',
};

/**
 * A role grant as people read it: 圈长 · 圈子 城关镇通讯员圈. `names` holds the scope's name by `type:id` (the audit
 * log's `names`); a scope without one shows its id.
 */
export function grantLabel(g: RoleGrant, names: Readonly<Record<string, string>> = {}): string {
  if (!g.scope) return ROLE_DEFS[g.role].label;
  return `${ROLE_DEFS[g.role].label} · ${SCOPE_LABELS[g.scope.type] ?? g.scope.type} ${names[`${g.scope.type}:${g.scope.id}`] ?? g.scope.id}`;
}
