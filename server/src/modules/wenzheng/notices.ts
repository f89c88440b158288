/**
 * Subscribe messages about cases: to the citizens following one, its handlers, co-departments, the
 * propaganda department, copied county leaders, heads on escalation, and the morning digest. A refused or
 * failed send never fails the action.
 */
import type { WenzhengTemplates } from '../../config';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { WechatClient } from '../../core/wechat';
import type { UsersService } from '../users';
import { propagandaCodes } from './reference-data';
import type { CaseDoc } from './wenzheng.model';
import { localDateTime } from './working-days';

const CASE_PAGE = 'subpackages/wenzheng/pages/case/index';
const QUEUE_PAGE = 'subpackages/wenzheng/pages/queue/index';

/** Subscribe-message `thing` values hold at most 20 characters. */
const thing = (s: string) => {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length <= 20 ? chars.join('') : `${chars.slice(0, 19).join('')}…`;
};

export interface NoticesDeps {
  clock: Clock;
  logger: Logger;
  wechat: Pick<WechatClient, 'sendSubscribeMessage'>;
  users: Pick<UsersService, 'openidOf' | 'scopeMemberIds'>;
  templates: WenzhengTemplates;
}

export type Notices = ReturnType<typeof createNotices>;

export function createNotices({ clock, logger, wechat, users, templates }: NoticesDeps) {
  async function send(userIds: readonly string[], templateId: string, data: Record<string, string>, page: string): Promise<void> {
    for (const userId of new Set(userIds)) {
      try {
        const openid = await users.openidOf(userId);
        if (!openid) continue;
        await wechat.sendSubscribeMessage({ touser: openid, templateId, page, data });
      } catch (err) {
        logger.warn({ err, userId, templateId }, 'wenzheng subscribe message not sent');
      }
    }
  }
  const pageOf = (doc: CaseDoc) => `${CASE_PAGE}?id=${doc._id.toHexString()}`;

  async function staffOf(type: 'department' | 'grid', id: string): Promise<string[]> {
    const role = type === 'department' ? 'department_staff' : 'grid_leader';
    return users.scopeMemberIds({ type, id }, [role]);
  }

  async function handlersOf(doc: CaseDoc): Promise<string[]> {
    const ids = doc.department ? await staffOf('department', doc.department) : [];
    if (doc.tier === 'grid' && doc.gridId) ids.push(...(await staffOf('grid', doc.gridId)));
    return ids;
  }

  /** A task for staff: the case, what happened, and its deadline (now when there is none). */
  async function task(userIds: readonly string[], doc: CaseDoc, status: string, due: Date | undefined): Promise<void> {
    await send(
      userIds,
      templates.task,
      { thing1: thing(doc.title), phrase2: status, time3: localDateTime(due ?? clock.now()) },
      pageOf(doc),
    );
  }

  /** To a department's heads and the propaganda department's staff, about a department's case or part. */
  async function escalation(doc: CaseDoc, heads: readonly string[], propaganda: readonly string[], department: string, due: Date) {
    await send(
      [...heads, ...(await Promise.all(propaganda.map((p) => staffOf('department', p)))).flat()],
      templates.escalation,
      { thing1: thing(doc.title), thing2: thing(department), phrase3: '已超期', time4: localDateTime(due) },
      pageOf(doc),
    );
  }

  return {
    async followers(doc: CaseDoc, status: string, note?: string): Promise<void> {
      const data: Record<string, string> = { thing1: thing(doc.title), phrase2: status, time3: localDateTime(clock.now()) };
      if (note) data.thing4 = thing(note);
      await send(
        doc.followers.map((f) => f.toHexString()),
        templates.progress,
        data,
        pageOf(doc),
      );
    },

    /** The case's lead department (and the grid's 三长 on a grid case). */
    async handlers(doc: CaseDoc, status: string, due: Date | undefined): Promise<void> {
      await task(await handlersOf(doc), doc, status, due);
    },

    async propaganda(doc: CaseDoc, status: string): Promise<void> {
      await task((await Promise.all((await propagandaCodes()).map((c) => staffOf('department', c)))).flat(), doc, status, undefined);
    },

    /** Each co-department's staff: a new part, a reminder, overdue. */
    async coDepartments(doc: CaseDoc, codes: readonly string[], status: string, due?: Date): Promise<void> {
      for (const code of codes) await task(await staffOf('department', code), doc, status, due);
    },

    async leaderCopy(doc: CaseDoc, leaderIds: readonly string[], department: string): Promise<void> {
      await send(
        leaderIds,
        templates.leaderCopy,
        { thing1: thing(doc.title), thing2: thing(department), phrase3: '抄送', time4: localDateTime(clock.now()) },
        pageOf(doc),
      );
    },

    escalation,

    /** One department's morning figures (`catchUp`: a missed day sent late, with today's figures). */
    async digest(code: string, n: { open: number; overdue: number }, date: string, catchUp: boolean): Promise<void> {
      await send(
        await staffOf('department', code),
        templates.digest,
        { thing1: catchUp ? '问政每日提醒（补发）' : '问政每日提醒', number2: String(n.open), number3: String(n.overdue), date4: date },
        QUEUE_PAGE,
      );
    },
  };
}
