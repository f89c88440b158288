/**
 * The working-day clock (the wenzheng-clock job): reminders before the lead's and each co-department's
 * deadlines, overdue marks with their escalation to the department's heads and the propaganda department,
 * then the morning digest.
 */
import { asClock } from './access';
import { CLOCKED_DEADLINE, PART_CASE_STATES, dueSoon, isLate, remindUntil, type ClockedState } from './case-rules';
import { partsOf, withPart } from './case-fields';
import { ignoreConflict } from './case-store';
import { createDigest } from './digest';
import { SYSTEM } from './event-authors';
import type { WenzhengParts } from './parts';
import { findDepartment, propagandaCodes, settings } from './reference-data';
import { CaseModel, type CaseDoc } from './wenzheng.model';

const CLOCKED = Object.entries(CLOCKED_DEADLINE) as [ClockedState, (typeof CLOCKED_DEADLINE)[ClockedState]][];

/** Who an overdue department's case goes up to: its heads and the propaganda department (and its name for the message). */
async function escalationOf(code: string | undefined) {
  const dept = code ? await findDepartment(code) : null;
  return { name: dept?.name, heads: (dept?.headUserIds ?? []).map((h) => h.toHexString()), propaganda: await propagandaCodes() };
}

export function createClock(parts: WenzhengParts) {
  const { mutate, notify } = parts;
  const { sendDigests } = createDigest(parts);

  /** The lead department's clock on every case in a clocked state. */
  async function tickLead(now: Date, remindBy: Date): Promise<{ reminded: number; overdue: number }> {
    let reminded = 0;
    let overdue = 0;
    for (const [state, field] of CLOCKED) {
      const soon = await CaseModel.find({ state, reminded: false, overdue: false, [field]: { $gt: now, $lte: remindBy } })
        .limit(500)
        .lean<CaseDoc[]>();
      for (const c of soon) {
        const { doc, applied } = await mutate(asClock, c._id.toHexString(), 'clock', [state], (d) =>
          d.reminded || d.overdue || !d[field] || d[field].getTime() !== c[field]!.getTime()
            ? null
            : {
                set: { reminded: true },
                events: [{ type: 'reminded', by: SYSTEM, data: { department: d.department, deadline: field, dueAt: d[field] } }],
              },
        ).catch(ignoreConflict);
        if (applied) {
          reminded += 1;
          await notify.handlers(doc, '即将到期', doc[field]);
        }
      }
      const late = await CaseModel.find({ state, overdue: false, [field]: { $lt: now } })
        .limit(500)
        .lean<CaseDoc[]>();
      for (const c of late) {
        const up = await escalationOf(c.department);
        const { doc, applied } = await mutate(asClock, c._id.toHexString(), 'clock', [state], (d) =>
          d.overdue || !d[field] || !isLate(d[field], now)
            ? null
            : {
                set: { overdue: true, escalated: true },
                events: [
                  {
                    type: 'overdue',
                    by: SYSTEM,
                    noteAudience: 'public',
                    data: { department: d.department, deadline: field, dueAt: d[field] },
                  },
                  { type: 'escalated', by: SYSTEM, data: { department: d.department, heads: up.heads, propaganda: up.propaganda } },
                ],
              },
        ).catch(ignoreConflict);
        if (applied) {
          overdue += 1;
          await notify.handlers(doc, '已超期', doc[field]);
          await notify.escalation(doc, up.heads, up.propaganda, up.name ?? doc.department ?? '', doc[field]!);
        }
      }
    }
    return { reminded, overdue };
  }

  /**
   * The co-departments' clocks, like the lead's: a reminder before a part's deadline, then overdue with an
   * escalation to that department's heads and the propaganda department. One conditional update per part,
   * so concurrent passes notify once.
   */
  async function tickParts(now: Date, remindBy: Date): Promise<{ reminded: number; overdue: number }> {
    let reminded = 0;
    let overdue = 0;
    for (const [state, field] of CLOCKED) {
      for (const late of [false, true]) {
        const due = late ? { $lt: now } : { $gt: now, $lte: remindBy };
        const match = late ? { state, overdue: false, [field]: due } : { state, reminded: false, overdue: false, [field]: due };
        const cases = await CaseModel.find({ state: { $in: PART_CASE_STATES }, coParts: { $elemMatch: match } })
          .limit(500)
          .lean<CaseDoc[]>();
        for (const c of cases) {
          for (const p of partsOf(c)) {
            const at = p[field];
            if (p.state !== state || !at || p.overdue || (!late && p.reminded)) continue;
            if (late ? !isLate(at, now) : !dueSoon(at, now, remindBy)) continue;
            const up = late ? await escalationOf(p.department) : null;
            const { doc, applied } = await mutate(asClock, c._id.toHexString(), 'clock', PART_CASE_STATES, (d) => {
              const current = partsOf(d).find((x) => x.department === p.department);
              const still =
                current?.state === state && current[field]?.getTime() === at.getTime() && !current.overdue && (late || !current.reminded);
              if (!current || !still) return null;
              const data = { department: p.department, part: 'co', deadline: field, dueAt: at };
              if (!up)
                return { set: withPart(d, p.department, { ...current, reminded: true }), events: [{ type: 'reminded', by: SYSTEM, data }] };
              return {
                set: withPart(d, p.department, { ...current, overdue: true, escalated: true }),
                events: [
                  { type: 'overdue', by: SYSTEM, noteAudience: 'public', data },
                  {
                    type: 'escalated',
                    by: SYSTEM,
                    data: { department: p.department, part: 'co', heads: up.heads, propaganda: up.propaganda },
                  },
                ],
              };
            }).catch(ignoreConflict);
            if (!applied) continue;
            if (!up) {
              reminded += 1;
              await notify.coDepartments(doc, [p.department], '即将到期', at);
              continue;
            }
            overdue += 1;
            await notify.coDepartments(doc, [p.department], '已超期', at);
            await notify.escalation(doc, up.heads, up.propaganda, up.name ?? p.department, at);
          }
        }
      }
    }
    return { reminded, overdue };
  }

  return {
    /**
     * One pass of the clock (the wenzheng-clock job): reminders before deadlines, overdue marks with their
     * escalation, and the daily digest. Decisions come from the cases' state and deadlines, not from which
     * slots ran, so a pass after downtime catches up; every mark is a conditional update, so two
     * processes running passes at once notify once.
     */
    async tick(now: Date = parts.clock.now()): Promise<{ reminded: number; overdue: number; digest: boolean; digests: string[] }> {
      const remindBy = remindUntil(now, (await settings()).remindBeforeHours);
      const lead = await tickLead(now, remindBy);
      const coParts = await tickParts(now, remindBy);
      const digests = await sendDigests(now);
      return {
        reminded: lead.reminded + coParts.reminded,
        overdue: lead.overdue + coParts.overdue,
        digest: digests.length > 0,
        digests,
      };
    },
  };
}
