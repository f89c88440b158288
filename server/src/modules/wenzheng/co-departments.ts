/**
 * Co-departments (协办): each works its own part of a case — accepts it, answers it, or says "not our part"
 * (the editor confirms the hand-over or sends it back). The lead's answer is the case's answer.
 */
import type { CaseView } from '@shared/schemas/wenzheng';
import { authorize, type Actor } from '../../core/auth';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { actingOnPart } from './access';
import { PART_CASE_STATES, PART_NEXT, answerDays, mayStartPart, onTime, type PartAction, type PartStartState } from './case-rules';
import { freshClock, newPart, partOf, partsOf, withPart } from './case-fields';
import { partConflict } from './case-store';
import { CENTRE } from './event-authors';
import type { WenzhengParts } from './parts';
import { departments, deptName, dueIn, mustDepartment, settings } from './reference-data';
import type { CaseDoc, CoPartDoc } from './wenzheng.model';

/** The part `code` works on, when `action` may start from its state (else 409 with the part's state). */
function partFor<A extends PartAction>(d: CaseDoc, code: string, action: A): CoPartDoc & { state: PartStartState<A> } {
  const part = partOf(d, code);
  if (!mayStartPart(action, part.state)) throw partConflict(part, action);
  return { ...part, state: part.state };
}

/** The co-department's own staff (admins too), before the case is read. */
const authorizeCo = (actor: Actor, code: string) => authorize(actor, { role: 'department_staff', scope: { type: 'department', id: code } });

export function createCoDepartments({ clock, mutate, notify, views, byOf }: WenzhengParts) {
  const { viewFor } = views;
  return {
    async coAccept(actor: Actor, id: string, code: string): Promise<CaseView> {
      authorizeCo(actor, code);
      const s = await settings();
      const depts = await departments();
      const { doc } = await mutate(actingOnPart(actor, 'accept'), id, 'accept', PART_CASE_STATES, async (d) => {
        const part = partFor(d, code, 'accept');
        const now = clock.now();
        const answerDueAt = await dueIn(answerDays(s.deadlines, d.type), now);
        return {
          set: withPart(d, code, { ...part, state: PART_NEXT.accept, answerDueAt, ...freshClock }),
          events: [
            {
              type: 'co_accepted',
              by: await byOf(actor, deptName(depts, code)),
              noteAudience: 'public',
              data: { department: code, answerDueAt, onTime: onTime(part.acceptDueAt, now) },
            },
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** A co-department answers its part: on the public timeline, and the lead department hears of it. */
    async coAnswer(actor: Actor, id: string, code: string, text: string): Promise<CaseView> {
      authorizeCo(actor, code);
      const depts = await departments();
      const { doc } = await mutate(actingOnPart(actor, 'answer'), id, 'answer', PART_CASE_STATES, async (d) => {
        const part = partFor(d, code, 'answer');
        const now = clock.now();
        return {
          set: withPart(d, code, { ...part, state: PART_NEXT.answer, answer: { text, at: now, by: oid(actor.id) } }),
          events: [
            {
              type: 'co_answered',
              by: await byOf(actor, deptName(depts, code)),
              note: text,
              noteAudience: 'public',
              data: { department: code, answerDueAt: part.answerDueAt ?? null, onTime: onTime(part.answerDueAt, now) },
            },
          ],
        };
      });
      await notify.handlers(doc, '协办已答复', undefined);
      return viewFor(actor, doc);
    },

    /** "Not our part": the co-department names who should take it; the editor confirms. */
    async coDecline(actor: Actor, id: string, code: string, suggestedDepartment: string, reason: string): Promise<CaseView> {
      authorizeCo(actor, code);
      const depts = await departments();
      if (!depts.has(suggestedDepartment)) throw new AppError('WENZHENG_DEPARTMENT_NOT_FOUND', { details: { code: suggestedDepartment } });
      if (suggestedDepartment === code) throw new AppError('WENZHENG_SAME_DEPARTMENT');
      const { doc } = await mutate(actingOnPart(actor, 'decline'), id, 'decline', PART_CASE_STATES, async (d) => {
        const part = partFor(d, code, 'decline');
        return {
          set: withPart(d, code, { ...part, state: PART_NEXT.decline, handover: { suggestedDepartment, reason, fromState: part.state } }),
          events: [
            {
              type: 'co_declined',
              by: await byOf(actor, deptName(depts, code)),
              note: `${reason}（建议由${deptName(depts, suggestedDepartment)}办理）`,
              noteAudience: 'poster',
              data: { department: code, suggestedDepartment },
            },
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /**
     * The editor confirms a co-department's "not ours" (the named department — or another — gets a new part
     * with a fresh accept clock; none when it already works on the case) or sends it back.
     */
    async coHandover(
      actor: Actor,
      id: string,
      code: string,
      input: { confirm: boolean; department?: string; note?: string },
    ): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      if (input.department) await mustDepartment(input.department);
      const acceptDueAt = await dueIn((await settings()).deadlines.accept, clock.now());
      let added: string | null = null;
      const { doc, applied } = await mutate(actingOnPart(actor, 'handover'), id, 'handover', PART_CASE_STATES, (d) => {
        const part = partFor(d, code, 'handover');
        if (!part.handover) throw partConflict(part, 'handover');
        if (!input.confirm) {
          const { handover: _dropped, ...rest } = part;
          return {
            set: withPart(d, code, { ...rest, state: part.handover.fromState }),
            events: [{ type: 'co_handover_refused', by, note: input.note, data: { department: code } }],
          };
        }
        const target = input.department ?? part.handover.suggestedDepartment;
        if (target === code) throw new AppError('WENZHENG_SAME_DEPARTMENT');
        // Already on the case (the lead, or another co-department): the part just ends.
        const already = target === d.department || partsOf(d).some((p) => p.department === target);
        added = already ? null : target;
        return {
          set: withPart(d, code, null, added ? [newPart(added, acceptDueAt)] : []),
          events: [
            {
              type: 'co_handover_confirmed',
              by,
              note: input.note,
              noteAudience: 'public',
              data: { from: code, department: added, acceptDueAt: added ? acceptDueAt : null },
            },
          ],
        };
      });
      if (applied && added) await notify.coDepartments(doc, [added], '待协办', acceptDueAt);
      return viewFor(actor, doc);
    },
  };
}
