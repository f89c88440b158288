import type { BoardRow } from '@shared/schemas/wenzheng';
import { localMonth } from './working-days';

/** The part of a case event the boards read. Every figure comes from these, never from a case's current fields. */
export interface BoardEvent {
  caseId: string;
  seq: number;
  type: string;
  at: Date;
  data: Record<string, unknown>;
}

/** One department's turn with a case: as lead from assignment until it answers, or a co-department's part. */
interface Spell {
  department: string;
  role: 'lead' | 'co';
  startAt: Date;
  firstAnswerAt: Date | null;
  onTime: boolean;
  satisfied: boolean | null;
}

/** Events that give a case to a lead department (data.department names it). */
const ASSIGNING = new Set(['forwarded', 'assigned', 'handover_confirmed']);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Every department turn in these events. Lead turns: a forward or assignment starts one; a confirmed
 * hand-over takes the case away (that turn belongs to nobody); the first answer and the rating count.
 * Co-department parts: started with the assignment (`coDepartments`) or a confirmed co hand-over; the
 * part's first answer (`co_answered`) counts; a part handed away, or taken over as lead, belongs to nobody.
 * The citizen rates the lead's answer, so satisfaction is the lead's alone.
 */
export function spellsOf(events: readonly BoardEvent[]): Spell[] {
  const byCase = new Map<string, BoardEvent[]>();
  for (const e of events) {
    const list = byCase.get(e.caseId) ?? [];
    list.push(e);
    byCase.set(e.caseId, list);
  }
  const spells: Spell[] = [];
  for (const list of byCase.values()) {
    list.sort((a, b) => a.seq - b.seq);
    let current: Spell | null = null;
    const co = new Map<string, Spell>();
    const startCo = (department: string, at: Date) =>
      co.set(department, { department, role: 'co', startAt: at, firstAnswerAt: null, onTime: false, satisfied: null });
    for (const e of list) {
      const department = str(e.data.department);
      if (ASSIGNING.has(e.type) && department) {
        // A hand-over takes the case away from the turn that was running; a first assignment starts one.
        if (current && e.type !== 'handover_confirmed') spells.push(current);
        current = { department, role: 'lead', startAt: e.at, firstAnswerAt: null, onTime: false, satisfied: null };
        if (e.type === 'handover_confirmed') co.delete(department);
        else {
          // A (re)assignment sets the co-departments afresh.
          for (const s of co.values()) spells.push(s);
          co.clear();
          for (const c of new Set(strings(e.data.coDepartments))) if (c !== department) startCo(c, e.at);
        }
      } else if (e.type === 'answered' && current && current.firstAnswerAt === null) {
        current.firstAnswerAt = e.at;
        current.onTime = e.data.onTime === true;
      } else if (e.type === 'rated' && current) {
        current.satisfied = e.data.satisfied === true;
      } else if (e.type === 'co_answered' && department) {
        const part = co.get(department);
        if (part && part.firstAnswerAt === null) {
          part.firstAnswerAt = e.at;
          part.onTime = e.data.onTime === true;
        }
      } else if (e.type === 'co_handover_confirmed') {
        const from = str(e.data.from);
        if (from) co.delete(from);
        if (department) startCo(department, e.at);
      }
    }
    if (current) spells.push(current);
    for (const s of co.values()) spells.push(s);
  }
  return spells;
}

const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

function medianHours(durationsMs: number[]): number | null {
  if (durationsMs.length === 0) return null;
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(median / 360_000) / 10;
}

/**
 * The month's board: one row per department (every known department, even without cases), ranked by
 * reply rate, then satisfaction, then on-time rate, then number of cases.
 */
export function computeBoard(
  events: readonly BoardEvent[],
  month: string,
  departments: readonly { code: string; name: string }[],
): BoardRow[] {
  const spells = spellsOf(events).filter((s) => localMonth(s.startAt) === month);
  const rows = departments.map((d) => {
    const mine = spells.filter((s) => s.department === d.code);
    const answered = mine.filter((s) => s.firstAnswerAt !== null);
    const rated = mine.filter((s) => s.satisfied !== null);
    const onTime = answered.filter((s) => s.onTime).length;
    const satisfied = rated.filter((s) => s.satisfied === true).length;
    return {
      department: { code: d.code, name: d.name },
      cases: mine.length,
      answered: answered.length,
      answeredOnTime: onTime,
      rated: rated.length,
      satisfied,
      replyRate: rate(answered.length, mine.length),
      onTimeRate: rate(onTime, answered.length),
      satisfaction: rate(satisfied, rated.length),
      medianHoursToAnswer: medianHours(answered.map((s) => s.firstAnswerAt!.getTime() - s.startAt.getTime())),
      rank: 0,
    };
  });
  const key = (v: number | null) => v ?? -1;
  rows.sort(
    (a, b) =>
      key(b.replyRate) - key(a.replyRate) ||
      key(b.satisfaction) - key(a.satisfaction) ||
      key(b.onTimeRate) - key(a.onTimeRate) ||
      b.cases - a.cases ||
      a.department.code.localeCompare(b.department.code),
  );
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}
