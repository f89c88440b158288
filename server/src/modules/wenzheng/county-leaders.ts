/** County leaders (抄送县领导): who a case may be copied to, checked by their role. */
import { authorize, type Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import type { UsersService } from '../users';
import { isPropaganda } from './access';

export interface Leader {
  id: string;
  name: string;
}

export type CountyLeaders = ReturnType<typeof createCountyLeaders>;

export function createCountyLeaders(users: Pick<UsersService, 'getView' | 'list'>) {
  return {
    /** County leaders by user id: each must hold the county_leader role. */
    async leadersOf(ids: readonly string[]): Promise<Leader[]> {
      const out: Leader[] = [];
      for (const id of new Set(ids)) {
        const view = await users.getView(id).catch((err: unknown) => {
          if (err instanceof AppError) return null;
          throw err;
        });
        if (!view?.roles.some((g) => g.role === 'county_leader')) {
          throw new AppError('WENZHENG_LEADER_NOT_FOUND', { details: { userId: id } });
        }
        out.push({ id, name: view.nickname });
      }
      return out;
    },

    /** Leaders a case may be copied to (for the propaganda department, editors and admins). */
    async listLeaders(actor: Actor): Promise<Leader[]> {
      if (!(await isPropaganda(actor))) authorize(actor, { role: 'editor' });
      const { items } = await users.list({ role: 'county_leader', limit: 50 });
      return items.map((u) => ({ id: u.id, name: u.nickname }));
    },
  };
}
