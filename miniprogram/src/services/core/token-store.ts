import type { Session } from './api-client';

/** Where the session lives: Taro storage in the app, a Map in tests. */
export interface KeyValueStorage {
  getItem(key: string): string | null | undefined;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoredSession extends Session {
  /** The user as the server last described them (roles gate the 我的 entries). */
  user?: unknown;
}

export interface TokenStore {
  get(): StoredSession | null;
  set(session: StoredSession): void;
  clear(): void;
  /** Called after every set/clear (pages re-render on login/logout). */
  subscribe(listener: (s: StoredSession | null) => void): () => void;
}

export const SESSION_KEY = 'rongmei.session';

export function createTokenStore(storage: KeyValueStorage, key = SESSION_KEY): TokenStore {
  let cache: StoredSession | null | undefined;
  const listeners = new Set<(s: StoredSession | null) => void>();
  const emit = () => listeners.forEach((l) => l(cache ?? null));
  return {
    get() {
      if (cache === undefined) {
        try {
          const raw = storage.getItem(key);
          cache = raw ? (JSON.parse(raw) as StoredSession) : null;
        } catch {
          cache = null;
        }
      }
      return cache;
    },
    set(session) {
      const prev = cache ?? null;
      // A refresh answer carries the user too; keep the last known one when it does not.
      cache = { ...session, user: session.user ?? prev?.user };
      storage.setItem(key, JSON.stringify(cache));
      emit();
    },
    clear() {
      cache = null;
      storage.removeItem(key);
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
