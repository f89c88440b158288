export {
  createWechatClient,
  SEC_CHECK_SCENE,
  type ContentSuggest,
  type SecCheckScene,
  type WechatClient,
  type WechatClientOptions,
  type WechatSession,
} from './wechat-client';
export { WechatApiError, isWechatApiError } from './wechat-api-error';
export { verifyPushSignature, parseMediaCheckEvent, type MediaCheckResult } from './push';
export { clip, formatSubscribeValue, keywordType, subscribeValueProblem, type SubscribeValue } from './subscribe-values';
