/** Reading cases: one case, the public board, the citizen's own, the editors' and departments' queues, a leader's copies. */
import type { QueryFilter } from 'mongoose';
import type { CaseListQuery, CaseView, StaffQueueQuery } from '@shared/schemas/wenzheng';
import { authorize, can, type Actor } from '../../core/auth';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { isPoster, scopesOf, visible } from './access';
import { NOT_PUBLIC_STATES } from './case-rules';
import type { WenzhengParts } from './parts';
import { propagandaCodes } from './reference-data';
import type { CaseDoc } from './wenzheng.model';

/** The list filters every query shares: category, and the cursor (the last id of the previous page). */
function narrowed(filter: QueryFilter<CaseDoc>, query: { category?: CaseDoc['category']; cursor?: string }): QueryFilter<CaseDoc> {
  if (query.category) filter.category = query.category;
  if (query.cursor) filter._id = { $lt: oid(query.cursor) };
  return filter;
}

export function createCaseQueries({ views }: WenzhengParts) {
  const { toViews, page } = views;
  return {
    async get(actor: Actor | null, id: string): Promise<CaseView> {
      const { doc, access } = await visible(actor, id);
      return (await toViews([doc], actor, [access]))[0]!;
    },

    /** The public board: published cases past triage, newest first. */
    async list(actor: Actor | null, query: CaseListQuery) {
      const filter: QueryFilter<CaseDoc> = { published: true, state: query.state ?? { $nin: NOT_PUBLIC_STATES } };
      if (query.state && NOT_PUBLIC_STATES.includes(query.state)) return { items: [], nextCursor: null };
      return page(narrowed(filter, query), query.limit, actor, async (d) => (isPoster(actor, d) ? 'poster' : 'public'));
    },

    /** Cases the citizen posted or follows (merged duplicates). */
    async mine(actor: Actor, query: CaseListQuery) {
      const filter: QueryFilter<CaseDoc> = { followers: oid(actor.id) };
      if (query.state) filter.state = query.state;
      return page(narrowed(filter, query), query.limit, actor, async (d) => (isPoster(actor, d) ? 'poster' : 'follower'));
    },

    /** The editors' queue: pending cases by default, or any state. */
    async triageQueue(actor: Actor, query: CaseListQuery) {
      authorize(actor, { role: 'editor' });
      return page(narrowed({ state: query.state ?? 'pending' }, query), query.limit, actor, async () => 'staff');
    },

    /**
     * A department's queue: only cases of the departments (and grids) the actor works for; the
     * propaganda department also sees internal reports and escalated cases. Admins see every one.
     */
    async departmentQueue(actor: Actor, query: StaffQueueQuery) {
      authorize(actor, { anyOf: ['department_staff', 'grid_leader'] });
      const admin = can(actor, { role: 'admin' });
      let codes = scopesOf(actor, 'department_staff');
      if (query.department) {
        if (!admin && !codes.includes(query.department)) throw new AppError('FORBIDDEN');
        codes = [query.department];
      }
      const or: QueryFilter<CaseDoc>[] = [];
      // `overdue` asks about the actor's own clock: the lead's for a lead department, its part's for a co-department.
      const lead = query.overdue === undefined ? {} : { overdue: query.overdue };
      if (!admin || query.department) {
        or.push(
          { department: { $in: codes }, ...lead },
          query.overdue === undefined
            ? { coDepartments: { $in: codes }, state: { $ne: 'reported' } }
            : { coParts: { $elemMatch: { department: { $in: codes }, overdue: query.overdue } } },
        );
        const grids = query.department ? [] : scopesOf(actor, 'grid_leader');
        if (grids.length) or.push({ tier: 'grid', gridId: { $in: grids }, ...lead });
        const propaganda = await propagandaCodes();
        if (codes.some((c) => propaganda.includes(c))) {
          or.push({ tier: 'propaganda', ...lead }, { escalated: true, ...lead }, { coParts: { $elemMatch: { escalated: true, ...lead } } });
        }
      }
      const filter: QueryFilter<CaseDoc> = { state: query.state ?? { $nin: NOT_PUBLIC_STATES } };
      if (or.length) filter.$or = or;
      else if (query.overdue !== undefined)
        filter.$or = [{ overdue: query.overdue }, { coParts: { $elemMatch: { overdue: query.overdue } } }];
      return page(narrowed(filter, query), query.limit, actor, async () => 'staff');
    },

    /** The cases copied to this county leader (read-only), newest first. */
    async copiedToMe(actor: Actor, query: CaseListQuery) {
      authorize(actor, { role: 'county_leader', adminOverride: false });
      const filter: QueryFilter<CaseDoc> = { copiedLeaderIds: oid(actor.id) };
      if (query.state) filter.state = query.state;
      return page(narrowed(filter, query), query.limit, actor, async () => 'leader');
    },
  };
}
