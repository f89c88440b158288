/**
 * The status-code rule (README › Status codes, shared/errors.ts): README's table says exactly what the
 * status table does, and every code's status is listed here, grouped by status, so a new code or a changed
 * kind is a reviewed edit of this list against the rule rather than a silent drift.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STATUS_BY_KIND } from '../server/src/core/errors/status-table';
import { ERROR_CODES, ERROR_KINDS, type ErrorCode } from './errors';

// prettier-ignore
const REVIEWED: Readonly<Record<number, readonly ErrorCode[]>> = {
  // malformed, or a rule visible in the request alone
  400: ['VALIDATION_FAILED', 'BAD_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'IDEMPOTENCY_KEY_REQUIRED', 'BAD_REQUEST', 'ROLE_NOT_GRANTABLE',
    'FILE_TYPE_UNSUPPORTED', 'CORRECTION_INVALID', 'COUPON_BATCH_INVALID', 'POINTS_AMOUNT_INVALID', 'GOODS_INVALID', 'WENZHENG_GRID_REQUIRED',
    'STATS_RANGE_INVALID'],
  // credentials
  401: ['AUTH_REQUIRED', 'TOKEN_EXPIRED', 'TOKEN_INVALID', 'TOKEN_REVOKED', 'INVALID_CREDENTIALS', 'REFRESH_TOKEN_INVALID',
    'REFRESH_TOKEN_REUSED', 'WECHAT_CODE_INVALID', 'WECHAT_CODE_USED', 'PUSH_SIGNATURE_INVALID'],
  // who you are
  403: ['FORBIDDEN', 'ACCOUNT_DISABLED', 'SELF_ADMIN_REVOKE', 'PHONE_REQUIRES_WECHAT', 'NOT_A_STAFF_ACCOUNT', 'WECHAT_USER_BLOCKED',
    'SELF_REVIEW_FORBIDDEN', 'ACTIVITY_TEAM_ONLY', 'NOT_SIGNED_UP', 'COUPON_WRONG_MERCHANT', 'REDEMPTION_WRONG_OUTLET', 'NOT_A_JUROR',
    'VOTE_WECHAT_ONLY'],
  404: ['ROUTE_NOT_FOUND', 'NOT_FOUND', 'ROLE_NOT_HELD', 'USER_NOT_FOUND', 'ARTICLE_NOT_FOUND', 'CIRCLE_NOT_FOUND', 'CHANNEL_NOT_FOUND',
    'APPLICATION_NOT_FOUND', 'SUBMISSION_NOT_FOUND', 'ASSIGNMENT_NOT_FOUND', 'FILE_NOT_FOUND', 'TEAM_NOT_FOUND', 'JOIN_REQUEST_NOT_FOUND',
    'ACTIVITY_NOT_FOUND', 'MERCHANT_NOT_FOUND', 'PROMOTION_NOT_FOUND', 'COUPON_BATCH_NOT_FOUND', 'COUPON_NOT_FOUND', 'GOODS_NOT_FOUND',
    'REDEMPTION_NOT_FOUND', 'REDEMPTION_CODE_INVALID', 'WENZHENG_CASE_NOT_FOUND', 'WENZHENG_DEPARTMENT_NOT_FOUND',
    'WENZHENG_NOT_CO_DEPARTMENT', 'CONTEST_NOT_FOUND', 'ENTRY_NOT_FOUND', 'VOTE_NOT_FOUND', 'CAMPAIGN_NOT_FOUND', 'COMMENT_NOT_FOUND',
    'COLUMN_NOT_FOUND', 'MESSAGE_NOT_FOUND'],
  408: ['REQUEST_TIMEOUT'],
  // the target's state: state machines, time windows (not yet / closed), already done, duplicates
  409: ['IDEMPOTENCY_KEY_REUSED', 'REMINDER_ALREADY_SENT', 'REQUEST_IN_PROGRESS', 'USERNAME_TAKEN', 'PHONE_TAKEN', 'APPLICATION_PENDING', 'APPLICATION_DECIDED',
    'SUBMISSION_STATE_CONFLICT', 'SUBMISSION_CLAIMED', 'CONTENT_CHECK_PENDING', 'ASSIGNMENT_STATE_CONFLICT', 'TEAM_NAME_TAKEN',
    'JOIN_REQUEST_PENDING', 'JOIN_REQUEST_DECIDED', 'ALREADY_TEAM_MEMBER', 'SIGNUP_CLOSED', 'CHECKIN_WINDOW_NOT_OPEN',
    'CHECKIN_WINDOW_CLOSED', 'NOT_CHECKED_IN', 'SIGNUP_CANCEL_TOO_LATE', 'ATTENDANCE_CONFIRMED', 'MERCHANT_APPLICATION_PENDING',
    'MERCHANT_STATE_CONFLICT', 'PROMOTION_STATE_CONFLICT', 'COUPON_NOT_STARTED', 'COUPON_ENDED', 'COUPON_LOTTERY_ONLY',
    'COUPON_NOT_LOTTERY', 'COUPON_SIGNUP_CLOSED', 'COUPON_ALREADY_SIGNED_UP', 'COUPON_DRAW_NOT_READY', 'COUPON_ALREADY_DRAWN',
    'COUPON_ALREADY_USED', 'COUPON_NOT_YET_VALID', 'POINTS_KEY_CONFLICT', 'GOODS_NOT_ACTIVE', 'REDEMPTION_ALREADY_FULFILLED',
    'REDEMPTION_NOT_CANCELLABLE', 'WENZHENG_STATE_CONFLICT', 'WENZHENG_PRIVATE_CASE', 'WENZHENG_EXTENSION_PENDING',
    'WENZHENG_NO_EXTENSION', 'WENZHENG_REOPEN_USED', 'CONTEST_PHASE_CLOSED', 'CONTEST_RESULTS_FINAL', 'RESULTS_NOT_PUBLISHED',
    'ENTRY_DUPLICATE', 'ENTRY_NOT_SHORTLISTED', 'VOTE_ALREADY_VOID', 'CAMPAIGN_TAG_TAKEN', 'COMMENT_STATE_CONFLICT',
    'COMMENT_ALREADY_REPORTED', 'ARTICLE_ALREADY_PUBLISHED', 'COLUMN_KEY_TAKEN', 'COLUMN_BUILTIN', 'COLUMN_IN_USE', 'COLUMN_LIMIT',
    'COLUMN_ORDER_STALE'],
  // a thing that expired, ran out or was cancelled, for everyone
  410: ['WECHAT_PHONE_CODE_INVALID', 'CHECKIN_CODE_EXPIRED', 'MERCHANT_INVITE_INVALID', 'COUPON_SOLD_OUT', 'COUPON_EXPIRED',
    'GOODS_SOLD_OUT', 'REDEMPTION_CANCELLED'],
  413: ['PAYLOAD_TOO_LARGE', 'FILE_TOO_LARGE'],
  // content against stored data, or the caller's own quota / precondition
  422: ['CURRENT_PASSWORD_WRONG', 'WECHAT_SUBSCRIPTION_REFUSED', 'PHONE_REQUIRED', 'SUBMISSION_INCOMPLETE', 'CONTENT_RISKY',
    'CHECKIN_CODE_INVALID', 'CHECKIN_CODE_REQUIRED', 'LOCATION_REQUIRED', 'TOO_FAR_FROM_ACTIVITY', 'COUPON_LIMIT_REACHED',
    'COUPON_THRESHOLD_NOT_MET', 'POINTS_INSUFFICIENT', 'GOODS_LIMIT_REACHED', 'SHIPPING_REQUIRED', 'WENZHENG_NO_DEFAULT_DEPARTMENT',
    'WENZHENG_MERGE_INVALID', 'WENZHENG_SAME_DEPARTMENT', 'WENZHENG_LEADER_NOT_FOUND', 'ENTRY_KIND_NOT_ALLOWED',
    'ENTRY_SUBMISSION_NOT_APPROVED', 'ENTRY_LIMIT_REACHED', 'VOTE_DAILY_LIMIT', 'VOTE_ENTRY_LIMIT', 'COLUMN_UNKNOWN'],
  429: ['RATE_LIMITED', 'ACCOUNT_LOCKED', 'WECHAT_RATE_LIMITED', 'UPLOAD_DAILY_QUOTA'],
  431: ['REQUEST_HEADER_TOO_LARGE'],
  500: ['INTERNAL_ERROR'],
  503: ['SERVICE_UNAVAILABLE', 'WECHAT_UNAVAILABLE', 'COUPON_CLAIM_PENDING', 'COUPON_GATE_RECOVERING', 'POINTS_BUSY', 'VOTING_BUSY',
    'VOTE_GATE_RECOVERING', 'CONSOLE_NOT_BUILT'],
};

function statusOf(code: ErrorCode): number {
  return STATUS_BY_KIND[ERROR_CODES[code].kind];
}

test("README's status-code table is the status table: every kind once, with its status", () => {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Status codes'), readme.indexOf('## Testing'));
  const rows = [...section.matchAll(/^\| `([a-z_]+)`\s*\| (\d{3})\s*\|/gm)].map((m) => [m[1], Number(m[2])]);
  expect(rows).toHaveLength(ERROR_KINDS.length);
  expect(Object.fromEntries(rows)).toEqual({ ...STATUS_BY_KIND });
});

test('every code answers the status it was reviewed for, and each is reviewed exactly once', () => {
  const listed = Object.values(REVIEWED).flat();
  expect([...listed].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  const mismatches = Object.entries(REVIEWED).flatMap(([status, codes]) =>
    codes.filter((code) => statusOf(code) !== Number(status)).map((code) => `${code}: reviewed ${status}, answers ${statusOf(code)}`),
  );
  expect(mismatches).toEqual([]);
});

test("the issue's examples follow the rule: a bad code 422, a stale one 410, too far 422; sold out 410, the per-user limit 422", () => {
  expect(
    ['CHECKIN_CODE_INVALID', 'CHECKIN_CODE_EXPIRED', 'TOO_FAR_FROM_ACTIVITY', 'COUPON_SOLD_OUT', 'COUPON_LIMIT_REACHED'].map((c) =>
      statusOf(c as ErrorCode),
    ),
  ).toEqual([422, 410, 422, 410, 422]);
});
