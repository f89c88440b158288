/**
 * The lead department's work on a case: it accepts (the answer clock starts), answers, asks for more time
 * (an editor decides), or says "not ours" naming who should take it (an editor confirms the hand-over).
 */
import type { CaseView } from '@shared/schemas/wenzheng';
import { authorize, type Actor } from '../../core/auth';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { HANDLER_ROLES, actingOn } from './access';
import { START_STATES, answerDays, nextState, onTime } from './case-rules';
import { freshClock, withPart } from './case-fields';
import { step } from './case-store';
import { CENTRE, handlerLabel } from './event-authors';
import type { WenzhengParts } from './parts';
import { calendar, departments, dueIn, mustDepartment, settings } from './reference-data';
import { addWorkingDays } from './working-days';

export function createDepartmentWorkflow({ clock, mutate, notify, views, byOf }: WenzhengParts) {
  const { viewFor } = views;
  return {
    async accept(actor: Actor, id: string): Promise<CaseView> {
      authorize(actor, HANDLER_ROLES);
      const s = await settings();
      const depts = await departments();
      const { doc } = await mutate(actingOn(actor, 'accept'), id, 'accept', START_STATES.accept, async (d) => {
        const now = clock.now();
        const answerDueAt = await dueIn(answerDays(s.deadlines, d.type), now);
        const to = nextState('accept', d.state);
        return {
          to,
          set: { answerDueAt, ...freshClock },
          events: [
            step(d, to, {
              type: 'accepted',
              by: await byOf(actor, handlerLabel(actor, d, depts)),
              noteAudience: 'public',
              data: { department: d.department, answerDueAt, onTime: onTime(d.acceptDueAt, now) },
            }),
          ],
        };
      });
      await notify.followers(doc, '已受理');
      return viewFor(actor, doc);
    },

    async answer(actor: Actor, id: string, text: string): Promise<CaseView> {
      authorize(actor, HANDLER_ROLES);
      const depts = await departments();
      const { doc } = await mutate(actingOn(actor, 'answer'), id, 'answer', START_STATES.answer, async (d) => {
        const now = clock.now();
        const to = nextState('answer', d.state);
        return {
          to,
          set: { answer: { text, at: now, department: d.department, by: oid(actor.id) } },
          events: [
            step(d, to, {
              type: 'answered',
              by: await byOf(actor, handlerLabel(actor, d, depts)),
              note: text,
              noteAudience: 'public',
              data: { department: d.department, answerDueAt: d.answerDueAt ?? null, onTime: onTime(d.answerDueAt, now) },
            }),
          ],
        };
      });
      await notify.followers(doc, '已答复', text);
      return viewFor(actor, doc);
    },

    async requestExtension(actor: Actor, id: string, days: number, reason: string): Promise<CaseView> {
      authorize(actor, HANDLER_ROLES);
      const depts = await departments();
      const { doc } = await mutate(actingOn(actor, 'extension'), id, 'extension', START_STATES.extension, async (d) => {
        if (d.extension?.status === 'pending') throw new AppError('WENZHENG_EXTENSION_PENDING');
        return {
          set: { extension: { days, reason, status: 'pending' } },
          events: [
            {
              type: 'extension_requested',
              by: await byOf(actor, handlerLabel(actor, d, depts)),
              note: reason,
              data: { department: d.department, days },
            },
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** An editor approves (the answer deadline moves by the days asked, in working days) or denies an extension. */
    async decideExtension(actor: Actor, id: string, approve: boolean, note?: string): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      const cal = await calendar();
      const { doc } = await mutate(actingOn(actor, 'decide_extension'), id, 'decide_extension', START_STATES.decide_extension, (d) => {
        if (d.extension?.status !== 'pending') throw new AppError('WENZHENG_NO_EXTENSION');
        const answerDueAt = approve && d.answerDueAt ? addWorkingDays(d.answerDueAt, d.extension.days, cal) : d.answerDueAt;
        return {
          set: {
            extension: { ...d.extension, status: approve ? 'approved' : 'denied' },
            ...(approve ? { answerDueAt, ...freshClock } : {}),
          },
          events: [
            {
              type: 'extension_decided',
              by,
              note,
              noteAudience: 'poster',
              data: { department: d.department, approved: approve, days: d.extension.days, answerDueAt: answerDueAt ?? null },
            },
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** "Not ours": the department names who should take it; the case waits for the editor to confirm. */
    async decline(actor: Actor, id: string, suggestedDepartment: string, reason: string): Promise<CaseView> {
      authorize(actor, HANDLER_ROLES);
      const depts = await departments();
      if (!depts.has(suggestedDepartment)) throw new AppError('WENZHENG_DEPARTMENT_NOT_FOUND', { details: { code: suggestedDepartment } });
      const { doc } = await mutate(actingOn(actor, 'decline'), id, 'decline', START_STATES.decline, async (d) => {
        if (d.department === suggestedDepartment) throw new AppError('WENZHENG_SAME_DEPARTMENT');
        const to = nextState('decline', d.state);
        return {
          to,
          set: { handover: { suggestedDepartment, reason, fromState: d.state } },
          events: [
            step(d, to, {
              type: 'declined',
              by: await byOf(actor, handlerLabel(actor, d, depts)),
              note: `${reason}（建议由${depts.get(suggestedDepartment)!.name}办理）`,
              noteAudience: 'poster',
              data: { department: d.department, suggestedDepartment },
            }),
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** The editor confirms a hand-over (to the suggested or another department: a new accept clock) or sends it back. */
    async handover(actor: Actor, id: string, input: { confirm: boolean; department?: string; note?: string }): Promise<CaseView> {
      authorize(actor, { role: 'editor' });
      const by = await byOf(actor, CENTRE);
      const s = await settings();
      if (input.department) await mustDepartment(input.department);
      const acceptDueAt = await dueIn(s.deadlines.accept, clock.now());
      const { doc, applied } = await mutate(actingOn(actor, 'handover'), id, 'handover', START_STATES.handover, (d) => {
        const from = d.handover!;
        const to = nextState('handover', d.state, { confirm: input.confirm, declinedFrom: from.fromState });
        if (!input.confirm) {
          return {
            to,
            unset: ['handover'],
            events: [step(d, to, { type: 'handover_refused', by, note: input.note, data: { department: d.department } })],
          };
        }
        const department = input.department ?? from.suggestedDepartment;
        if (department === d.department) throw new AppError('WENZHENG_SAME_DEPARTMENT');
        return {
          to,
          unset: ['handover', 'answerDueAt', 'extension'],
          set: { department, ...withPart(d, department, null), acceptDueAt, ...freshClock },
          events: [
            step(d, to, {
              type: 'handover_confirmed',
              by,
              note: input.note,
              noteAudience: 'public',
              data: { from: d.department, department, acceptDueAt },
            }),
          ],
        };
      });
      if (applied && input.confirm) await notify.handlers(doc, '待受理', acceptDueAt);
      return viewFor(actor, doc);
    },
  };
}
