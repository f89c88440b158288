import { columnLabel, type PublicColumnListResponse } from '@shared/schemas/newsroom';
import { useCallback } from 'react';
import { api } from '../api/client';
import { useResource } from './use-resource';

/** The enabled columns (栏目) in the admins' order, for pickers and filters; `nameOf` names any key, switched-off ones too. */
export function useColumns() {
  const res = useResource(() => api<PublicColumnListResponse>('/columns'), []);
  const columns = res.data?.items ?? [];
  const nameOf = useCallback((key: string) => columnLabel(key, columns), [columns]);
  return { ...res, columns, nameOf, options: columns.map((c) => ({ value: c.key, label: c.name })) };
}
