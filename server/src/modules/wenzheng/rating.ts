/** The citizen closes the loop: rates the answer, or, once after an unsatisfied rating, asks for the case to be worked again. */
import type { CaseView } from '@shared/schemas/wenzheng';
import type { Actor } from '../../core/auth';
import { AppError } from '../../core/errors';
import { actingOn } from './access';
import { START_STATES, answerDays, mayReopen, nextState } from './case-rules';
import { freshClock } from './case-fields';
import { step } from './case-store';
import { posterBy } from './event-authors';
import type { WenzhengParts } from './parts';
import { dueIn, settings } from './reference-data';

export function createRating({ clock, mutate, notify, views }: WenzhengParts) {
  const { viewFor } = views;
  return {
    async rate(actor: Actor, id: string, satisfied: boolean, comment?: string): Promise<CaseView> {
      const { doc } = await mutate(actingOn(actor, 'rate'), id, 'rate', START_STATES.rate, (d) => {
        const to = nextState('rate', d.state);
        return {
          to,
          set: { rating: { satisfied, at: clock.now(), ...(comment ? { comment } : {}) } },
          events: [
            step(d, to, {
              type: 'rated',
              by: posterBy(actor, d),
              note: comment,
              noteAudience: 'public',
              data: { department: d.department, satisfied },
            }),
          ],
        };
      });
      return viewFor(actor, doc);
    },

    /** Once, after an unsatisfied rating: back to the department with a fresh answer deadline. */
    async reopen(actor: Actor, id: string, reason: string): Promise<CaseView> {
      const s = await settings();
      const { doc } = await mutate(actingOn(actor, 'reopen'), id, 'reopen', START_STATES.reopen, async (d) => {
        if (!mayReopen(d)) throw new AppError('WENZHENG_REOPEN_USED');
        const answerDueAt = await dueIn(answerDays(s.deadlines, d.type), clock.now());
        const to = nextState('reopen', d.state);
        return {
          to,
          set: { reopenCount: d.reopenCount + 1, answerDueAt, ...freshClock },
          unset: ['rating', 'extension', 'answer'],
          events: [
            step(d, to, {
              type: 'reopened',
              by: posterBy(actor, d),
              note: reason,
              noteAudience: 'public',
              data: { department: d.department, answerDueAt },
            }),
          ],
        };
      });
      await notify.handlers(doc, '重新办理', doc.answerDueAt);
      return viewFor(actor, doc);
    },
  };
}
