import type { TemplateKey } from '@shared/schemas/notifications';
import type { Config } from '../../config';
import { keywordType } from '../../core/wechat';

/** A subscribe-message template: its WeChat id and which keyword carries which of our fields. */
export interface Template {
  id: string;
  /** field → keyword, e.g. { title: 'thing1', status: 'phrase2' }. */
  fields: Readonly<Record<string, string>>;
}
export type Templates = Readonly<Record<TemplateKey, Template>>;

/**
 * The keywords of the templates as picked in the WeChat console. An operator who picks a template with other
 * keywords overrides them with NOTIFICATION_TEMPLATE_FIELDS; the ids come from the WENZHENG_TEMPLATE_* and
 * TEMPLATE_* settings.
 */
const DEFAULT_FIELDS: Readonly<Record<TemplateKey, Readonly<Record<string, string>>>> = {
  wenzhengProgress: { title: 'thing1', status: 'phrase2', time: 'time3', note: 'thing4' },
  wenzhengTask: { title: 'thing1', status: 'phrase2', due: 'time3' },
  wenzhengEscalation: { title: 'thing1', department: 'thing2', status: 'phrase3', due: 'time4' },
  wenzhengDigest: { title: 'thing1', open: 'number2', overdue: 'number3', date: 'date4' },
  wenzhengLeaderCopy: { title: 'thing1', department: 'thing2', status: 'phrase3', time: 'time4' },
  pointsExpiry: { title: 'thing1', points: 'number2', date: 'date3' },
  couponExpiry: { title: 'thing1', expiresAt: 'time2', hint: 'thing3' },
  campaignLaunch: { title: 'thing1', startsOn: 'date2', hint: 'thing3' },
  volunteerWaitlist: { title: 'thing1', startsAt: 'time2', hint: 'thing3' },
  activityReminder: { title: 'thing1', startsAt: 'time2', place: 'thing3', hint: 'thing4' },
  applicationResult: { title: 'thing1', result: 'phrase2', reason: 'thing3', time: 'time4' },
  reviewResult: { title: 'thing1', result: 'phrase2', note: 'thing3', time: 'time4' },
  contestResult: { title: 'thing1', result: 'thing2', time: 'time3' },
  commentReply: { title: 'thing1', content: 'thing2', replier: 'thing3', time: 'time4' },
};

/** The templates this deployment sends: ids and keywords from configuration (unknown overrides fail at startup). */
export function templatesFrom(config: Config): Templates {
  const w = config.wenzheng.templates;
  const t = config.templates;
  const ids: Record<TemplateKey, string> = {
    wenzhengProgress: w.progress,
    wenzhengTask: w.task,
    wenzhengEscalation: w.escalation,
    wenzhengDigest: w.digest,
    wenzhengLeaderCopy: w.leaderCopy,
    pointsExpiry: t.pointsExpiry,
    couponExpiry: t.couponExpiry,
    campaignLaunch: t.campaignLaunch,
    volunteerWaitlist: t.volunteerWaitlist,
    activityReminder: t.activityReminder,
    applicationResult: t.applicationResult,
    reviewResult: t.reviewResult,
    contestResult: t.contestResult,
    commentReply: t.commentReply,
  };
  const overrides = config.notifications.fieldOverrides;
  for (const [key, fields] of Object.entries(overrides)) {
    if (!(key in DEFAULT_FIELDS)) throw new Error(`NOTIFICATION_TEMPLATE_FIELDS names an unknown template: ${key}`);
    for (const [field, keyword] of Object.entries(fields)) {
      if (!(field in DEFAULT_FIELDS[key as TemplateKey])) throw new Error(`NOTIFICATION_TEMPLATE_FIELDS: ${key} has no field ${field}`);
      if (keywordType(keyword) === keyword) throw new Error(`NOTIFICATION_TEMPLATE_FIELDS: ${key}.${field} is not a keyword`);
    }
  }
  const entries = (Object.keys(DEFAULT_FIELDS) as TemplateKey[]).map((key) => [
    key,
    Object.freeze({ id: ids[key], fields: Object.freeze({ ...DEFAULT_FIELDS[key], ...overrides[key] }) }),
  ]);
  return Object.freeze(Object.fromEntries(entries) as Record<TemplateKey, Template>);
}
