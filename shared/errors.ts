import { z } from 'zod';

/**
 * Error kinds: what sort of failure a code is. The server maps each kind to one HTTP status
 * (server/src/core/errors/status-table.ts); the mini-program uses the kind to decide whether to
 * retry, re-login or just show the message.
 */
export const ERROR_KINDS = [
  'invalid', // 400 — the request is malformed or fails validation
  'unauthenticated', // 401 — no/expired/invalid credentials
  'forbidden', // 403 — authenticated but not allowed (role, scope, ownership)
  'not_found', // 404
  'conflict', // 409 — illegal state transition, duplicate, already done
  'gone', // 410 — expired / used up for good
  'unprocessable', // 422 — well-formed but breaks a business rule (cap reached, too far away…)
  'too_large', // 413
  'rate_limited', // 429
  'unavailable', // 503 — a dependency is down
  'internal', // 500 — never for user error
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

interface ErrorDef {
  readonly kind: ErrorKind;
  /** Default Chinese message shown to people. A thrower may pass a more specific one. */
  readonly message: string;
}

/**
 * Every stable error code the API can answer with. Codes are English identifiers that never change
 * meaning; messages are Chinese for people. Modules add their codes here, grouped by module.
 */
export const ERROR_CODES = {
  // ── generic / core ──────────────────────────────────────────────────────────
  VALIDATION_FAILED: { kind: 'invalid', message: '请求参数有误' },
  BAD_JSON: { kind: 'invalid', message: '请求内容不是有效的 JSON' },
  PAYLOAD_TOO_LARGE: { kind: 'too_large', message: '请求内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { kind: 'invalid', message: '不支持的内容类型' },
  ROUTE_NOT_FOUND: { kind: 'not_found', message: '接口不存在' },
  NOT_FOUND: { kind: 'not_found', message: '内容不存在或已删除' },
  RATE_LIMITED: { kind: 'rate_limited', message: '操作太频繁，请稍后再试' },
  IDEMPOTENCY_KEY_REQUIRED: { kind: 'invalid', message: '缺少 Idempotency-Key 请求头' },
  IDEMPOTENCY_KEY_REUSED: { kind: 'conflict', message: '同一个 Idempotency-Key 用于了不同的请求' },
  REQUEST_IN_PROGRESS: { kind: 'conflict', message: '相同的请求正在处理中，请稍候' },
  SERVICE_UNAVAILABLE: { kind: 'unavailable', message: '服务暂时不可用，请稍后再试' },
  INTERNAL_ERROR: { kind: 'internal', message: '服务器开小差了，请稍后再试' },

  // ── auth / identity ─────────────────────────────────────────────────────────
  AUTH_REQUIRED: { kind: 'unauthenticated', message: '请先登录' },
  TOKEN_EXPIRED: { kind: 'unauthenticated', message: '登录已过期，请重新登录' },
  TOKEN_INVALID: { kind: 'unauthenticated', message: '登录凭证无效，请重新登录' },
  FORBIDDEN: { kind: 'forbidden', message: '没有权限进行此操作' },

  // ── identity (login, tokens, staff accounts, roles) ─────────────────────────
  INVALID_CREDENTIALS: { kind: 'unauthenticated', message: '用户名或密码错误' },
  ACCOUNT_LOCKED: { kind: 'rate_limited', message: '尝试次数过多，账号已临时锁定，请稍后再试' },
  ACCOUNT_DISABLED: { kind: 'forbidden', message: '账号已停用，请联系管理员' },
  REFRESH_TOKEN_INVALID: { kind: 'unauthenticated', message: '登录状态已失效，请重新登录' },
  REFRESH_TOKEN_REUSED: { kind: 'unauthenticated', message: '登录凭证已被使用过，为保护账号安全请重新登录' },
  ROLE_NOT_GRANTABLE: { kind: 'invalid', message: '该角色不能这样授予' },
  ROLE_NOT_HELD: { kind: 'not_found', message: '该用户没有这个角色' },
  SELF_ADMIN_REVOKE: { kind: 'conflict', message: '不能撤销自己的管理员角色' },
  USER_NOT_FOUND: { kind: 'not_found', message: '用户不存在' },
  USERNAME_TAKEN: { kind: 'conflict', message: '用户名已被使用' },
  PHONE_TAKEN: { kind: 'conflict', message: '该手机号已绑定其他账号' },
  PHONE_REQUIRES_WECHAT: { kind: 'unprocessable', message: '请在微信小程序中绑定手机号' },
  CURRENT_PASSWORD_WRONG: { kind: 'invalid', message: '当前密码不正确' },
  NOT_A_STAFF_ACCOUNT: { kind: 'forbidden', message: '只有后台账号可以使用密码' },

  // ── wechat (errors of WeChat's API that reach people) ───────────────────────
  WECHAT_CODE_INVALID: { kind: 'unauthenticated', message: '登录凭证无效，请重新进入小程序' },
  WECHAT_CODE_USED: { kind: 'unauthenticated', message: '登录凭证已使用，请重新进入小程序' },
  WECHAT_USER_BLOCKED: { kind: 'forbidden', message: '该微信账号存在安全风险，暂时无法登录' },
  WECHAT_PHONE_CODE_INVALID: { kind: 'invalid', message: '手机号授权已失效，请重新授权' },
  WECHAT_SUBSCRIPTION_REFUSED: { kind: 'unprocessable', message: '用户未订阅该消息或订阅次数已用完' },
  WECHAT_RATE_LIMITED: { kind: 'rate_limited', message: '微信接口调用太频繁，请稍后再试' },
  WECHAT_UNAVAILABLE: { kind: 'unavailable', message: '微信服务暂时不可用，请稍后再试' },

  // ── newsroom (articles, circles, correspondents, submissions, uploads) ──────
  ARTICLE_NOT_FOUND: { kind: 'not_found', message: '文章不存在或已下线' },
  CIRCLE_NOT_FOUND: { kind: 'not_found', message: '圈子不存在' },
  CHANNEL_NOT_FOUND: { kind: 'not_found', message: '单位分端不存在' },
  APPLICATION_NOT_FOUND: { kind: 'not_found', message: '申请不存在' },
  APPLICATION_PENDING: { kind: 'conflict', message: '你已有一份待审核的通讯员申请' },
  APPLICATION_DECIDED: { kind: 'conflict', message: '该申请已处理' },
  PHONE_REQUIRED: { kind: 'unprocessable', message: '请先绑定手机号' },
  SUBMISSION_NOT_FOUND: { kind: 'not_found', message: '稿件不存在' },
  SUBMISSION_STATE_CONFLICT: { kind: 'conflict', message: '稿件当前状态不允许此操作' },
  SUBMISSION_INCOMPLETE: { kind: 'unprocessable', message: '稿件信息不完整' },
  SUBMISSION_CLAIMED: { kind: 'conflict', message: '稿件已被其他编辑认领' },
  SELF_REVIEW_FORBIDDEN: { kind: 'forbidden', message: '不能审核自己的稿件' },
  CONTENT_RISKY: { kind: 'unprocessable', message: '内容未通过安全检测，请修改后再提交' },
  CONTENT_CHECK_PENDING: { kind: 'conflict', message: '图片安全检测尚未完成，请稍后再试' },
  ASSIGNMENT_NOT_FOUND: { kind: 'not_found', message: '选题不存在' },
  ASSIGNMENT_STATE_CONFLICT: { kind: 'conflict', message: '选题当前状态不允许此操作' },
  FILE_NOT_FOUND: { kind: 'not_found', message: '文件不存在' },
  FILE_TOO_LARGE: { kind: 'too_large', message: '图片不能超过 5MB' },
  FILE_TYPE_UNSUPPORTED: { kind: 'invalid', message: '只支持 JPEG、PNG、WebP、GIF 图片' },
  PUSH_SIGNATURE_INVALID: { kind: 'forbidden', message: '推送签名无效' },
} as const satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error body shape every endpoint answers with. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
