/** Role-gated entries of the mini-program's 我的 tab (miniprogram/src/utils/roles.ts). */
import { entriesFor, hasRole, leadsTeam, ownsMerchant, roleLabels } from '../../miniprogram/src/utils/roles';

describe('mini-program role entries', () => {
  it('a plain citizen sees no role entries; each role opens its own subpackage', () => {
    expect(entriesFor({ roles: [{ role: 'citizen' }] })).toEqual([]);
    expect(entriesFor(null)).toEqual([]);
    const keys = (roles: string[]) => entriesFor({ roles: roles.map((role) => ({ role }) as never) }).map((e) => e.key);
    expect(keys(['citizen', 'correspondent'])).toEqual(['correspondent']);
    expect(keys(['editor'])).toEqual(['staff']);
    expect(keys(['merchant_clerk', 'team_leader'])).toEqual(['team', 'merchant']);
    for (const e of entriesFor({ roles: [{ role: 'admin' }, { role: 'circle_leader', scope: { type: 'circle', id: 'c1' } }] })) {
      expect(e.url).toMatch(/^\/subpackages\/[a-z-]+\/pages\//);
    }
  });

  it('labels roles in Chinese once each', () => {
    expect(
      roleLabels({ roles: [{ role: 'citizen' }, { role: 'volunteer', scope: { type: 'team', id: 't' } }, { role: 'volunteer' }] }),
    ).toEqual(['居民', '志愿者']);
  });

  it('staff pages open only for whom the API lets through: a shop owner for that shop, a leader for that team', () => {
    const owner = {
      roles: [{ role: 'citizen' as const }, { role: 'merchant_owner' as const, scope: { type: 'merchant' as const, id: 'm1' } }],
    };
    expect(ownsMerchant(owner, 'm1')).toBe(true);
    expect(ownsMerchant(owner, 'm2')).toBe(false);
    expect(ownsMerchant(owner, '')).toBe(false);
    expect(ownsMerchant(owner, null)).toBe(false);
    expect(ownsMerchant(null, 'm1')).toBe(false);
    // A clerk of the shop redeems but does not issue coupons or post promotions.
    expect(ownsMerchant({ roles: [{ role: 'merchant_clerk', scope: { type: 'merchant', id: 'm1' } }] }, 'm1')).toBe(false);
    // Same id, another kind of scope.
    expect(ownsMerchant({ roles: [{ role: 'merchant_owner', scope: { type: 'outlet', id: 'm1' } }] }, 'm1')).toBe(false);

    const leader = { roles: [{ role: 'team_leader' as const, scope: { type: 'team' as const, id: 't1' } }] };
    expect(leadsTeam(leader, 't1')).toBe(true);
    expect(leadsTeam(leader, 't2')).toBe(false);
    expect(leadsTeam(leader, undefined)).toBe(false);
    expect(leadsTeam({ roles: [{ role: 'volunteer', scope: { type: 'team', id: 't1' } }] }, 't1')).toBe(false);
    expect(leadsTeam({ roles: [{ role: 'merchant_owner', scope: { type: 'merchant', id: 't1' } }] }, 't1')).toBe(false);
    // Admins pass the API's team checks, so the page lets them in too.
    expect(leadsTeam({ roles: [{ role: 'admin' }] }, 't1')).toBe(true);
    expect(leadsTeam(null, 't1')).toBe(false);

    // 写稿: correspondents only, county-wide or of a circle.
    expect(hasRole({ roles: [{ role: 'correspondent', scope: { type: 'circle', id: 'c1' } }] }, 'correspondent')).toBe(true);
    expect(hasRole({ roles: [{ role: 'correspondent' }] }, 'correspondent')).toBe(true);
    expect(hasRole({ roles: [{ role: 'citizen' }, { role: 'circle_leader', scope: { type: 'circle', id: 'c1' } }] }, 'correspondent')).toBe(
      false,
    );
    expect(hasRole(null, 'correspondent')).toBe(false);
  });
});
