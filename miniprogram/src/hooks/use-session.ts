import type { UserView } from '@shared/schemas/users';
import { useEffect, useState } from 'react';
import type { StoredSession } from '../services/core/token-store';
import { tokens } from '../services/request';

/** The current session and user; re-renders on login, refresh and logout. */
export function useSession(): { session: StoredSession | null; user: UserView | null } {
  const [session, setSession] = useState<StoredSession | null>(() => tokens.get());
  useEffect(() => {
    setSession(tokens.get());
    return tokens.subscribe(setSession);
  }, []);
  return { session, user: (session?.user as UserView | undefined) ?? null };
}
