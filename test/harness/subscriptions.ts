import type { TemplateKey } from '@shared/schemas/notifications';
import type { LoggedIn } from './login-as';
import type { TestContext } from './test-context';

export interface SentMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
}

/**
 * What the mini-program does when a user taps 允许 in wx.requestSubscribeMessage: WeChat records the acceptance
 * (the fake's /__fake/subscriptions) and the app reports it to our server (POST /api/v1/me/subscriptions).
 * `times` acceptances of each template: the first report goes through the route, the rest through the service
 * (the route has the ordinary write limit, 30 a minute, which a suite giving staff many acceptances would hit).
 */
export async function acceptSubscriptions(t: TestContext, who: LoggedIn, keys: readonly TemplateKey[], times = 1): Promise<void> {
  const ids = t.services.notifications.templateIds();
  const results = Object.fromEntries(keys.map((k) => [ids[k]!, 'accept']));
  for (let i = 0; i < times; i += 1) {
    const res = await fetch(`${t.wechatUrl}/__fake/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: who.openid, results }),
    });
    if (!res.ok) throw new Error(`WeChat fake refused the acceptance: ${res.status} ${await res.text()}`);
    if (i > 0) {
      await t.services.notifications.consent.report(who.user.id, { results: results as Record<string, 'accept'> });
      continue;
    }
    const reported = await who.agent.post('/api/v1/me/subscriptions').send({ results });
    if (reported.status !== 200) throw new Error(`POST /api/v1/me/subscriptions → ${reported.status} ${JSON.stringify(reported.body)}`);
  }
}

/** The subscribe messages the WeChat fake delivered to `openid`. */
export async function subscribeMessagesTo(t: TestContext, openid: string): Promise<SentMessage[]> {
  const res = await fetch(`${t.wechatUrl}/__fake/subscribe-messages?touser=${encodeURIComponent(openid)}`);
  return ((await res.json()) as { messages: SentMessage[] }).messages;
}

/**
 * Makes the next `times` subscribe sends to this user answer `errcode` (43101: their subscriptions are gone). Per
 * openid, so suites running in parallel against the same fake never take each other's failures.
 */
export async function failSubscribeSends(t: TestContext, openid: string, errcode: number, times = 1): Promise<void> {
  const res = await fetch(`${t.wechatUrl}/__fake/subscribe-failures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid, errcode, times }),
  });
  if (!res.ok) throw new Error(`WeChat fake refused the failure: ${res.status} ${await res.text()}`);
}
