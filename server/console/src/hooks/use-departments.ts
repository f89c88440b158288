import type { DepartmentView } from '@shared/schemas/wenzheng';
import { api } from '../api/client';
import { useResource } from './use-resource';

/** The 问政 department directory, for pickers and the settings page. */
export function useDepartments() {
  const res = useResource(() => api<{ departments: DepartmentView[] }>('/wenzheng/departments'), []);
  const departments = res.data?.departments ?? [];
  return { ...res, departments, options: departments.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` })) };
}
