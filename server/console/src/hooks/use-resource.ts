import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export interface Resource<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | null;
  reload(): void;
}

/** Loads something when its key changes; every page's load/error/retry in one place. */
export function useResource<T>(load: () => Promise<T>, key: unknown[]): Resource<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyString = JSON.stringify(key);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    loadRef
      .current()
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK', '网络错误，请重试')))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [keyString, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, loading, error, reload };
}
