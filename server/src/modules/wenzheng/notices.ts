/**
 * Notices about cases, raised through the notifications outbox (an in-app message each, a subscribe message to
 * those who consented): to the citizens following one, its handlers, co-departments, the propaganda department,
 * copied county leaders, heads on escalation, and the morning digest. A notice never fails the action.
 */
import type { TemplateKey } from '@shared/schemas/notifications';
import type { Clock } from '../../core/clock';
import type { SubscribeValue } from '../../core/wechat';
import type { NotificationsService } from '../notifications';
import type { UsersService } from '../users';
import { propagandaCodes } from './reference-data';
import type { CaseDoc } from './wenzheng.model';
import { localDateTime } from './working-days';

const CASE_PAGE = 'subpackages/wenzheng/pages/case/index';
const QUEUE_PAGE = 'subpackages/wenzheng/pages/queue/index';

export interface NoticesDeps {
  clock: Clock;
  notifications: Pick<NotificationsService, 'raiseEach'>;
  users: Pick<UsersService, 'scopeMemberIds'>;
}

export type Notices = ReturnType<typeof createNotices>;

interface Notice {
  /** De-duplication key (per person): the same event raised again — a job's retry — notifies nobody twice. */
  key: string;
  title: string;
  body: string;
  link: string;
  templateKey: TemplateKey;
  data: Record<string, SubscribeValue | undefined>;
}

export function createNotices({ clock, notifications, users }: NoticesDeps) {
  async function send(userIds: readonly string[], notice: Notice): Promise<void> {
    const { key, title, body, link, templateKey, data } = notice;
    await notifications.raiseEach(
      [...new Set(userIds)].map((userId) => ({
        userId,
        kind: 'wenzheng' as const,
        key,
        title,
        body,
        link,
        subscribe: { templateKey, data },
      })),
    );
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

  const caseKey = (doc: CaseDoc) => `${doc._id.toHexString()}:r${doc.reopenCount}`;

  /**
   * A task for staff: the case, what happened, and its deadline (now when there is none). Keyed by the deadline:
   * the clock job's reminder for one deadline goes out once however often it runs; without a deadline every event
   * is its own.
   */
  async function task(userIds: readonly string[], doc: CaseDoc, status: string, due: Date | undefined): Promise<void> {
    await send(userIds, {
      key: `wenzheng:task:${caseKey(doc)}:${status}:${(due ?? clock.now()).getTime()}`,
      title: `问政待办：${status}`,
      body: `「${doc.title}」${due ? `，办理期限 ${localDateTime(due)}` : ''}`,
      link: pageOf(doc),
      templateKey: 'wenzhengTask',
      data: { title: doc.title, status, due: due ?? clock.now() },
    });
  }

  /** To a department's heads and the propaganda department's staff, about a department's case or part. */
  async function escalation(doc: CaseDoc, heads: readonly string[], propaganda: readonly string[], department: string, due: Date) {
    await send([...heads, ...(await Promise.all(propaganda.map((p) => staffOf('department', p)))).flat()], {
      key: `wenzheng:escalation:${caseKey(doc)}:${department}:${due.getTime()}`,
      title: '问政超期督办',
      body: `「${doc.title}」${department} 已超期（期限 ${localDateTime(due)}）`,
      link: pageOf(doc),
      templateKey: 'wenzhengEscalation',
      data: { title: doc.title, department, status: '已超期', due },
    });
  }

  return {
    /** The case's followers: its poster and the posters of merged duplicates. */
    async followers(doc: CaseDoc, status: string, note?: string): Promise<void> {
      await send(
        doc.followers.map((f) => f.toHexString()),
        {
          key: `wenzheng:progress:${caseKey(doc)}:${status}`,
          title: `你的问政${status}`,
          body: note ? `「${doc.title}」${note}` : `「${doc.title}」`,
          link: pageOf(doc),
          templateKey: 'wenzhengProgress',
          data: { title: doc.title, status, time: clock.now(), note },
        },
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
      await send(leaderIds, {
        key: `wenzheng:leader-copy:${caseKey(doc)}:${department}`,
        title: '问政抄送',
        body: `「${doc.title}」已交 ${department} 办理，抄送你知悉`,
        link: pageOf(doc),
        templateKey: 'wenzhengLeaderCopy',
        data: { title: doc.title, department, status: '抄送', time: clock.now() },
      });
    },

    escalation,

    /** One department's morning figures (`catchUp`: a missed day sent late, with today's figures). Once per day. */
    async digest(code: string, n: { open: number; overdue: number }, date: string, catchUp: boolean): Promise<void> {
      const title = catchUp ? '问政每日提醒（补发）' : '问政每日提醒';
      await send(await staffOf('department', code), {
        key: `wenzheng:digest:${code}:${date}`,
        title,
        body: `${date}：在办 ${n.open} 件，超期 ${n.overdue} 件`,
        link: QUEUE_PAGE,
        templateKey: 'wenzhengDigest',
        data: { title, open: n.open, overdue: n.overdue, date },
      });
    },
  };
}
