import type { ConsoleTodoCounts } from '@shared/schemas/console';
import { authorize, can, type Actor } from '../../core/auth';
import type { CirclesService } from '../circles';
import type { MerchantsService } from '../merchants';
import type { SubmissionsService } from '../submissions';
import type { WenzhengService } from '../wenzheng';

export interface ConsolePorts {
  submissions: Pick<SubmissionsService, 'editorQueueCount'>;
  wenzheng: Pick<WenzhengService, 'todoCounts'>;
  circles: Pick<CirclesService, 'pendingApplicationCount'>;
  merchants: Pick<MerchantsService, 'pendingApplicationCount' | 'pendingPromotionCount'>;
}

/** The roles that work at the console's desk and own at least one to-do queue. */
export const TODO_ROLES = ['editor', 'department_staff', 'admin'] as const;

export type ConsoleService = ReturnType<typeof createConsoleService>;

/** What the staff console needs beyond the modules' own endpoints: the to-do badges, one request per page load. */
export function createConsoleService({ submissions, wenzheng, circles, merchants }: ConsolePorts) {
  return {
    /** Counts for the queues the actor's roles own; each module counts its own queue (and checks the role again). */
    async todo(actor: Actor): Promise<ConsoleTodoCounts> {
      authorize(actor, { anyOf: TODO_ROLES });
      const editor = can(actor, { role: 'editor' });
      const [queue, cases, correspondents, merchantApps, promotions] = await Promise.all([
        editor ? submissions.editorQueueCount(actor) : undefined,
        wenzheng.todoCounts(actor),
        editor ? circles.pendingApplicationCount(actor) : undefined,
        editor ? merchants.pendingApplicationCount(actor) : undefined,
        editor ? merchants.pendingPromotionCount(actor) : undefined,
      ]);
      return {
        ...(queue === undefined ? {} : { submissions: queue }),
        ...cases,
        ...(correspondents === undefined ? {} : { correspondentApplications: correspondents }),
        ...(merchantApps === undefined ? {} : { merchantApplications: merchantApps }),
        ...(promotions === undefined ? {} : { promotions }),
      };
    },
  };
}
