import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Role } from '@shared/roles';
import type { AuthSessionResponse } from '@shared/schemas/auth';
import type { UserView } from '@shared/schemas/users';
import { api, endSession, onSessionChange, saveSession, sessionStore, type StoredSession } from '../api/client';

interface SessionValue {
  user: UserView | null;
  /** The roles the user holds (any scope). */
  roles: ReadonlySet<Role>;
  login(username: string, password: string, remember: boolean): Promise<UserView>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | null>(() => sessionStore.read());
  useEffect(() => onSessionChange(setSession), []);

  const login = useCallback(async (username: string, password: string, remember: boolean) => {
    const res = await api<AuthSessionResponse>('/auth/staff-login', { body: { username, password } });
    return saveSession(res, remember).user;
  }, []);

  const logout = useCallback(async () => {
    const current = sessionStore.read();
    // Ends the refresh token on the server too; the local session goes whatever the answer.
    if (current) await api('/auth/logout', { body: { refreshToken: current.refreshToken } }).catch(() => undefined);
    endSession();
  }, []);

  const value = useMemo<SessionValue>(
    () => ({ user: session?.user ?? null, roles: new Set(session?.user.roles.map((g) => g.role) ?? []), login, logout }),
    [session, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
