import { randomBytes } from 'node:crypto';
import type { RoleGrant } from '@shared/roles';
import type { UsersService } from '../../server/src/modules/users';
import type { SeedContext } from './types';

type UserView = NonNullable<Awaited<ReturnType<UsersService['findByUsername']>>>;

export interface StaffSpec {
  username: string;
  nickname: string;
  roles: RoleGrant[];
  /** Known so a fresh clone can sign in; production gets a random one, printed once. */
  devPassword: string;
}

/**
 * A console account, idempotently: an existing account keeps its password and gains any missing role;
 * a new one gets the dev password (or a random one in production, shown once in the seed output).
 */
export async function ensureStaff({ deps, services: { users }, log }: SeedContext, spec: StaffSpec): Promise<UserView> {
  const existing = await users.findByUsername(spec.username);
  if (existing) {
    let view = existing;
    for (const grant of spec.roles) view = await users.grantRole(null, existing.id, grant);
    return view;
  }
  const password = deps.config.isProduction ? randomBytes(12).toString('base64url') : spec.devPassword;
  const created = await users.createStaff(null, { username: spec.username, password, nickname: spec.nickname, roles: spec.roles });
  log(`staff ${spec.username} / ${password}${deps.config.isProduction ? '  ← shown once, change it' : '  (dev only)'}`);
  return created;
}

/**
 * A citizen as if they had logged in with WeChat, with a profile. Seed people have stable fake openids:
 * real WeChat never issues the `oSEED` prefix. Returns the user id.
 */
export async function ensureCitizen(
  { services: { users } }: Pick<SeedContext, 'services'>,
  openid: string,
  profile: { nickname: string; district?: string },
): Promise<string> {
  const user = await users.loginWechatUser({ openid, sessionKey: randomBytes(16).toString('base64') });
  const id = user._id.toHexString();
  await users.updateProfile(id, profile);
  return id;
}
