import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { Types, type QueryFilter } from 'mongoose';
import { roleGrantProblem, type Role, type RoleGrant, type Scope } from '@shared/roles';
import { DEFAULT_NICKNAME_PREFIX } from '@shared/schemas/users';
import type {
  CreateStaffBody,
  ListUsersQuery,
  ScopeMember,
  ScopeMembersQuery,
  ScopeMembersResponse,
  UpdateMeBody,
  UserListResponse,
  UserView,
} from '@shared/schemas/users';
import type { Actor as AuthActor, TokenChecks } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { containsPattern, isDuplicateKey, pageByIdAsc, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import { SEC_CHECK_SCENE, type WechatClient } from '../../core/wechat';
import type { AuditService } from '../audit';
import { createUserFigures } from './user-figures';
import { UserModel, type RoleGrantDoc, type UserDoc } from './users.model';

export interface UsersServiceDeps {
  clock: Clock;
  wechat: Pick<WechatClient, 'getPhoneNumber' | 'msgSecCheck'>;
  audit: AuditService;
  /** The app's token checks: a role change retires the user's older access tokens in every process. */
  tokenChecks: Pick<TokenChecks, 'publishRolesVersion'>;
  /** The person's own uploads (the storage service): an uploaded avatar is looked up here, never trusted as a URL. */
  uploads: { imagesOf(ownerId: string, ids: readonly string[]): Promise<Array<{ url: string; safety: string }>> };
}

/**
 * Who performs a privileged action, for authorization already done by the route and for the audit entry: the
 * part of core/auth's Actor this service reads (internal callers such as circles pass only these).
 */
export type Actor = Pick<AuthActor, 'id' | 'requestId'>;

/** What tokens are issued from: current roles and their version. */
export interface Principal {
  id: string;
  roles: RoleGrant[];
  rolesVersion: number;
}

/** 13800138000 → 138****8000; short or foreign numbers keep only their last 4 digits. */
export function maskPhone(phone: string): string {
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : `****${phone.slice(-4)}`;
}

export function toRoleGrants(docs: readonly RoleGrantDoc[]): RoleGrant[] {
  return docs.map((g) => (g.scopeType && g.scopeId ? { role: g.role, scope: { type: g.scopeType, id: g.scopeId } } : { role: g.role }));
}

export function toUserView(doc: UserDoc): UserView {
  return {
    id: doc._id.toHexString(),
    nickname: doc.nickname,
    avatarUrl: doc.avatarUrl ?? null,
    district: doc.district ?? null,
    phone: doc.phone ? maskPhone(doc.phone) : null,
    roles: toRoleGrants(doc.roles),
    username: doc.username ?? null,
    disabled: Boolean(doc.disabledAt),
    createdAt: doc.createdAt.toISOString(),
  };
}

/** Mongo condition matching exactly this grant inside `roles` (an unscoped grant has no scope fields). */
/** Holders of any role (or of `role`) in the scope: one grant matching both. */
function scopeFilter(scope: Scope, role?: Role): QueryFilter<UserDoc> {
  return { roles: { $elemMatch: { scopeType: scope.type, scopeId: scope.id, ...(role ? { role } : {}) } } };
}

function toScopeMember(d: UserDoc, scope: Scope): ScopeMember {
  return {
    id: d._id.toHexString(),
    nickname: d.nickname,
    avatarUrl: d.avatarUrl ?? null,
    roles: d.roles.filter((g) => g.scopeType === scope.type && g.scopeId === scope.id).map((g) => g.role),
  };
}

function grantCondition(grant: RoleGrant): Record<string, unknown> {
  return grant.scope
    ? { role: grant.role, scopeType: grant.scope.type, scopeId: grant.scope.id }
    : { role: grant.role, scopeType: { $exists: false } };
}

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService({ clock, wechat, audit, tokenChecks, uploads }: UsersServiceDeps) {
  // Verifying against a real hash when the username is unknown keeps both answers equally slow.
  let dummyHash: Promise<string> | null = null;

  async function mustFind(id: string): Promise<UserDoc> {
    const doc = Types.ObjectId.isValid(id) ? await UserModel.findById(id).lean<UserDoc>() : null;
    if (!doc) throw new AppError('USER_NOT_FOUND');
    return doc;
  }

  function toPrincipal(doc: UserDoc): Principal {
    return { id: doc._id.toHexString(), roles: toRoleGrants(doc.roles), rolesVersion: doc.rolesVersion };
  }

  async function rolesChanged(doc: UserDoc): Promise<void> {
    await tokenChecks.publishRolesVersion(doc._id.toHexString(), doc.rolesVersion);
  }

  /** After a grant or revocation landed: token checks see the new roles version, the change is audited. */
  async function roleChanged(
    actor: Actor | null,
    action: 'role.grant' | 'role.revoke',
    userId: string,
    doc: UserDoc,
    grant: RoleGrant,
  ): Promise<UserView> {
    await rolesChanged(doc);
    await audit.record({
      actorId: actor?.id ?? null,
      action,
      target: { type: 'user', id: userId },
      details: { grant },
      requestId: actor?.requestId,
    });
    return toUserView(doc);
  }

  function grantDoc(grant: RoleGrant, grantedBy?: string): RoleGrantDoc {
    return {
      role: grant.role,
      ...(grant.scope ? { scopeType: grant.scope.type, scopeId: grant.scope.id } : {}),
      grantedAt: clock.now(),
      ...(grantedBy ? { grantedBy: new Types.ObjectId(grantedBy) } : {}),
    };
  }

  function checkGrantable(grant: RoleGrant): void {
    const problem = roleGrantProblem(grant);
    if (problem) throw new AppError('ROLE_NOT_GRANTABLE', { message: problem, details: { role: grant.role } });
  }

  const service = {
    ...createUserFigures(),
    toUserView,

    /**
     * The user behind a WeChat openid, created on first login as a citizen. The session_key is
     * replaced on every login (it is what decrypts that session's data) and never leaves this collection.
     */
    async loginWechatUser(session: { openid: string; unionid?: string; sessionKey: string }): Promise<UserDoc> {
      const now = clock.now();
      const upsert = () =>
        UserModel.findOneAndUpdate(
          { openid: session.openid },
          {
            $set: {
              sessionKey: session.sessionKey,
              sessionKeyUpdatedAt: now,
              lastLoginAt: now,
              updatedAt: now,
              ...(session.unionid ? { unionid: session.unionid } : {}),
            },
            $setOnInsert: {
              nickname: `${DEFAULT_NICKNAME_PREFIX}${session.openid.slice(-4)}`,
              roles: [{ role: 'citizen', grantedAt: now }],
              rolesVersion: 0,
              createdAt: now,
            },
          },
          { upsert: true, returnDocument: 'after', lean: true },
        );
      let doc: UserDoc | null;
      try {
        doc = await upsert();
      } catch (err) {
        // Two first logins of one person racing: the loser's insert hits the unique openid; the row exists now.
        if (!isDuplicateKey(err, 'openid')) throw err;
        doc = await upsert();
      }
      if (!doc) throw new Error('upsert returned no user');
      return doc as UserDoc;
    },

    /** Current roles for issuing tokens, and the user as shown; refuses disabled and missing accounts. */
    async principal(id: string): Promise<Principal & { view: UserView }> {
      const doc = await mustFind(id);
      if (doc.disabledAt) throw new AppError('ACCOUNT_DISABLED');
      return { ...toPrincipal(doc), view: toUserView(doc) };
    },

    async findByUsername(username: string): Promise<UserView | null> {
      const doc = await UserModel.findOne({ username: username.toLowerCase() }).lean<UserDoc>();
      return doc ? toUserView(doc) : null;
    },

    /**
     * The WeChat openid of a user, for modules that call WeChat on their behalf (msgSecCheck,
     * subscribe messages). Null for staff-only accounts. Never put it in a response.
     */
    async openidOf(id: string): Promise<string | null> {
      return (await mustFind(id)).openid ?? null;
    },

    /** Name and avatar of several users at once (authors, commenters, team members) — public facts only. */
    async publicProfiles(ids: readonly string[]): Promise<Map<string, { id: string; nickname: string; avatarUrl: string | null }>> {
      const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
      const docs = await UserModel.find({ _id: { $in: valid } }, { nickname: 1, avatarUrl: 1 }).lean<
        Pick<UserDoc, '_id' | 'nickname' | 'avatarUrl'>[]
      >();
      return new Map(
        docs.map((d) => [d._id.toHexString(), { id: d._id.toHexString(), nickname: d.nickname, avatarUrl: d.avatarUrl ?? null }]),
      );
    },

    /** Nickname and console username of several accounts at once (the audit log names who acted and on whom). */
    async accountNames(ids: readonly string[]): Promise<Map<string, { nickname: string; username: string | null }>> {
      const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
      if (valid.length === 0) return new Map();
      const docs = await UserModel.find({ _id: { $in: valid } }, { nickname: 1, username: 1 }).lean<
        Pick<UserDoc, '_id' | 'nickname' | 'username'>[]
      >();
      return new Map(docs.map((d) => [d._id.toHexString(), { nickname: d.nickname, username: d.username ?? null }]));
    },

    /** When several accounts were created, in one query (contest votes flag new accounts in batches). */
    async createdAtOf(ids: readonly string[]): Promise<Map<string, Date>> {
      const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
      const docs = await UserModel.find({ _id: { $in: valid } }, { createdAt: 1 }).lean<Pick<UserDoc, '_id' | 'createdAt'>[]>();
      return new Map(docs.map((d) => [d._id.toHexString(), d.createdAt]));
    },

    async getView(id: string): Promise<UserView> {
      return toUserView(await mustFind(id));
    },

    /**
     * A person editing their own profile: a new nickname is shown to others, so it passes WeChat's
     * content check first (operating rule 7.2). Nicknames have no manual review queue, so anything but
     * `pass` is refused. Staff accounts have no openid to check with and are trusted.
     */
    async updateOwnProfile(id: string, patch: UpdateMeBody): Promise<UserView> {
      const { avatarFileId, ...fields } = patch;
      if (avatarFileId) {
        // Only the person's own upload, and not one WeChat's image check has flagged (FILE_NOT_FOUND otherwise).
        const [image] = await uploads.imagesOf(id, [avatarFileId]);
        if (image!.safety === 'risky')
          throw new AppError('CONTENT_RISKY', { message: '头像未通过安全检测，请换一张', details: { field: 'avatarFileId' } });
        fields.avatarUrl = image!.url;
      }
      patch = fields;
      if (patch.nickname) {
        const user = await mustFind(id);
        if (user.openid) {
          const verdict = await wechat.msgSecCheck({
            openid: user.openid,
            scene: SEC_CHECK_SCENE.profile,
            content: patch.nickname,
            nickname: patch.nickname,
          });
          if (verdict.suggest !== 'pass')
            throw new AppError('CONTENT_RISKY', { message: '昵称未通过安全检测，请换一个', details: { field: 'nickname' } });
        }
      }
      return service.updateProfile(id, patch);
    },

    /** Writes profile fields as given (system callers: seed, tests). People go through updateOwnProfile. */
    async updateProfile(id: string, patch: UpdateMeBody): Promise<UserView> {
      const $set: Record<string, unknown> = { updatedAt: clock.now() };
      const $unset: Record<string, 1> = {};
      for (const key of ['nickname', 'avatarUrl', 'district'] as const) {
        const value = patch[key];
        if (value === null) $unset[key] = 1;
        else if (value !== undefined) $set[key] = value;
      }
      const doc = await UserModel.findByIdAndUpdate(id, Object.keys($unset).length ? { $set, $unset } : { $set }, {
        returnDocument: 'after',
        lean: true,
      });
      if (!doc) throw new AppError('USER_NOT_FOUND');
      return toUserView(doc as UserDoc);
    },

    /** Binds the number behind a getPhoneNumber code. One number belongs to one account. */
    async bindPhone(id: string, code: string): Promise<UserView> {
      const user = await mustFind(id);
      if (!user.openid) throw new AppError('PHONE_REQUIRES_WECHAT');
      const info = await wechat.getPhoneNumber(code, user.openid);
      try {
        const doc = await UserModel.findByIdAndUpdate(
          id,
          { $set: { phone: info.purePhoneNumber, phoneCountryCode: info.countryCode, updatedAt: clock.now() } },
          { returnDocument: 'after', lean: true },
        );
        if (!doc) throw new AppError('USER_NOT_FOUND');
        return toUserView(doc as UserDoc);
      } catch (err) {
        if (isDuplicateKey(err, 'phone')) throw new AppError('PHONE_TAKEN');
        throw err;
      }
    },

    /** The staff account for a username if the password matches, else null (same cost either way). */
    async checkStaffPassword(username: string, password: string): Promise<UserDoc | null> {
      const doc = await UserModel.findOne({ username: username.toLowerCase() }).select('+passwordHash').lean<UserDoc>();
      if (!doc?.passwordHash) {
        dummyHash ??= argon2Hash('timing-equaliser-not-a-password');
        await argon2Verify(await dummyHash, password);
        return null;
      }
      return (await argon2Verify(doc.passwordHash, password)) ? doc : null;
    },

    /**
     * Replaces a staff password (audited: the person's own change, or an admin's reset). Ending the user's sessions
     * is the caller's job (auth).
     */
    async setPassword(
      actor: Actor | null,
      userId: string,
      password: string,
      action: 'user.password_change' | 'user.password_reset' = 'user.password_change',
    ): Promise<void> {
      const passwordHash = await argon2Hash(password);
      const res = await UserModel.updateOne(
        { _id: userId, username: { $exists: true } },
        { $set: { passwordHash, updatedAt: clock.now() } },
      );
      if (res.matchedCount === 0) throw new AppError('NOT_A_STAFF_ACCOUNT');
      await audit.record({
        actorId: actor?.id ?? null,
        action,
        target: { type: 'user', id: userId },
        requestId: actor?.requestId,
      });
    },

    /**
     * Retires every access token issued to the user so far (password change): bumping the version makes
     * them answer TOKEN_EXPIRED at once, and with the refresh tokens revoked they cannot be renewed.
     */
    async retireAccessTokens(userId: string): Promise<void> {
      const doc = await UserModel.findOneAndUpdate(
        { _id: userId },
        { $inc: { rolesVersion: 1 }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (doc) await rolesChanged(doc as UserDoc);
    },

    async createStaff(actor: Actor | null, input: CreateStaffBody): Promise<UserView> {
      input.roles.forEach(checkGrantable);
      const now = clock.now();
      let doc: UserDoc;
      try {
        const created = await UserModel.create({
          username: input.username,
          passwordHash: await argon2Hash(input.password),
          nickname: input.nickname,
          roles: input.roles.map((g) => grantDoc(g, actor?.id)),
          rolesVersion: 0,
          createdAt: now,
          updatedAt: now,
        });
        doc = created.toObject({ transform: false }) as UserDoc;
      } catch (err) {
        if (isDuplicateKey(err, 'username')) throw new AppError('USERNAME_TAKEN');
        throw err;
      }
      const view = toUserView(doc);
      await audit.record({
        actorId: actor?.id ?? null,
        action: 'staff.create',
        target: { type: 'user', id: view.id },
        details: { username: input.username, roles: view.roles },
        requestId: actor?.requestId,
      });
      return view;
    },

    /** Adds a role (idempotent: granting a held role changes nothing and is not audited again). */
    async grantRole(actor: Actor | null, userId: string, grant: RoleGrant): Promise<UserView> {
      checkGrantable(grant);
      await mustFind(userId);
      const doc = await UserModel.findOneAndUpdate(
        { _id: userId, roles: { $not: { $elemMatch: grantCondition(grant) } } },
        { $push: { roles: grantDoc(grant, actor?.id) }, $inc: { rolesVersion: 1 }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) return service.getView(userId);
      return roleChanged(actor, 'role.grant', userId, doc as UserDoc, grant);
    },

    async revokeRole(actor: Actor | null, userId: string, grant: RoleGrant): Promise<UserView> {
      if (actor?.id === userId && grant.role === 'admin') throw new AppError('SELF_ADMIN_REVOKE');
      await mustFind(userId);
      const condition = grantCondition(grant);
      const doc = await UserModel.findOneAndUpdate(
        { _id: userId, roles: { $elemMatch: condition } },
        { $pull: { roles: condition }, $inc: { rolesVersion: 1 }, $set: { updatedAt: clock.now() } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('ROLE_NOT_HELD');
      return roleChanged(actor, 'role.revoke', userId, doc as UserDoc, grant);
    },

    /**
     * Disables or re-enables an account. Disabling bumps the roles version, so the user's access tokens
     * stop working at once, and refresh refuses disabled accounts (revoking their sessions).
     */
    async setDisabled(actor: Actor | null, userId: string, disabled: boolean): Promise<UserView> {
      if (disabled && actor?.id === userId) throw new AppError('FORBIDDEN', { message: '不能停用自己的账号' });
      await mustFind(userId);
      const now = clock.now();
      const doc = await UserModel.findOneAndUpdate(
        { _id: userId, disabledAt: { $exists: !disabled } },
        disabled
          ? { $set: { disabledAt: now, updatedAt: now }, $inc: { rolesVersion: 1 } }
          : { $unset: { disabledAt: 1 }, $set: { updatedAt: now } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) return service.getView(userId);
      if (disabled) await rolesChanged(doc as UserDoc);
      await audit.record({
        actorId: actor?.id ?? null,
        action: disabled ? 'user.disable' : 'user.enable',
        target: { type: 'user', id: userId },
        requestId: actor?.requestId,
      });
      return toUserView(doc as UserDoc);
    },

    async list({ q, role, cursor, limit }: ListUsersQuery): Promise<UserListResponse> {
      const filter: QueryFilter<UserDoc> = {};
      if (q) {
        const pattern = containsPattern(q);
        filter.$or = [{ nickname: pattern }, { username: pattern }];
      }
      if (role) filter['roles.role'] = role;
      const { docs, nextCursor } = await pageByIdDesc(UserModel, filter, { cursor, limit });
      return { items: docs.map(toUserView), nextCursor };
    },

    /** Who holds roles in one scope (a team's volunteers and leader, a merchant's clerks…), oldest account first, a page at a time. */
    async scopeMembers(scope: Scope, { role, cursor, limit }: ScopeMembersQuery): Promise<ScopeMembersResponse> {
      const { docs, nextCursor } = await pageByIdAsc(UserModel, scopeFilter(scope, role), { cursor, limit });
      return { items: docs.map((d) => toScopeMember(d, scope)), nextCursor };
    },

    /** The ids of everyone holding one of `roles` in the scope, however many (notifications, task lists): read in batches, never capped. */
    async scopeMemberIds(scope: Scope, roles: readonly Role[]): Promise<string[]> {
      const ids: string[] = [];
      const cursor = UserModel.find(
        { roles: { $elemMatch: { scopeType: scope.type, scopeId: scope.id, role: { $in: [...roles] } } } },
        { _id: 1 },
      )
        .lean<Pick<UserDoc, '_id'>[]>()
        .cursor({ batchSize: 1000 });
      for await (const d of cursor as AsyncIterable<Pick<UserDoc, '_id'>>) ids.push(d._id.toHexString());
      return ids;
    },
  };
  return service;
}
