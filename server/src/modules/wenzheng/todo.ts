import type { QueryFilter } from 'mongoose';
import { can, type Actor } from '../../core/auth';
import { CLOCKED_DEADLINE, PART_OPEN_STATES } from './case-rules';
import { scopesOf } from './access';
import type { CaseDoc } from './wenzheng.model';
import { CaseModel } from './wenzheng.model';

/** The clocked states: a case past its deadline in one of these still waits for its department. */
const WAITING = Object.keys(CLOCKED_DEADLINE) as Array<keyof typeof CLOCKED_DEADLINE>;

/**
 * The console's 问政 to-do counts. Editors (and admins) see the triage queue and every overdue case; department
 * staff see the overdue cases of their departments, as lead or co-department. Other callers get neither key.
 */
export function createTodoCounts() {
  return {
    async todoCounts(actor: Actor): Promise<{ wenzhengTriage?: number; wenzhengOverdue?: number }> {
      const overdue = (codes: readonly string[] | null): QueryFilter<CaseDoc> => {
        const lead: QueryFilter<CaseDoc> = { state: { $in: WAITING }, overdue: true };
        const part = { overdue: true, state: { $in: PART_OPEN_STATES } };
        if (codes === null) return { $or: [lead, { coParts: { $elemMatch: part } }] };
        return { $or: [{ ...lead, department: { $in: codes } }, { coParts: { $elemMatch: { ...part, department: { $in: codes } } } }] };
      };
      if (can(actor, { role: 'editor' })) {
        const [triage, late] = await Promise.all([CaseModel.countDocuments({ state: 'pending' }), CaseModel.countDocuments(overdue(null))]);
        return { wenzhengTriage: triage, wenzhengOverdue: late };
      }
      const codes = scopesOf(actor, 'department_staff');
      if (codes.length === 0) return {};
      return { wenzhengOverdue: await CaseModel.countDocuments(overdue(codes)) };
    },
  };
}
