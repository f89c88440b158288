import type { RoleGrant } from '@shared/roles';
import { assertOwner, authorize, can } from './authorize';

const user = (...roles: RoleGrant[]) => ({ id: 'u1', roles });
const team = (id: string) => ({ type: 'team' as const, id });

describe('authorize: role, scope, ownership and the admin override', () => {
  it('passes a holder of the role and refuses others with FORBIDDEN', () => {
    expect(() => authorize(user({ role: 'editor' }), { role: 'editor' })).not.toThrow();
    expect(() => authorize(user({ role: 'citizen' }), { role: 'editor' })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('refuses a missing user with AUTH_REQUIRED', () => {
    expect(() => authorize(null, { role: 'citizen' })).toThrow(expect.objectContaining({ code: 'AUTH_REQUIRED' }));
  });

  it('accepts any of several roles', () => {
    expect(
      can(user({ role: 'department_staff', scope: { type: 'department', id: 'd1' } }), { anyOf: ['editor', 'department_staff'] }),
    ).toBe(true);
  });

  it('matches a scoped requirement only to a grant of the same scope', () => {
    const leader = user({ role: 'team_leader', scope: team('t1') });
    expect(can(leader, { role: 'team_leader', scope: team('t1') })).toBe(true);
    expect(can(leader, { role: 'team_leader', scope: team('t2') })).toBe(false);
    expect(can(leader, { role: 'team_leader', scope: { type: 'circle', id: 't1' } })).toBe(false);
    // Without a scope in the requirement, a leader of any team qualifies.
    expect(can(leader, { role: 'team_leader' })).toBe(true);
  });

  it('lets an unscoped (county-wide) grant cover every scope of that role', () => {
    expect(can(user({ role: 'volunteer' }), { role: 'volunteer', scope: team('t9') })).toBe(true);
  });

  it('lets admins pass every check unless the requirement turns the override off', () => {
    const admin = user({ role: 'admin' });
    expect(can(admin, { role: 'merchant_clerk', scope: { type: 'merchant', id: 'm1' } })).toBe(true);
    expect(can(admin, { role: 'merchant_clerk', scope: { type: 'merchant', id: 'm1' }, adminOverride: false })).toBe(false);
  });

  it('assertOwner passes the owner, the fallback role and admins; refuses anyone else', () => {
    expect(() => assertOwner(user({ role: 'citizen' }), 'u1')).not.toThrow();
    expect(() => assertOwner({ id: 'u2', roles: [{ role: 'citizen' }] }, 'u1')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => assertOwner({ id: 'u2', roles: [{ role: 'editor' }] }, 'u1', { role: 'editor' })).not.toThrow();
    expect(() => assertOwner({ id: 'u2', roles: [{ role: 'admin' }] }, 'u1')).not.toThrow();
    expect(() => assertOwner({ id: 'u2', roles: [{ role: 'citizen' }] }, null)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
