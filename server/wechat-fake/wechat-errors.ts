import { randomBytes } from 'node:crypto';

/** The errmsg texts WeChat answers with (before its ", rid: …" suffix). */
const ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40129: 'invalid scene',
  40163: 'code been used',
  40169: 'invalid length for scene, or the data is not json string',
  40226: 'high risk user, can not login',
  41001: 'access_token missing',
  41030: 'invalid page',
  42001: 'access_token expired',
  43101: 'user refuse to accept the msg',
  43302: 'require POST method',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!',
};

export interface WechatErrorBody {
  errcode: number;
  errmsg: string;
}

/** A WeChat-style error body; `detail` is appended like WeChat does (e.g. "argument invalid! data.thing1.value invalid"). */
export function wechatError(errcode: number, detail?: string): WechatErrorBody {
  const base = ERRMSG[errcode] ?? 'unknown error';
  const text = detail ? `${base} ${detail}` : base;
  return { errcode, errmsg: `${text}, rid: ${randomBytes(12).toString('hex')}` };
}

/** Thrown inside route handlers; the app answers it as HTTP 200 with the WeChat error body. */
export class WechatFakeError extends Error {
  constructor(
    readonly errcode: number,
    readonly detail?: string,
  ) {
    super(`wechat errcode ${errcode}`);
  }
}
