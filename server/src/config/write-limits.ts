import type { WriteLimitPlan } from '../core/rate-limit';
import type { RateLimits } from './config';

const MINUTE = 60;
const DAY = 24 * 3600;

/** Bounded by their own exactly-once gate or limit: a central limit would only add a Redis round trip. */
const OWN_GATE = {
  coupon: 'coupon gate (Redis): each person up to the per-person cap, once; a refusal costs the one gate call',
  vote: 'vote gate (Redis): per-person daily and per-entry vote caps',
  mall: 'mall gate (Redis): per-person limits, under an Idempotency-Key',
  attendance: 'one conditional write per sign-up; the rest is refused by pure checks',
  login: 'own limits per WeChat code / openid / device / refresh token and per address (modules/auth/login-limits.ts)',
  wenzheng: 'own limit: 10 cases an hour per person (modules/wenzheng/index.ts)',
  push: "WeChat's servers, signature-checked; no user to count",
} as const;

/**
 * Which write route gets which budget. Every POST/PUT/PATCH/DELETE route not named here gets `write`
 * (per signed-in user and route); anonymous callers of a limited route count per address against the
 * NAT-sized ceiling. Uploads also have a per-user daily quota in the storage module (files and bytes).
 */
export function writeLimitPlan(limits: RateLimits): WriteLimitPlan {
  return {
    defaultBudget: 'write',
    budgets: {
      write: [{ points: limits.writesPerMinute, duration: MINUTE }],
      // Each call makes WeChat check text or a phone number, which has its own daily quota.
      checked: [{ points: limits.checkedWritesPerMinute, duration: MINUTE }],
      draft: [
        { points: limits.draftsPerMinute, duration: MINUTE },
        { points: limits.draftsPerDay, duration: DAY },
      ],
      upload: [{ points: limits.uploadsPerMinute, duration: MINUTE }],
    },
    anonymous: { points: limits.ipPerMinute, duration: MINUTE },
    routes: {
      'POST /api/v1/files': { budget: 'upload' },
      'POST /api/v1/submissions': { budget: 'draft' },
      'POST /api/v1/submissions/:id/submit': { budget: 'checked' },
      'PATCH /api/v1/me': { budget: 'checked' },
      'POST /api/v1/me/phone': { budget: 'checked' },
      'POST /api/v1/merchants/:id/promotions': { budget: 'checked' },
      'POST /api/v1/articles/:id/comments': { budget: 'checked' },

      'POST /api/v1/coupon-batches/:id/claim': { exempt: OWN_GATE.coupon },
      'POST /api/v1/contests/:id/entries/:entryId/votes': { exempt: OWN_GATE.vote },
      'POST /api/v1/mall/goods/:id/redeem': { exempt: OWN_GATE.mall },
      'POST /api/v1/volunteers/activities/:id/check-in': { exempt: OWN_GATE.attendance },
      'POST /api/v1/volunteers/activities/:id/check-out': { exempt: OWN_GATE.attendance },
      'POST /api/v1/auth/wechat-login': { exempt: OWN_GATE.login },
      'POST /api/v1/auth/staff-login': { exempt: OWN_GATE.login },
      'POST /api/v1/auth/refresh': { exempt: OWN_GATE.login },
      'POST /api/v1/wenzheng/cases': { exempt: OWN_GATE.wenzheng },
      'POST /api/v1/wechat/push': { exempt: OWN_GATE.push },
    },
  };
}
