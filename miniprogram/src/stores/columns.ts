import { columnLabel, type PublicColumn } from '@shared/schemas/newsroom';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { newsroomApi } from '../services/newsroom.api';

const STORAGE_KEY = 'rongmei-columns';

/** The columns admins configured, as last seen: from storage at once (first screen), then refreshed from the API. */
let current: PublicColumn[] = readStored();
let loading: Promise<PublicColumn[]> | null = null;
const listeners = new Set<(columns: PublicColumn[]) => void>();

function readStored(): PublicColumn[] {
  try {
    const raw = Taro.getStorageSync(STORAGE_KEY) as unknown;
    return Array.isArray(raw) ? (raw as PublicColumn[]) : [];
  } catch {
    return [];
  }
}

/** Fetches the column list once per app launch (a failure leaves the stored list and tries again next time). */
export function loadColumns(): Promise<PublicColumn[]> {
  loading ??= newsroomApi.columns().then(
    (r) => {
      // Only a list replaces what we have: an odd answer (a proxy's page, an old server) keeps the stored tabs.
      if (!Array.isArray(r.items)) return current;
      current = r.items;
      Taro.setStorageSync(STORAGE_KEY, r.items);
      for (const l of listeners) l(current);
      return current;
    },
    () => {
      loading = null;
      return current;
    },
  );
  return loading;
}

/** A column's name as admins set it (a default's label, or the key, before the list has loaded). */
export function columnName(key: string): string {
  return columnLabel(key, current);
}

/** The configured columns, re-rendering when the list arrives. */
export function useColumns(): PublicColumn[] {
  const [columns, setColumns] = useState(current);
  useEffect(() => {
    listeners.add(setColumns);
    void loadColumns();
    return () => {
      listeners.delete(setColumns);
    };
  }, []);
  return columns;
}
