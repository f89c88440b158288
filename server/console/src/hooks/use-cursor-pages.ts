import { useCallback, useEffect, useState } from 'react';
import { useResource } from './use-resource';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Pages through a `{ items, nextCursor }` list: the cursors of the pages seen so far make 上一页 possible
 * without offsets. Changing the filters starts again at page 1.
 */
export function useCursorPages<T>(load: (cursor: string | undefined) => Promise<CursorPage<T>>, filters: unknown[]) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const filterKey = JSON.stringify(filters);
  useEffect(() => setCursors([undefined]), [filterKey]);
  const cursor = cursors.at(-1);
  const resource = useResource(() => load(cursor), [filterKey, cursor ?? null]);
  const next = useCallback(() => {
    const c = resource.data?.nextCursor;
    if (c) setCursors((cs) => [...cs, c]);
  }, [resource.data]);
  const prev = useCallback(() => setCursors((cs) => (cs.length > 1 ? cs.slice(0, -1) : cs)), []);
  return {
    ...resource,
    items: resource.data?.items ?? [],
    page: cursors.length,
    hasNext: Boolean(resource.data?.nextCursor),
    hasPrev: cursors.length > 1,
    next,
    prev,
  };
}
