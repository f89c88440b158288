/** The boards read from stored case events: a month's board, a department's recent months, and the raw events. */
import type { BoardResponse, DepartmentHistoryResponse, RawEvent } from '@shared/schemas/wenzheng';
import { authorize, type Actor } from '../../core/auth';
import { computeBoard, type BoardEvent } from './boards';
import { mustFind } from './case-store';
import type { WenzhengParts } from './parts';
import { departments, mustDepartment } from './reference-data';
import { CaseModel, type CaseDoc } from './wenzheng.model';
import { localMonth, monthStart, nextMonth, previousMonth } from './working-days';

/** Cases with an assignment (forward, assign, hand-over, co hand-over) in the local month: the board's population. */
async function casesAssignedIn(month: string): Promise<CaseDoc[]> {
  return CaseModel.find({
    events: {
      $elemMatch: {
        type: { $in: ['forwarded', 'assigned', 'handover_confirmed', 'co_handover_confirmed'] },
        at: { $gte: monthStart(month), $lt: monthStart(nextMonth(month)) },
      },
    },
  }).lean<CaseDoc[]>();
}

/** The month's board and public ranking, computed from the case events alone. */
async function board(month: string): Promise<BoardResponse> {
  const docs = await casesAssignedIn(month);
  const events: BoardEvent[] = docs.flatMap((d) =>
    d.events.map((e) => ({ caseId: d._id.toHexString(), seq: e.seq, type: e.type, at: e.at, data: e.data ?? {} })),
  );
  const depts = [...(await departments()).values()].filter((d) => !d.propaganda);
  return { month, rows: computeBoard(events, month, depts) };
}

export function createBoardQueries({ clock }: Pick<WenzhengParts, 'clock'>) {
  return {
    /** Raw events (staff): of one case, or of every case given to a department in a month. */
    async rawEvents(actor: Actor, query: { month?: string; caseId?: string }): Promise<RawEvent[]> {
      authorize(actor, { role: 'editor' });
      const docs = query.caseId ? [await mustFind(query.caseId)] : await casesAssignedIn(query.month ?? localMonth(clock.now()));
      return docs.flatMap((d) =>
        d.events.map((e) => ({
          caseId: d._id.toHexString(),
          seq: e.seq,
          type: e.type,
          at: e.at.toISOString(),
          by: e.by?.toHexString() ?? null,
          from: e.from ?? null,
          to: e.to ?? null,
          data: JSON.parse(JSON.stringify(e.data ?? {})) as Record<string, unknown>,
        })),
      );
    },

    board,

    /** One department's board rows for the last `months` local months (this month first). */
    async departmentHistory(code: string, months: number): Promise<DepartmentHistoryResponse> {
      const dept = await mustDepartment(code);
      const list: string[] = [];
      for (let i = 0, month = localMonth(clock.now()); i < months; i += 1, month = previousMonth(month)) list.push(month);
      const rows = [];
      for (const mo of list) {
        const { rows: monthRows } = await board(mo);
        const row = monthRows.find((r) => r.department.code === code);
        if (row) rows.push({ month: mo, row });
      }
      return { department: { code: dept.code, name: dept.name }, months: rows };
    },
  };
}
