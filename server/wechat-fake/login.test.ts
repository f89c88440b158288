import { APP_ID, APP_SECRET, useWechatFake } from './test-helpers';

describe('WeChat fake: code2Session, phone numbers and login-code control', () => {
  const wx = useWechatFake();
  const exchange = (code: string, overrides: Record<string, string> = {}) =>
    wx.get('/sns/jscode2session', { appid: APP_ID, secret: APP_SECRET, js_code: code, grant_type: 'authorization_code', ...overrides });

  it('exchanges a minted login code for openid, session_key and the unionid given at mint time', async () => {
    const minted = await wx.postJson('/__fake/login-code', { openid: 'oAlice0000000000000000000001', unionid: 'uAlice' });
    expect(minted.openid).toBe('oAlice0000000000000000000001');
    const session = await exchange(minted.code as string);
    expect(session).toEqual({ openid: 'oAlice0000000000000000000001', session_key: expect.any(String), unionid: 'uAlice' });
    expect(Buffer.from(session.session_key as string, 'base64')).toHaveLength(16);
  });

  it('mints a random 28-char openid when none is given and omits unionid', async () => {
    const minted = await wx.postJson('/__fake/login-code', {});
    expect(minted.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    const session = await exchange(minted.code as string);
    expect(session.openid).toBe(minted.openid);
    expect(session).not.toHaveProperty('unionid');
  });

  it('refuses a reused code with 40163 and an unknown code with 40029', async () => {
    const { code } = wx.fake.control.mintLoginCode();
    await exchange(code);
    expect(await exchange(code)).toMatchObject({ errcode: 40163, errmsg: expect.stringMatching(/, rid: /) });
    expect(await exchange('no-such-code')).toMatchObject({ errcode: 40029 });
  });

  it('expires codes after 5 minutes (40029)', async () => {
    const { code } = wx.fake.control.mintLoginCode();
    await wx.postJson('/__fake/clock', { advanceMs: 5 * 60_000 + 1 });
    expect(await exchange(code)).toMatchObject({ errcode: 40029 });
  });

  it('checks appid (40013), secret (40125) and grant_type (40002) before touching the code', async () => {
    const { code } = wx.fake.control.mintLoginCode();
    expect(await exchange(code, { appid: 'wx_other' })).toMatchObject({ errcode: 40013 });
    expect(await exchange(code, { secret: 'wrong' })).toMatchObject({ errcode: 40125 });
    expect(await exchange(code, { grant_type: 'client_credential' })).toMatchObject({ errcode: 40002 });
    expect(await exchange(code)).toHaveProperty('openid');
  });

  it('blocks configured high-risk users with 40226', async () => {
    const { code, openid } = wx.fake.control.mintLoginCode();
    const res = await fetch(`${wx.fake.url}/__fake/risky-users`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openids: [openid] }),
    });
    expect(res.status).toBe(200);
    expect(await exchange(code)).toMatchObject({ errcode: 40226 });
  });

  it('rate-limits one user to 100 exchanges a minute (45011) and lets them in again a minute later', async () => {
    const openid = 'oBusy00000000000000000000001';
    for (let i = 0; i < 100; i++) expect(await exchange(wx.fake.control.mintLoginCode({ openid }).code)).toHaveProperty('openid');
    expect(await exchange(wx.fake.control.mintLoginCode({ openid }).code)).toMatchObject({ errcode: 45011 });
    expect(await exchange(wx.fake.control.mintLoginCode().code)).toHaveProperty('openid');
    wx.fake.control.advanceClock(60_001);
    expect(await exchange(wx.fake.control.mintLoginCode({ openid }).code)).toHaveProperty('openid', openid);
  });

  it('answers CORS preflight and adds CORS headers on /__fake/login-code only', async () => {
    const preflight = await fetch(`${wx.fake.url}/__fake/login-code`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:10086', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeTruthy();
    const other = await fetch(`${wx.fake.url}/__fake/calls`, { headers: { origin: 'http://localhost:10086' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects malformed control bodies with 400 and a message', async () => {
    const res = await wx.post('/__fake/login-code', { openid: 'bad id!', extra: 1 });
    expect(res.status).toBe(400);
    expect(await res.json()).toHaveProperty('error');
  });

  it('returns phone_info for a minted phone code once, then 40029', async () => {
    const { code } = (await wx.postJson('/__fake/phone-code', { phoneNumber: '13800138000' })) as { code: string };
    const body = await wx.call('/wxa/business/getuserphonenumber', { code });
    expect(body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13800138000',
        purePhoneNumber: '13800138000',
        countryCode: '86',
        watermark: { timestamp: expect.any(Number), appid: APP_ID },
      },
    });
    expect(await wx.call('/wxa/business/getuserphonenumber', { code })).toMatchObject({ errcode: 40029 });
    expect(await wx.call('/wxa/business/getuserphonenumber', { code: 'bogus' })).toMatchObject({ errcode: 40029 });
  });
});
