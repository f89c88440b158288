import { AppError } from '../errors';
import { parseMediaCheckEvent, verifyPushSignature } from './push';

describe('WeChat push helpers', () => {
  it('accepts the documented signature test vector', () => {
    expect(
      verifyPushSignature({
        token: 'AAAAA',
        timestamp: '1714036504',
        nonce: '1514711492',
        signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696',
      }),
    ).toBe(true);
  });

  it('refuses a wrong token, a tampered signature and a non-hex signature', () => {
    const base = { token: 'AAAAA', timestamp: '1714036504', nonce: '1514711492', signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696' };
    expect(verifyPushSignature({ ...base, token: 'BBBBB' })).toBe(false);
    expect(verifyPushSignature({ ...base, signature: 'f464b24fc39322e44b38aa78f5edd27bd1441697' })).toBe(false);
    expect(verifyPushSignature({ ...base, signature: 'not hex' })).toBe(false);
  });

  const event = (label: unknown, suggest = 'risky') => ({
    ToUserName: 'gh_x',
    FromUserName: 'oSys',
    CreateTime: 1714036504,
    MsgType: 'event',
    Event: 'wxa_media_check',
    appid: 'wx_app',
    trace_id: 'trace-1',
    version: 2,
    result: { suggest, label },
    detail: [],
  });

  it('reads a media check event whether label is a number or a string', () => {
    expect(parseMediaCheckEvent(event(20002))).toEqual({ traceId: 'trace-1', appid: 'wx_app', suggest: 'risky', label: 20002 });
    expect(parseMediaCheckEvent(event('20002'))).toEqual({ traceId: 'trace-1', appid: 'wx_app', suggest: 'risky', label: 20002 });
  });

  it('returns null for other events and throws VALIDATION_FAILED for a malformed media check', () => {
    expect(parseMediaCheckEvent({ MsgType: 'event', Event: 'subscribe_msg_popup_event' })).toBeNull();
    expect(parseMediaCheckEvent('text')).toBeNull();
    expect(() => parseMediaCheckEvent(event(20002, 'maybe'))).toThrow(AppError);
    expect(() => parseMediaCheckEvent(event('abc'))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
