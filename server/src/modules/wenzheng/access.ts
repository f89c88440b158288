/**
 * Who may see a case and who may act on it: the access a caller has to a case, and the gate every change
 * passes before the case's state is looked at.
 */
import { can, type Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import { ACTION_ACTOR, NOT_PUBLIC_STATES, PART_ACTION_ACTOR, type CaseAction, type CaseActor, type PartAction } from './case-rules';
import { coOf, escalatedAny, leaderIdsOf } from './case-fields';
import { mustFind, type Gate } from './case-store';
import { DepartmentModel, type CaseDoc } from './wenzheng.model';

/** `leader`: a county leader the case was copied to (read-only, sees what staff see). */
export type Access = 'staff' | 'leader' | 'poster' | 'follower' | 'public';

export const scopesOf = (actor: Actor, role: 'department_staff' | 'grid_leader') =>
  actor.roles.flatMap((g) => (g.role === role && g.scope ? [g.scope.id] : []));
export const isEditor = (actor: Actor | null) => can(actor, { role: 'editor' });
/** Who may work a case as its lead at all: refused before the case is read, whatever the id. */
export const HANDLER_ROLES = { anyOf: ['department_staff', 'grid_leader'] } as const;

/** Department staff of the case's department, or the grid's 三长 when it goes through a grid. */
export function isHandler(actor: Actor | null, doc: CaseDoc): boolean {
  if (!actor) return false;
  if (doc.department && can(actor, { role: 'department_staff', scope: { type: 'department', id: doc.department } })) return true;
  return doc.tier === 'grid' && !!doc.gridId && can(actor, { role: 'grid_leader', scope: { type: 'grid', id: doc.gridId } });
}

export async function isPropaganda(actor: Actor | null): Promise<boolean> {
  if (!actor) return false;
  const mine = scopesOf(actor, 'department_staff');
  if (mine.length === 0) return false;
  return (await DepartmentModel.countDocuments({ code: { $in: mine }, propaganda: true })) > 0;
}

export const isPoster = (actor: Actor | null, doc: Pick<CaseDoc, 'posterId'>) => !!actor && doc.posterId?.toHexString() === actor.id;

export async function accessOf(actor: Actor | null, doc: CaseDoc): Promise<Access | null> {
  if (isEditor(actor) || isHandler(actor, doc)) return 'staff';
  if (actor && coOf(doc).some((c) => can(actor, { role: 'department_staff', scope: { type: 'department', id: c } }))) return 'staff';
  if ((doc.tier === 'propaganda' || escalatedAny(doc)) && (await isPropaganda(actor))) return 'staff';
  if (actor && can(actor, { role: 'county_leader', adminOverride: false }) && leaderIdsOf(doc).some((l) => l.toHexString() === actor.id))
    return 'leader';
  if (isPoster(actor, doc)) return 'poster';
  if (actor && doc.followers.some((f) => f.toHexString() === actor.id)) return 'follower';
  if (doc.published && !NOT_PUBLIC_STATES.includes(doc.state)) return 'public';
  return null;
}

/** A case the actor may see, else 404 (a private case's existence is not revealed). */
export async function visible(actor: Actor | null, id: string): Promise<{ doc: CaseDoc; access: Access }> {
  const doc = await mustFind(id);
  const access = await accessOf(actor, doc);
  if (!access) throw new AppError('WENZHENG_CASE_NOT_FOUND');
  return { doc, access };
}

/** The clock's own transitions: no caller. */
export const asClock: Gate = () => undefined;

/**
 * Who may act on a case, checked on every read of it inside `mutate` and BEFORE its state: a caller who
 * may not see the case gets exactly the 404 of a case that does not exist (no state, no details), and one
 * who sees it but may not do this gets a bare 403 (it learns nothing it could not read with GET). Only
 * then does the state decide (409 with `details.state`). Issue #16 item 3.
 */
function gate(actor: Actor, may?: (doc: CaseDoc) => boolean): Gate {
  return async (doc) => {
    if (!(await accessOf(actor, doc))) throw new AppError('WENZHENG_CASE_NOT_FOUND');
    if (may && !may(doc)) throw new AppError('FORBIDDEN');
  };
}

/**
 * The gate for `actor` acting as `by`. The editor, the propaganda department and a co-department had their
 * role checked before the case was read: seeing the case is enough. The handler must be the case's lead
 * department or the grid's 三长 (admins too); the poster the citizen who asked (followers of a merged
 * duplicate see the case but do not rate it).
 */
function gateFor(actor: Actor, by: CaseActor): Gate {
  switch (by) {
    case 'handler':
      return gate(actor, (d) => isHandler(actor, d) || can(actor, { role: 'admin' }));
    case 'poster':
      return gate(actor, (d) => isPoster(actor, d));
    case 'system':
      return asClock;
    case 'editor':
    case 'propaganda':
    case 'co_department':
      return gate(actor);
  }
}

/** The gate for `actor` taking `action` on a case (who takes which: case-rules' ACTION_ACTOR). */
export const actingOn = (actor: Actor, action: CaseAction) => gateFor(actor, ACTION_ACTOR[action]);
/** The gate for `actor` taking `action` on a co-department's part. */
export const actingOnPart = (actor: Actor, action: PartAction) => gateFor(actor, PART_ACTION_ACTOR[action]);
