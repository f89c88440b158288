import type { TemplateKey } from '@shared/schemas/notifications';
import Taro from '@tarojs/taro';
import { notificationsApi } from './notifications.api';
import { devWechatFake } from './request';

/**
 * Consent to subscribe messages, asked the WeChat way: at the moment a user acts (posting a 问政 case…), for the
 * templates that action leads to, from the tap itself — WeChat refuses wx.requestSubscribeMessage outside a tap,
 * so the template ids are loaded beforehand (`preloadTemplates` when the page shows). Each accept allows the server
 * one message; the answer is reported to it. In the H5 dev build a dialog stands in for WeChat's and records the
 * answer at the WeChat fake, which refuses sends without it (as WeChat does).
 */

type Answer = 'accept' | 'reject' | 'ban' | 'filter';
const isH5 = process.env.TARO_ENV === 'h5';
let ids: Record<string, string> | null = null;
let loading: Promise<void> | null = null;

/** Loads the template ids (once; again after a failure). */
export function preloadTemplates(): Promise<void> {
  loading ??= notificationsApi
    .templates()
    .then((r) => {
      ids = r.templates;
    })
    .catch(() => {
      loading = null;
    });
  return loading;
}

/** What WeChat's dialog would ask, for the H5 stand-in. */
const LABELS: Partial<Record<TemplateKey, string>> = {
  wenzhengProgress: '问政办理进度',
  couponExpiry: '优惠券到期提醒',
  pointsExpiry: '积分过期提醒',
  campaignLaunch: '专题活动通知',
  volunteerWaitlist: '活动候补结果',
  activityReminder: '活动开始提醒',
  applicationResult: '申请审核结果',
  reviewResult: '审核结果',
  contestResult: '比赛结果',
  commentReply: '评论回复',
};

/**
 * The templates each action leads to — what askConsent asks for at that tap (at most 3: WeChat's limit per request).
 * The notices themselves are raised by the server (server/src/modules/notifications) whatever the answer.
 */
export const CONSENT_FOR = {
  wenzhengPost: ['wenzhengProgress'],
  activitySignUp: ['activityReminder', 'volunteerWaitlist'],
  couponGrab: ['couponExpiry'],
  correspondentApply: ['applicationResult'],
  merchantApply: ['applicationResult'],
  storySubmit: ['reviewResult'],
  contestEntry: ['contestResult'],
} as const satisfies Record<string, readonly TemplateKey[]>;

async function askInH5(keys: readonly TemplateKey[], tmplIds: string[]): Promise<Record<string, Answer>> {
  const names = keys.map((k) => LABELS[k] ?? k).join('、');
  const { confirm } = await Taro.showModal({
    title: '订阅消息',
    content: `是否接收「${names}」微信通知？`,
    confirmText: '允许',
    cancelText: '拒绝',
  });
  const results = Object.fromEntries(tmplIds.map((id) => [id, confirm ? 'accept' : 'reject'])) as Record<string, Answer>;
  const fake = await devWechatFake();
  if (fake) {
    await Taro.request({
      url: `${fake.url}/__fake/subscriptions`,
      method: 'POST',
      header: { 'Content-Type': 'application/json' },
      data: { openid: fake.openid, results },
      dataType: 'json',
    }).catch(() => undefined);
  }
  return results;
}

/**
 * Asks for `keys` and reports the answer; resolves with the template ids accepted. Never throws and never blocks
 * the action: a refusal, a closed dialog or ids not loaded yet just mean no subscribe message (the in-app message
 * comes anyway).
 */
export async function askConsent(keys: readonly TemplateKey[]): Promise<string[]> {
  // Not loaded yet (a tap right after the page opened): load them now. WeChat may then refuse the request as no
  // longer from the tap, which only means no subscription this time; the H5 stand-in asks either way.
  if (!ids) await preloadTemplates();
  const tmplIds = ids ? keys.map((k) => ids![k]).filter((id): id is string => Boolean(id)) : [];
  if (tmplIds.length === 0) return [];
  let results: Record<string, Answer>;
  try {
    if (isH5) {
      results = await askInH5(keys, tmplIds);
    } else {
      // The answer maps each template id to accept | reject | ban | filter, next to its errMsg.
      const answer = (await Taro.requestSubscribeMessage({ tmplIds, entityIds: [] })) as unknown as Record<string, string>;
      results = Object.fromEntries(
        tmplIds.filter((id) => ['accept', 'reject', 'ban', 'filter'].includes(answer[id] ?? '')).map((id) => [id, answer[id] as Answer]),
      );
    }
  } catch {
    return [];
  }
  if (Object.keys(results).length > 0) await notificationsApi.report(results).catch(() => undefined);
  return tmplIds.filter((id) => results[id] === 'accept');
}
