import type { RoleGrant } from '@shared/roles';
import { COUNTY, personName } from '../county';
import { ensureCitizen, ensureStaff } from '../people';
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
  async run(ctx) {
    for (const staff of STAFF) await ensureStaff(ctx, { ...staff, devPassword: DEV_PASSWORDS[staff.username] });

    for (let i = 0; i < CITIZENS; i++) {
      const openid = `oSEED${String(i).padStart(23, '0')}`;
      await ensureCitizen(ctx, openid, { nickname: personName(i), district: COUNTY.towns[i % COUNTY.towns.length] });
    }
    ctx.log(`${CITIZENS} citizens`);
  },
};
