import { z } from 'zod';

/**
 * Error kinds: what sort of failure a code is. The server maps each kind to one HTTP status
 * (server/src/core/errors/status-table.ts); the mini-program uses the kind to decide whether to
 * retry, re-login or just show the message. The rule every code follows (README › Status codes,
 * pinned by shared/errors.test.ts):
 *
 *   kind               status  when
 *   invalid            400     the request itself is malformed: unparseable, the wrong shape, fails its schema or
 *                              a rule visible in the request alone (an end before its start)
 *   unauthenticated    401     no, expired, revoked or wrong credentials (token, login password or code, a push
 *                              signature): the client signs in again
 *   forbidden          403     who you are may not do this: role, scope, ownership or membership
 *   not_found          404     it does not exist, or you may not know that it exists
 *   timeout            408     the request was not fully sent in time (answered before routing)
 *   conflict           409     the target's current state forbids it: a step its state machine does not allow, a
 *                              time window not open yet or already closed, already done, a duplicate
 *   gone               410     the thing the request names or presents (a code, a coupon, a batch's or goods'
 *                              stock, a redemption) has expired, run out or been cancelled, for everyone
 *   too_large          413     the body or file is over its limit
 *   unprocessable      422     well-formed, but its content breaks a rule checked against stored data (a wrong
 *                              check-in code, too far away, threshold not met, incomplete or risky content), or
 *                              the caller's own quota or precondition (per-user limit, daily votes, points, phone)
 *   rate_limited       429     too many requests or attempts in a short time (Retry-After)
 *   headers_too_large  431     the request line or headers are over Node's limit (answered before routing)
 *   internal           500     our bug; never for anything the client did
 *   unavailable        503     a dependency is down or a result is still being confirmed: retry shortly
 *
 * Tie-breaks: 403 when the answer depends on who the caller is, 422 when the caller can change the request
 * or their own state (bind a phone, wait for tomorrow's votes). 409 when the same request could succeed on
 * the target in another state (a time window is state), 422 when the request's content must change. 410
 * only for a thing that expired, ran out or was cancelled.
 */
