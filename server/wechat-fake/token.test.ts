import { APP_ID, APP_SECRET, useWechatFake } from './test-helpers';

describe('WeChat fake: access tokens and the rules common to token-protected endpoints', () => {
  const wx = useWechatFake();
  const stable = (extra: Record<string, unknown> = {}) =>
    wx.postJson('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, ...extra });
  const phoneCall = (token: string) => wx.postJson(`/wxa/business/getuserphonenumber?access_token=${token}`, { code: 'x' });

  it('stable_token returns the same token while it has more than 5 minutes left, with the remaining lifetime', async () => {
    const first = await stable();
    expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    wx.fake.control.advanceClock(1000 * 1000);
    const second = await stable();
    expect(second.access_token).toBe(first.access_token);
    expect(second.expires_in).toBe(6200);
  });

  it('stable_token renews in the last 5 minutes while the old token stays valid until it expires', async () => {
    const first = (await stable()).access_token as string;
    wx.fake.control.advanceClock((7200 - 299) * 1000);
    const renewed = await stable();
    expect(renewed.access_token).not.toBe(first);
    expect(renewed.expires_in).toBe(7200);
    expect(await phoneCall(first)).toMatchObject({ errcode: 40029 });
    wx.fake.control.advanceClock(300 * 1000);
    expect(await phoneCall(first)).toMatchObject({ errcode: 42001 });
  });

  it('force_refresh issues a new token, revokes the old one, and is refused within 30 s (45011)', async () => {
    const first = (await stable()).access_token as string;
    const forced = await stable({ force_refresh: true });
    expect(forced.access_token).not.toBe(first);
    expect(await phoneCall(first)).toMatchObject({ errcode: 40001 });
    expect(await stable({ force_refresh: true })).toMatchObject({ errcode: 45011 });
    wx.fake.control.advanceClock(30_000);
    expect(await stable({ force_refresh: true })).toHaveProperty('access_token');
  });

  it('force_refresh is limited to 20 a day (45009)', async () => {
    for (let i = 0; i < 20; i++) {
      expect(await stable({ force_refresh: true })).toHaveProperty('access_token');
      wx.fake.control.advanceClock(31_000);
    }
    expect(await stable({ force_refresh: true })).toMatchObject({ errcode: 45009 });
  });

  it('stable_token checks grant_type, appid and secret', async () => {
    expect(await stable({ grant_type: 'authorization_code' })).toMatchObject({ errcode: 40002 });
    expect(await stable({ appid: 'wx_nope' })).toMatchObject({ errcode: 40013 });
    expect(await stable({ secret: 'nope' })).toMatchObject({ errcode: 40125 });
  });

  it('GET /cgi-bin/token issues a new token each call and keeps the previous one 5 more minutes', async () => {
    const params = { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET };
    const a = (await wx.get('/cgi-bin/token', params)).access_token as string;
    const b = await wx.get('/cgi-bin/token', params);
    expect(b).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    expect(b.access_token).not.toBe(a);
    expect(await phoneCall(a)).toMatchObject({ errcode: 40029 });
    wx.fake.control.advanceClock(5 * 60_000);
    expect(await phoneCall(a)).toMatchObject({ errcode: 42001 });
    expect(await phoneCall(b.access_token as string)).toMatchObject({ errcode: 40029 });
  });

  it('answers 41001 without access_token, 40001 for an unknown or revoked one', async () => {
    expect(await wx.postJson('/wxa/business/getuserphonenumber', { code: 'x' })).toMatchObject({ errcode: 41001 });
    expect(await phoneCall('not-a-token')).toMatchObject({ errcode: 40001 });
    const token = await wx.accessToken();
    await wx.post('/__fake/revoke-tokens', {});
    expect(await phoneCall(token)).toMatchObject({ errcode: 40001 });
  });

  it('answers 47001 for access_token in the body and for non-JSON bodies, 44002 for an empty one', async () => {
    const token = await wx.accessToken();
    const path = `/wxa/business/getuserphonenumber?access_token=${token}`;
    expect(await wx.postJson('/wxa/business/getuserphonenumber', { code: 'x', access_token: token })).toMatchObject({ errcode: 47001 });
    expect(await wx.postJson(path, null, { raw: 'code=x', contentType: 'application/x-www-form-urlencoded' })).toMatchObject({
      errcode: 47001,
    });
    expect(await wx.postJson(path, null, { raw: '' })).toMatchObject({ errcode: 44002 });
  });

  it('answers 43302 to GET on a POST-only endpoint, always with HTTP 200', async () => {
    const res = await fetch(`${wx.fake.url}/wxa/msg_sec_check?access_token=${await wx.accessToken()}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ errcode: 43302 });
  });

  it('fail-next makes the next calls to a path fail with the chosen errcode, and counts calls', async () => {
    await wx.post('/__fake/fail-next', { path: '/cgi-bin/stable_token', errcode: -1, times: 2 });
    expect(await stable()).toMatchObject({ errcode: -1 });
    expect(await stable()).toMatchObject({ errcode: -1 });
    expect(await stable()).toHaveProperty('access_token');
    const calls = (await (await fetch(`${wx.fake.url}/__fake/calls`)).json()) as Record<string, number>;
    expect(calls['/cgi-bin/stable_token']).toBe(3);
  });
});
