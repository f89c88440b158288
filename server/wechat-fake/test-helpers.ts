import { startWechatFake, type RunningWechatFake, type WechatFakeOptions } from './index';

export const APP_ID = 'wx_test_appid';
export const APP_SECRET = 'test_app_secret';

/** A fake started per test file plus small fetch helpers speaking to it over real HTTP. */
export function useWechatFake(options: Partial<WechatFakeOptions> = {}) {
  let fake: RunningWechatFake;
  beforeAll(async () => {
    fake = await startWechatFake({ appId: APP_ID, appSecret: APP_SECRET, ...options });
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.control.reset();
  });

  const api = {
    get fake() {
      return fake;
    },
    async get(path: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
      const res = await fetch(`${fake.url}${path}?${new URLSearchParams(params).toString()}`);
      return (await res.json()) as Record<string, unknown>;
    },
    async post(path: string, body: unknown, init: { raw?: string; contentType?: string } = {}): Promise<Response> {
      return fetch(`${fake.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': init.contentType ?? 'application/json' },
        body: init.raw ?? JSON.stringify(body),
      });
    },
    async postJson(path: string, body: unknown, init: { raw?: string; contentType?: string } = {}) {
      return (await (await api.post(path, body, init)).json()) as Record<string, unknown>;
    },
    async put(path: string, body: unknown): Promise<unknown> {
      const res = await fetch(`${fake.url}${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`PUT ${path} → ${res.status} ${await res.text()}`);
      return res.json();
    },
    async accessToken(): Promise<string> {
      const body = await api.postJson('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });
      return body.access_token as string;
    },
    /** POSTs to an access_token endpoint with a fresh stable token. */
    async call(path: string, body: unknown) {
      return api.postJson(`${path}?access_token=${await api.accessToken()}`, body);
    },
  };
  return api;
}
