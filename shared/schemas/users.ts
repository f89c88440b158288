import { z } from 'zod';
import { roleGrantSchema, roleSchema, scopeTypeSchema } from '../roles';

/** A 24-hex MongoDB ObjectId as it travels in URLs and bodies. */
// Lower-case only, as the server writes them: MongoDB reads ABC… and abc… as one document, but Redis keys built from
// the two spellings would differ (gates, limits), so only one spelling is accepted.
export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/, '不是有效的 ID');

/** A Chinese mainland mobile number masked for display: 138****8000. */
export const maskedPhoneSchema = z.string();

/** The user as every endpoint shows them. Never holds secrets (session_key, password hash, full phone). */
export const userViewSchema = z
  .object({
    id: objectIdSchema,
    nickname: z.string(),
    avatarUrl: z.string().nullable(),
    /** Town/district (乡镇/街道) the user lives in. */
    district: z.string().nullable(),
    /** Masked (138****8000), null until bound. */
    phone: maskedPhoneSchema.nullable(),
    roles: z.array(roleGrantSchema),
    /** Staff accounts sign in with a username (desktop console); WeChat users have none. */
    username: z.string().nullable(),
    /** Disabled accounts cannot sign in or refresh. */
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .strict();
export type UserView = z.infer<typeof userViewSchema>;

export const meResponseSchema = z.object({ user: userViewSchema }).strict();
export type MeResponse = z.infer<typeof meResponseSchema>;

// Control characters break layouts and logs; checked by code point to keep the regex linter quiet.
const noControlChars = (s: string) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

export const nicknameSchema = z
  .string()
  .trim()
  .min(1, '昵称不能为空')
  .max(20, '昵称最多 20 个字')
  .refine(noControlChars, '昵称含有不允许的字符');

/**
 * The name the server gives a new WeChat user (WeChat no longer hands out nicknames): 微信用户 + the openid's
 * last four characters. The app shows it as "not set yet" and invites the person to choose one.
 */
export const DEFAULT_NICKNAME_PREFIX = '微信用户';
const DEFAULT_NICKNAME = new RegExp(`^${DEFAULT_NICKNAME_PREFIX}[A-Za-z0-9_-]{4}$`);
export function isDefaultNickname(nickname: string): boolean {
  return DEFAULT_NICKNAME.test(nickname);
}

/** PATCH /api/v1/me — only what a person may change about themselves. */
export const updateMeBodySchema = z
  .object({
    nickname: nicknameSchema.optional(),
    avatarUrl: z.string().trim().max(512).url('头像地址无效').startsWith('https://', '头像地址必须是 https').nullable().optional(),
    /** An image the person uploaded (POST /api/v1/files), e.g. from <Button openType="chooseAvatar">: becomes the avatar. */
    avatarFileId: objectIdSchema.optional(),
    district: z.string().trim().min(1).max(30).refine(noControlChars, '所在乡镇含有不允许的字符').nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, '至少修改一项')
  .refine((b) => !(b.avatarFileId && b.avatarUrl !== undefined), { message: '头像只能给一个', path: ['avatarFileId'] });
export type UpdateMeBody = z.infer<typeof updateMeBodySchema>;

/** POST /api/v1/me/phone — the code from `<Button openType="getPhoneNumber">`. */
export const bindPhoneBodySchema = z.object({ code: z.string().trim().min(1).max(128) }).strict();
export type BindPhoneBody = z.infer<typeof bindPhoneBodySchema>;

// ── admin ──────────────────────────────────────────────────────────────────────

export const userIdParamsSchema = z.object({ id: objectIdSchema }).strict();

/** POST /api/v1/admin/users/:id/roles */
export const grantRoleBodySchema = roleGrantSchema;
export type GrantRoleBody = z.infer<typeof grantRoleBodySchema>;

/** DELETE /api/v1/admin/users/:id/roles?role=&scopeType=&scopeId= (DELETE carries no body). */
export const revokeRoleQuerySchema = z
  .object({
    role: roleSchema,
    scopeType: scopeTypeSchema.optional(),
    scopeId: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((q) => (q.scopeType === undefined) === (q.scopeId === undefined), 'scopeType 与 scopeId 必须同时提供');
export type RevokeRoleQuery = z.infer<typeof revokeRoleQuerySchema>;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名须以字母开头，3–32 位字母、数字、_ . -');

/** Console passwords: long beats clever (NIST 800-63B); a length cap keeps hashing cheap. */
export const newPasswordSchema = z.string().min(10, '密码至少 10 位').max(128, '密码最多 128 位');

/** POST /api/v1/admin/staff — a console account, optionally with its first roles. */
export const createStaffBodySchema = z
  .object({
    username: usernameSchema,
    password: newPasswordSchema,
    nickname: nicknameSchema,
    roles: z.array(roleGrantSchema).max(20).default([]),
  })
  .strict();
export type CreateStaffBody = z.infer<typeof createStaffBodySchema>;

export const listUsersQuerySchema = z
  .object({
    /** Matches nickname or username (substring, case-insensitive). */
    q: z.string().trim().min(1).max(50).optional(),
    role: roleSchema.optional(),
    /** The last id of the previous page. */
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const userListResponseSchema = z.object({ items: z.array(userViewSchema), nextCursor: objectIdSchema.nullable() }).strict();
export type UserListResponse = z.infer<typeof userListResponseSchema>;

/**
 * GET /api/v1/scopes/:scopeType/:scopeId/members — who holds roles in one circle/team/merchant/department, oldest
 * account first, a page at a time (`role`: only holders of that role in the scope). Paging fields as
 * paging.ts's idListPageQueryShape (not imported: paging.ts imports this file).
 */
export const scopeParamsSchema = z.object({ scopeType: scopeTypeSchema, scopeId: z.string().trim().min(1).max(64) }).strict();
export const scopeMembersQuerySchema = z
  .object({
    role: roleSchema.optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type ScopeMembersQuery = z.infer<typeof scopeMembersQuerySchema>;
export const scopeMemberSchema = z
  .object({ id: objectIdSchema, nickname: z.string(), avatarUrl: z.string().nullable(), roles: z.array(roleSchema) })
  .strict();
export type ScopeMember = z.infer<typeof scopeMemberSchema>;
export const scopeMembersResponseSchema = z.object({ items: z.array(scopeMemberSchema), nextCursor: objectIdSchema.nullable() }).strict();
export type ScopeMembersResponse = z.infer<typeof scopeMembersResponseSchema>;

// ── audit ──────────────────────────────────────────────────────────────────────

export const auditEntrySchema = z
  .object({
    id: objectIdSchema,
    actorId: objectIdSchema.nullable(),
    /** Who acted, by name: null for the system (seed, jobs) or an account that no longer exists. */
    actor: z.object({ nickname: z.string(), username: z.string().nullable() }).strict().nullable(),
    /** Dotted verb: role.grant, role.revoke, staff.create… */
    action: z.string(),
    /**
     * What was acted on. `label` reads it for people where its kind is known (a user's nickname, a circle's,
     * merchant's or goods' name, an article's title); null for other kinds or a target that no longer exists.
     */
    target: z.object({ type: z.string(), id: z.string(), label: z.string().nullable() }).strict().nullable(),
    details: z.record(z.string(), z.unknown()),
    /**
     * Names of what `details` mentions by id, keyed `type:id`: the scope a role grant is limited to (circle:…,
     * department:zjj) and a person (`user:…`, a channel admin added or removed). Absent: nothing names it.
     */
    names: z.record(z.string(), z.string()),
    requestId: z.string().nullable(),
    at: z.string(),
  })
  .strict();
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const listAuditQuerySchema = z
  .object({
    action: z.string().trim().min(1).max(64).optional(),
    actorId: objectIdSchema.optional(),
    targetId: z.string().trim().min(1).max(64).optional(),
    /** Entries at or after this instant (the console sends the start of a Shanghai day). */
    from: z.iso.datetime({ offset: true, message: '开始时间格式无效' }).optional(),
    /** Entries before this instant. */
    to: z.iso.datetime({ offset: true, message: '结束时间格式无效' }).optional(),
    cursor: objectIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: '结束时间须晚于开始时间', path: ['to'] });
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;

export const auditListResponseSchema = z.object({ items: z.array(auditEntrySchema), nextCursor: objectIdSchema.nullable() }).strict();
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;
