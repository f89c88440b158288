import mongoose, { Schema, type Types } from 'mongoose';
import { ROLES, SCOPE_TYPES, type Role, type ScopeType } from '@shared/roles';
import { privateFieldsPlugin } from './private-fields';

/** One role held, flat (scopeType/scopeId) so "who holds roles in team X" is one indexed query. */
export interface RoleGrantDoc {
  role: Role;
  scopeType?: ScopeType;
  scopeId?: string;
  grantedAt: Date;
  grantedBy?: Types.ObjectId;
}

/**
 * WeChat users and console staff share this one collection: one identity per person, so roles, audit
 * entries, points and authorship all point at one user id, and a staff member who also uses the
 * mini-program can later be linked instead of existing twice. What differs is how they sign in:
 * `openid` (+ server-only `sessionKey`) for WeChat, `username` + `passwordHash` for the console.
 * Identifiers are left unset (never null) when absent so their sparse unique indexes ignore them.
 */
export interface UserDoc {
  _id: Types.ObjectId;
  nickname: string;
  avatarUrl?: string;
  district?: string;
  /** Full number (purePhoneNumber); shown masked. */
  phone?: string;
  phoneCountryCode?: string;
  openid?: string;
  unionid?: string;
  /** WeChat session_key: server-side only, never selected by default, never serialised. */
  sessionKey?: string;
  sessionKeyUpdatedAt?: Date;
  username?: string;
  passwordHash?: string;
  roles: RoleGrantDoc[];
  /** Bumped on every role change; access tokens carry it (see core/auth/roles-version.ts). */
  rolesVersion: number;
  disabledAt?: Date;
  lastLoginAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const roleGrantSchema = new Schema<RoleGrantDoc>(
  {
    role: { type: String, enum: ROLES, required: true },
    scopeType: { type: String, enum: SCOPE_TYPES },
    scopeId: { type: String },
    grantedAt: { type: Date, required: true },
    grantedBy: { type: Schema.Types.ObjectId },
  },
  { _id: false },
);

const userSchema = new Schema<UserDoc>(
  {
    nickname: { type: String, required: true },
    avatarUrl: String,
    district: String,
    phone: { type: String },
    phoneCountryCode: String,
    openid: { type: String },
    unionid: { type: String },
    sessionKey: { type: String, select: false, private: true },
    sessionKeyUpdatedAt: { type: Date, select: false, private: true },
    username: { type: String, lowercase: true, trim: true },
    passwordHash: { type: String, select: false, private: true },
    roles: { type: [roleGrantSchema], default: [] },
    rolesVersion: { type: Number, required: true, default: 0 },
    disabledAt: Date,
    lastLoginAt: Date,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false, strict: 'throw' },
);

userSchema.index({ openid: 1 }, { unique: true, sparse: true });
userSchema.index({ unionid: 1 }, { sparse: true });
userSchema.index({ username: 1 }, { unique: true, sparse: true });
// One phone, one account: points and coupons are per person.
userSchema.index({ phone: 1 }, { unique: true, sparse: true });
userSchema.index({ 'roles.role': 1, 'roles.scopeType': 1, 'roles.scopeId': 1 });
userSchema.plugin(privateFieldsPlugin);

export const UserModel = mongoose.model<UserDoc>('User', userSchema);
