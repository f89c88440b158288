import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { Redis } from 'ioredis';
import type { RateLimits } from '../../config';
import { createLimiter } from '../../core/rate-limit';

/** The mini-program's stable per-install id (services/request.ts), sent with every request. */
export const DEVICE_ID_HEADER = 'X-Device-Id';
const DEVICE_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** The caller's device id, or null when absent or malformed (then only the per-address ceiling applies). */
export function deviceIdOf(ctx: Context): string | null {
  const value = ctx.get(DEVICE_ID_HEADER);
  return DEVICE_ID.test(value) ? value : null;
}

const MINUTE = 60;
/** A WeChat code and a refresh token are single-use: a few tries cover a client's retries, more is a loop or a replay. */
const SINGLE_USE_TRIES = { points: 3, duration: MINUTE };
/** Codes and tokens are secrets of a sort: their hashes name the counters. */
const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

export interface LoginLimits {
  /** Before code2Session: this code, then this device, then this address. */
  wechatLogin(code: string, device: string | null, ip: string): Promise<void>;
  /** After code2Session, before any session is issued: this WeChat user. */
  wechatUser(openid: string): Promise<void>;
  refresh(refreshToken: string, device: string | null, ip: string): Promise<void>;
  /** Staff password sign-in: per device and address; the per-account lockout is in the service. */
  staffLogin(device: string | null, ip: string): Promise<void>;
}

/**
 * Sign-in budgets, narrowest first: a WeChat code or refresh token, the device, the WeChat user, and only
 * then the client address — with a ceiling sized for carrier NAT, where thousands of phones share one
 * address (and, without TRUST_PROXY, every caller is the load balancer). A refusal by a narrow budget
 * spends nothing of the address's, so one looping phone cannot lock out its neighbours.
 */
export function createLoginLimits(redis: Redis, limits: RateLimits): LoginLimits {
  const perMinute = (key: string, points: number) => createLimiter(redis, key, { points, duration: MINUTE });
  const code = createLimiter(redis, 'login-code', SINGLE_USE_TRIES);
  const token = createLimiter(redis, 'refresh-token', SINGLE_USE_TRIES);
  const device = perMinute('login-device', limits.loginPerDevice);
  const openid = perMinute('login-openid', limits.loginPerOpenid);
  const address = perMinute('login-ip', limits.ipPerMinute);
  const staffAddress = perMinute('login-staff-ip', limits.staffLoginPerIp);
  const byDevice = async (id: string | null) => {
    if (id) await device.consume(id);
  };

  return {
    async wechatLogin(wxCode, deviceId, ip) {
      await code.consume(digest(wxCode));
      await byDevice(deviceId);
      await address.consume(ip);
    },
    wechatUser: (id) => openid.consume(id),
    async refresh(refreshToken, deviceId, ip) {
      await token.consume(digest(refreshToken));
      await byDevice(deviceId);
      await address.consume(ip);
    },
    async staffLogin(deviceId, ip) {
      await byDevice(deviceId);
      await staffAddress.consume(ip);
    },
  };
}
