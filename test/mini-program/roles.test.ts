/** Role-gated entries of the mini-program's 我的 tab (miniprogram/src/utils/roles.ts). */
import { entriesFor, roleLabels } from '../../miniprogram/src/utils/roles';

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
});
