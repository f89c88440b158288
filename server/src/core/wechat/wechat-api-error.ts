/**
 * An errcode answer from WeChat's API. The client turns the ones people can act on into AppErrors;
 * the rest (bad config, our own bugs) stay WechatApiErrors and end as a logged 500.
 */
export class WechatApiError extends Error {
  constructor(
    /** The API path that answered, e.g. /wxa/msg_sec_check. */
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${api} answered errcode ${errcode}: ${errmsg}`);
    this.name = 'WechatApiError';
  }
}

export function isWechatApiError(err: unknown, ...errcodes: number[]): err is WechatApiError {
  return err instanceof WechatApiError && (errcodes.length === 0 || errcodes.includes(err.errcode));
}
