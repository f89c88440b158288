import { z } from 'zod';
import { newPasswordSchema, userViewSchema } from './users';

/** POST /api/v1/auth/wechat-login — the code from Taro.login (single use, 5 minutes). */
export const wechatLoginBodySchema = z.object({ code: z.string().trim().min(1).max(128) }).strict();
export type WechatLoginBody = z.infer<typeof wechatLoginBodySchema>;

/** POST /api/v1/auth/staff-login — desktop console accounts. */
export const staffLoginBodySchema = z
  .object({
    // Not the creation rules: a login with a malformed name is just wrong credentials, counted like any other.
    username: z.string().trim().toLowerCase().min(1).max(64),
    password: z.string().min(1).max(128),
  })
  .strict();
export type StaffLoginBody = z.infer<typeof staffLoginBodySchema>;

/** Refresh tokens are opaque: 43 base64url characters. */
export const refreshTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, '刷新凭证格式无效');

/** POST /api/v1/auth/refresh and POST /api/v1/auth/logout. */
export const refreshBodySchema = z.object({ refreshToken: refreshTokenSchema }).strict();
export type RefreshBody = z.infer<typeof refreshBodySchema>;
export const logoutBodySchema = refreshBodySchema;
export type LogoutBody = RefreshBody;

/** Every login and refresh answers with a new pair. The refresh token replaces the one sent. */
export const authSessionResponseSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    /** Access-token lifetime in seconds. */
    expiresIn: z.number().int(),
    user: userViewSchema,
  })
  .strict();
export type AuthSessionResponse = z.infer<typeof authSessionResponseSchema>;

/** POST /api/v1/auth/password — a staff member changes their own password; every other session ends. */
export const changePasswordBodySchema = z
  .object({
    currentPassword: z.string().min(1).max(128),
    newPassword: newPasswordSchema,
  })
  .strict()
  .refine((b) => b.currentPassword !== b.newPassword, { message: '新密码不能与当前密码相同', path: ['newPassword'] });
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

/** POST /api/v1/admin/users/:id/password — an admin sets a staff account's password (its sessions all end). */
export const resetPasswordBodySchema = z.object({ password: newPasswordSchema }).strict();
