import { randomBytes } from 'node:crypto';
import type { RoleGrant } from '@shared/roles';
import { createUsersService } from '../../../server/src/modules/users';
import { COUNTY, personName } from '../county';
import type { SeedStep } from '../types';

/** Known so a fresh clone can sign in to the console; production gets random ones, printed once. */
const DEV_PASSWORDS = {
  admin: 'rongmei-admin-dev',
  editor: 'rongmei-editor-dev',
  zhujian: 'rongmei-staff-dev',
} as const;

const STAFF: ReadonlyArray<{ username: keyof typeof DEV_PASSWORDS; nickname: string; roles: RoleGrant[] }> = [
  { username: 'admin', nickname: '系统管理员', roles: [{ role: 'admin' }] },
  { username: 'editor', nickname: `${COUNTY.mediaCentre}编辑`, roles: [{ role: 'editor' }] },
  // Department scopes are department codes (see DEPARTMENTS): zjj is 县住建局.
  { username: 'zhujian', nickname: '住建局办公室', roles: [{ role: 'department_staff', scope: { type: 'department', id: 'zjj' } }] },
];

const CITIZENS = 8;

/** Console accounts (admin, editor, a department's staff) and a handful of citizens with Chinese names. */
export const identitySeed: SeedStep = {
  name: 'identity',
  async run({ deps, log }) {
    const users = createUsersService(deps);

    for (const staff of STAFF) {
      const existing = await users.findByUsername(staff.username);
      if (existing) {
        for (const grant of staff.roles) await users.grantRole(null, existing.id, grant);
        log(`staff ${staff.username} exists (password unchanged)`);
        continue;
      }
      const password = deps.config.isProduction ? randomBytes(12).toString('base64url') : DEV_PASSWORDS[staff.username];
      await users.createStaff(null, { username: staff.username, password, nickname: staff.nickname, roles: staff.roles });
      log(`staff ${staff.username} / ${password}${deps.config.isProduction ? '  ← shown once, change it' : '  (dev only)'}`);
    }

    for (let i = 0; i < CITIZENS; i++) {
      // Seed people have stable fake openids: real WeChat never issues the `oSEED` prefix.
      const openid = `oSEED${String(i).padStart(23, '0')}`;
      const user = await users.loginWechatUser({ openid, sessionKey: randomBytes(16).toString('base64') });
      await users.updateProfile(user._id.toHexString(), { nickname: personName(i), district: COUNTY.towns[i % COUNTY.towns.length] });
    }
    log(`${CITIZENS} citizens`);
  },
};
