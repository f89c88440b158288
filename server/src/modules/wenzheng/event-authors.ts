/** Who a case event says did it: the person for staff eyes and the label the public sees. */
import { can, type Actor } from '../../core/auth';
import type { UsersService } from '../users';
import type { By } from './case-store';
import type { CaseDoc, DepartmentDoc } from './wenzheng.model';

export const ANONYMOUS_NAME = '匿名网友';
/** The editors' public name. */
export const CENTRE = '融媒体中心';
export const SYSTEM: By = { id: null, name: '系统', label: '系统' };

export const publicPosterName = (doc: Pick<CaseDoc, 'anonymous' | 'posterName'>) => (doc.anonymous ? ANONYMOUS_NAME : doc.posterName);

/** The citizen who asked, signing a rating or a reopening. */
export const posterBy = (actor: Actor, doc: CaseDoc): By => ({ id: actor.id, name: doc.posterName, label: publicPosterName(doc) });

/** How a handler signs: its department, the grid's 网格长, or the centre (an admin acting for them). */
export function handlerLabel(actor: Actor, doc: CaseDoc, depts: Map<string, DepartmentDoc>): string {
  if (doc.department && can(actor, { role: 'department_staff', scope: { type: 'department', id: doc.department }, adminOverride: false })) {
    return depts.get(doc.department)?.name ?? doc.department;
  }
  return doc.tier === 'grid' && !can(actor, { role: 'admin' }) ? '网格长' : CENTRE;
}

export type ByOf = (actor: Actor, label: string) => Promise<By>;

/** The acting person under `label`. */
export function createByOf(users: Pick<UsersService, 'getView'>): ByOf {
  return async (actor, label) => ({ id: actor.id, name: (await users.getView(actor.id)).nickname, label });
}