export const ERROR_KINDS = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'timeout',
  'conflict',
  'gone',
  'too_large',
  'unprocessable',
  'rate_limited',
  'headers_too_large',
  'internal',
  'unavailable',
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
  STATS_RANGE_INVALID: { kind: 'invalid', message: '日期范围无效：开始日期不能晚于结束日期，且最多 366 天' },
  CONSOLE_NOT_BUILT: { kind: 'unavailable', message: '后台尚未构建：请运行 npm run build:console（npm start 会自动构建）' },
  INTERNAL_ERROR: { kind: 'internal', message: '服务器开小差了，请稍后再试' },
  BAD_REQUEST: { kind: 'invalid', message: '请求格式有误' },
  REQUEST_HEADER_TOO_LARGE: { kind: 'headers_too_large', message: '请求地址或请求头过长' },
  REQUEST_TIMEOUT: { kind: 'timeout', message: '请求发送超时，请重试' },

  // ── auth / identity ─────────────────────────────────────────────────────────
  AUTH_REQUIRED: { kind: 'unauthenticated', message: '请先登录' },
  TOKEN_EXPIRED: { kind: 'unauthenticated', message: '登录已过期，请重新登录' },
  TOKEN_INVALID: { kind: 'unauthenticated', message: '登录凭证无效，请重新登录' },
  TOKEN_REVOKED: { kind: 'unauthenticated', message: '已退出登录，请重新登录' },
  FORBIDDEN: { kind: 'forbidden', message: '没有权限进行此操作' },

  // ── identity (login, tokens, staff accounts, roles) ─────────────────────────
  INVALID_CREDENTIALS: { kind: 'unauthenticated', message: '用户名或密码错误' },
  ACCOUNT_LOCKED: { kind: 'rate_limited', message: '尝试次数过多，账号已临时锁定，请稍后再试' },
  ACCOUNT_DISABLED: { kind: 'forbidden', message: '账号已停用，请联系管理员' },
  REFRESH_TOKEN_INVALID: { kind: 'unauthenticated', message: '登录状态已失效，请重新登录' },
  REFRESH_TOKEN_REUSED: { kind: 'unauthenticated', message: '登录凭证已被使用过，为保护账号安全请重新登录' },
  ROLE_NOT_GRANTABLE: { kind: 'invalid', message: '该角色不能这样授予' },
  ROLE_NOT_HELD: { kind: 'not_found', message: '该用户没有这个角色' },
  SELF_ADMIN_REVOKE: { kind: 'forbidden', message: '不能撤销自己的管理员角色' },
  USER_NOT_FOUND: { kind: 'not_found', message: '用户不存在' },
  USERNAME_TAKEN: { kind: 'conflict', message: '用户名已被使用' },
  PHONE_TAKEN: { kind: 'conflict', message: '该手机号已绑定其他账号' },
  PHONE_REQUIRES_WECHAT: { kind: 'forbidden', message: '请在微信小程序中绑定手机号' },
  CURRENT_PASSWORD_WRONG: { kind: 'unprocessable', message: '当前密码不正确' },
  NOT_A_STAFF_ACCOUNT: { kind: 'forbidden', message: '只有后台账号可以使用密码' },

  // ── wechat (errors of WeChat's API that reach people) ───────────────────────
  WECHAT_CODE_INVALID: { kind: 'unauthenticated', message: '登录凭证无效，请重新进入小程序' },
  WECHAT_CODE_USED: { kind: 'unauthenticated', message: '登录凭证已使用，请重新进入小程序' },
  WECHAT_USER_BLOCKED: { kind: 'forbidden', message: '该微信账号存在安全风险，暂时无法登录' },
  WECHAT_PHONE_CODE_INVALID: { kind: 'gone', message: '手机号授权已失效，请重新授权' },
  WECHAT_SUBSCRIPTION_REFUSED: { kind: 'unprocessable', message: '用户未订阅该消息或订阅次数已用完' },
  WECHAT_RATE_LIMITED: { kind: 'rate_limited', message: '微信接口调用太频繁，请稍后再试' },
  WECHAT_UNAVAILABLE: { kind: 'unavailable', message: '微信服务暂时不可用，请稍后再试' },

  // ── newsroom (articles, circles, correspondents, submissions, uploads) ──────
  ARTICLE_NOT_FOUND: { kind: 'not_found', message: '文章不存在或已下线' },
  ARTICLE_ALREADY_PUBLISHED: { kind: 'conflict', message: '文章已发布，不能再修改发布时间' },
  /** A feed query or an article naming a column that is not configured (or is switched off). */
  COLUMN_UNKNOWN: { kind: 'unprocessable', message: '栏目不存在或已停用' },
  COLUMN_NOT_FOUND: { kind: 'not_found', message: '栏目不存在' },
  COLUMN_KEY_TAKEN: { kind: 'conflict', message: '栏目标识已被使用' },
  COLUMN_BUILTIN: { kind: 'conflict', message: '系统默认栏目不能删除，可以停用' },
  COLUMN_IN_USE: { kind: 'conflict', message: '栏目下还有文章，不能删除，可以停用' },
  COLUMN_LIMIT: { kind: 'conflict', message: '栏目数量已达上限' },
  COLUMN_ORDER_STALE: { kind: 'conflict', message: '栏目列表已变化，请刷新后重新排序' },
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
  PUSH_SIGNATURE_INVALID: { kind: 'unauthenticated', message: '推送签名无效' },
  UPLOAD_DAILY_QUOTA: { kind: 'rate_limited', message: '今天上传的图片已达上限，明天再来吧' },

  // ── comments (评论, 回复, 举报, 审核) ─────────────────────────────────────────
  COMMENT_NOT_FOUND: { kind: 'not_found', message: '评论不存在或已删除' },
  COMMENT_STATE_CONFLICT: { kind: 'conflict', message: '评论当前状态不允许此操作' },
  COMMENT_ALREADY_REPORTED: { kind: 'conflict', message: '你已经举报过这条评论' },

  // ── volunteers (teams, activities, sign-up, check-in) ───────────────────────
  TEAM_NOT_FOUND: { kind: 'not_found', message: '志愿队伍不存在' },
  TEAM_NAME_TAKEN: { kind: 'conflict', message: '已有同名的志愿队伍' },
  JOIN_REQUEST_NOT_FOUND: { kind: 'not_found', message: '入队申请不存在' },
  JOIN_REQUEST_PENDING: { kind: 'conflict', message: '你已提交入队申请，请等待队长审核' },
  JOIN_REQUEST_DECIDED: { kind: 'conflict', message: '该入队申请已处理' },
  ALREADY_TEAM_MEMBER: { kind: 'conflict', message: '你已经是该队伍的成员' },
  ACTIVITY_NOT_FOUND: { kind: 'not_found', message: '志愿活动不存在' },
  ACTIVITY_TEAM_ONLY: { kind: 'forbidden', message: '该活动仅限本队队员报名' },
  SIGNUP_CLOSED: { kind: 'conflict', message: '报名已截止' },
  NOT_SIGNED_UP: { kind: 'forbidden', message: '你没有报名该活动，不能签到' },
  CHECKIN_CODE_INVALID: { kind: 'unprocessable', message: '签到码无效，请扫描队长手机上的签到码' },
  CHECKIN_CODE_EXPIRED: { kind: 'gone', message: '签到码已过期，请重新扫描队长手机上的最新签到码' },
  CHECKIN_CODE_REQUIRED: { kind: 'unprocessable', message: '该活动没有设置签到范围，请扫描队长手机上的动态签到码' },
  CHECKIN_WINDOW_NOT_OPEN: { kind: 'conflict', message: '签到时间还没到' },
  CHECKIN_WINDOW_CLOSED: { kind: 'conflict', message: '活动已结束，签到已关闭' },
  LOCATION_REQUIRED: { kind: 'unprocessable', message: '请允许获取位置后再签到' },
  TOO_FAR_FROM_ACTIVITY: { kind: 'unprocessable', message: '你离活动地点太远了' },
  NOT_CHECKED_IN: { kind: 'conflict', message: '还没有签到，不能签退' },
  SIGNUP_CANCEL_TOO_LATE: { kind: 'conflict', message: '活动已开始或你已签到，不能取消报名' },
  /** The reminder job's own: another run claimed this sign-up's reminder first (never answered to a request). */
  REMINDER_ALREADY_SENT: { kind: 'conflict', message: '活动提醒已发送' },
  ATTENDANCE_CONFIRMED: { kind: 'conflict', message: '服务时长已确认，不能再修改' },
  CORRECTION_INVALID: { kind: 'invalid', message: '签退时间不能早于签到时间' },

  // ── merchants & coupons (企业之家, 领券, 核销, 消费券抽签) ─────────────────────
  MERCHANT_NOT_FOUND: { kind: 'not_found', message: '商户不存在' },
  MERCHANT_APPLICATION_PENDING: { kind: 'conflict', message: '你已有一份待审核的商户入驻申请' },
  MERCHANT_STATE_CONFLICT: { kind: 'conflict', message: '商户当前状态不允许此操作' },
  MERCHANT_INVITE_INVALID: { kind: 'gone', message: '邀请码无效或已过期' },
  PROMOTION_NOT_FOUND: { kind: 'not_found', message: '活动不存在' },
  PROMOTION_STATE_CONFLICT: { kind: 'conflict', message: '活动当前状态不允许此操作' },
  COUPON_BATCH_NOT_FOUND: { kind: 'not_found', message: '优惠券不存在' },
  COUPON_BATCH_INVALID: { kind: 'invalid', message: '优惠券设置有误' },
  COUPON_NOT_STARTED: { kind: 'conflict', message: '还没到领券时间' },
  COUPON_ENDED: { kind: 'conflict', message: '领券已结束' },
  COUPON_SOLD_OUT: { kind: 'gone', message: '券已抢完' },
  COUPON_LIMIT_REACHED: { kind: 'unprocessable', message: '已达到每人限领数量' },
  COUPON_CLAIM_PENDING: { kind: 'unavailable', message: '领取结果确认中，请稍后在“我的券”查看' },
  COUPON_GATE_RECOVERING: { kind: 'unavailable', message: '领券通道正在恢复，请几秒后再试' },
  COUPON_LOTTERY_ONLY: { kind: 'conflict', message: '该券通过报名抽签发放，请报名参加' },
  COUPON_NOT_LOTTERY: { kind: 'conflict', message: '该券不是抽签发放' },
  COUPON_SIGNUP_CLOSED: { kind: 'conflict', message: '不在报名时间内' },
  COUPON_ALREADY_SIGNED_UP: { kind: 'conflict', message: '你已报名' },
  COUPON_DRAW_NOT_READY: { kind: 'conflict', message: '报名尚未结束，不能抽签' },
  COUPON_ALREADY_DRAWN: { kind: 'conflict', message: '已经抽过签了' },
  COUPON_NOT_FOUND: { kind: 'not_found', message: '券不存在' },
  COUPON_ALREADY_USED: { kind: 'conflict', message: '该券已核销，不能重复使用' },
  COUPON_EXPIRED: { kind: 'gone', message: '券已过期' },
  COUPON_NOT_YET_VALID: { kind: 'conflict', message: '券还未到使用时间' },
  COUPON_WRONG_MERCHANT: { kind: 'forbidden', message: '该券不能在本店使用' },
  COUPON_THRESHOLD_NOT_MET: { kind: 'unprocessable', message: '消费金额未达到使用门槛' },

  // ── points (ledger, earning rules, points mall, 核销) ───────────────────────────
  POINTS_INSUFFICIENT: { kind: 'unprocessable', message: '积分不足' },
  POINTS_AMOUNT_INVALID: { kind: 'invalid', message: '积分数量必须是正整数' },
  POINTS_KEY_CONFLICT: { kind: 'conflict', message: '该操作已用不同的内容记过账' },
  POINTS_BUSY: { kind: 'unavailable', message: '积分账户繁忙，请稍后再试' },
  GOODS_NOT_FOUND: { kind: 'not_found', message: '商品不存在或已下架' },
  GOODS_INVALID: { kind: 'invalid', message: '商品设置有误' },
  GOODS_NOT_ACTIVE: { kind: 'conflict', message: '商品不在兑换时间内' },
  GOODS_SOLD_OUT: { kind: 'gone', message: '商品已兑完' },
  GOODS_LIMIT_REACHED: { kind: 'unprocessable', message: '已达到每人限兑数量' },
  SHIPPING_REQUIRED: { kind: 'unprocessable', message: '邮寄商品请填写收件信息' },
  REDEMPTION_NOT_FOUND: { kind: 'not_found', message: '兑换记录不存在' },
  REDEMPTION_CODE_INVALID: { kind: 'not_found', message: '兑换码无效' },
  REDEMPTION_ALREADY_FULFILLED: { kind: 'conflict', message: '该兑换码已核销，不能重复使用' },
  REDEMPTION_CANCELLED: { kind: 'gone', message: '该兑换已取消' },
  REDEMPTION_WRONG_OUTLET: { kind: 'forbidden', message: '该商品不在本网点兑换' },
  REDEMPTION_NOT_CANCELLABLE: { kind: 'conflict', message: '已核销或已取消的兑换不能取消' },
  // ── wenzheng (问政: cases, routing, departments, deadlines, boards) ─────────
  WENZHENG_CASE_NOT_FOUND: { kind: 'not_found', message: '问政事项不存在' },
  WENZHENG_STATE_CONFLICT: { kind: 'conflict', message: '问政事项当前状态不允许此操作' },
  WENZHENG_DEPARTMENT_NOT_FOUND: { kind: 'not_found', message: '部门不存在' },
  WENZHENG_NO_DEFAULT_DEPARTMENT: { kind: 'unprocessable', message: '该类别没有默认承办部门，请指定部门' },
  WENZHENG_GRID_REQUIRED: { kind: 'invalid', message: '经网格办理时必须指定网格' },
  WENZHENG_PRIVATE_CASE: { kind: 'conflict', message: '网友选择了不公开，不能公开此事项' },
  WENZHENG_MERGE_INVALID: { kind: 'unprocessable', message: '只能合并到附近仍在办理中的另一事项' },
  WENZHENG_EXTENSION_PENDING: { kind: 'conflict', message: '已有待审核的延期申请' },
  WENZHENG_NO_EXTENSION: { kind: 'conflict', message: '没有待审核的延期申请' },
  WENZHENG_REOPEN_USED: { kind: 'conflict', message: '每个事项只能申请重办一次，且需先给出不满意评价' },
  WENZHENG_SAME_DEPARTMENT: { kind: 'unprocessable', message: '转办部门不能是当前部门' },
  WENZHENG_NOT_CO_DEPARTMENT: { kind: 'not_found', message: '该部门不是此事项的协办部门' },
  WENZHENG_LEADER_NOT_FOUND: { kind: 'unprocessable', message: '抄送对象须为具有县领导角色的用户' },
  // ── contests & campaigns (征集评选, 投票, 评委, 专题活动) ─────────────────────
  CONTEST_NOT_FOUND: { kind: 'not_found', message: '比赛不存在' },
  CONTEST_PHASE_CLOSED: { kind: 'conflict', message: '比赛当前阶段不能进行此操作' },
  CONTEST_RESULTS_FINAL: { kind: 'conflict', message: '结果已公布，不能再修改' },
  RESULTS_NOT_PUBLISHED: { kind: 'conflict', message: '结果尚未公布' },
  ENTRY_NOT_FOUND: { kind: 'not_found', message: '作品不存在' },
  ENTRY_KIND_NOT_ALLOWED: { kind: 'unprocessable', message: '本比赛不接受这种作品' },
  ENTRY_SUBMISSION_NOT_APPROVED: { kind: 'unprocessable', message: '只有审核通过的稿件可以参赛' },
  ENTRY_DUPLICATE: { kind: 'conflict', message: '这篇稿件已经报名参赛' },
  ENTRY_LIMIT_REACHED: { kind: 'unprocessable', message: '参赛作品数量已达上限' },
  ENTRY_NOT_SHORTLISTED: { kind: 'conflict', message: '该作品未入围' },
  NOT_A_JUROR: { kind: 'forbidden', message: '你不是本比赛的评委' },
  VOTE_WECHAT_ONLY: { kind: 'forbidden', message: '请在微信小程序中登录后投票' },
  VOTE_DAILY_LIMIT: { kind: 'unprocessable', message: '今天的投票次数已用完，明天再来吧' },
  VOTE_ENTRY_LIMIT: { kind: 'unprocessable', message: '今天已为该作品投过票' },
  VOTE_NOT_FOUND: { kind: 'not_found', message: '投票记录不存在' },
  VOTE_ALREADY_VOID: { kind: 'conflict', message: '该投票已作废' },
  VOTING_BUSY: { kind: 'unavailable', message: '正在核对票数，请稍后再投' },
  CAMPAIGN_NOT_FOUND: { kind: 'not_found', message: '专题活动不存在' },
  CAMPAIGN_TAG_TAKEN: { kind: 'conflict', message: '该活动标签已被使用' },
  VOTE_GATE_RECOVERING: { kind: 'unavailable', message: '投票通道正在恢复，请几秒后再试' },

  // ── notifications (message centre, subscription consent) ───────────────────
  MESSAGE_NOT_FOUND: { kind: 'not_found', message: '消息不存在' },
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
