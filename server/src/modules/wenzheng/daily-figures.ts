/** The day's 问政 figures per department, for the stats roll-ups: the public board's computation (spellsOf), by day. */
import { shanghaiDay } from '../../core/time';
import { spellsOf, type BoardEvent } from './boards';
import { departments } from './reference-data';
import { CaseModel, type CaseDoc } from './wenzheng.model';

export interface DepartmentDayFigures {
  code: string;
  name: string;
  /** Turns (lead assignments and co-department parts) that began on the day: the board's "cases". */
  intake: number;
  /** Turns whose first answer came on the day, and of those the ones on time. */
  answered: number;
  answeredOnTime: number;
  /** Hours from assignment to first answer, of each answer counted in `answered` (a range's median is taken over these). */
  answerHours: number[];
  /** Overdue marks set on the day (lead or part). */
  overdue: number;
}

export function createDailyFigures() {
  return {
    /**
     * Every department's figures for one Asia/Shanghai day. Reads the cases with an event that day and
     * replays each one's whole history through the board's `spellsOf`, so a turn counts exactly as on the board.
     */
    async dailyDepartmentFigures(start: Date, end: Date): Promise<DepartmentDayFigures[]> {
      const day = shanghaiDay(start);
      const docs = await CaseModel.find({ 'events.at': { $gte: start, $lt: end } }, { events: 1 }).lean<
        Pick<CaseDoc, '_id' | 'events'>[]
      >();
      const events: BoardEvent[] = docs.flatMap((d) =>
        d.events.map((e) => ({ caseId: d._id.toHexString(), seq: e.seq, type: e.type, at: e.at, data: e.data ?? {} })),
      );
      const rows = new Map<string, DepartmentDayFigures>();
      const names = await departments();
      const row = (code: string) => {
        let r = rows.get(code);
        if (!r)
          rows.set(
            code,
            (r = { code, name: names.get(code)?.name ?? code, intake: 0, answered: 0, answeredOnTime: 0, answerHours: [], overdue: 0 }),
          );
        return r;
      };
      for (const s of spellsOf(events)) {
        if (shanghaiDay(s.startAt) === day) row(s.department).intake += 1;
        if (s.firstAnswerAt && shanghaiDay(s.firstAnswerAt) === day) {
          const r = row(s.department);
          r.answered += 1;
          if (s.onTime) r.answeredOnTime += 1;
          r.answerHours.push(Math.round((s.firstAnswerAt.getTime() - s.startAt.getTime()) / 360_000) / 10);
        }
      }
      for (const e of events)
        if (e.type === 'overdue' && e.at >= start && e.at < end && typeof e.data.department === 'string')
          row(e.data.department).overdue += 1;
      return [...rows.values()];
    },
  };
}
