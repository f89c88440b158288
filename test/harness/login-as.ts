import supertest from 'supertest';
import { ROLE_DEFS, type Role, type RoleGrant, type Scope } from '@shared/roles';
import type { AuthSessionResponse } from '@shared/schemas/auth';
import type { UserView } from '@shared/schemas/users';
import type { TestContext } from './test-context';

export interface LoggedIn {
  /** Access token: `.set('Authorization', `Bearer ${token}`)`. */
  token: string;
  refreshToken: string;
  user: UserView;
  openid: string;
  /** A supertest agent that sends the bearer token with every request. */
  agent: ReturnType<typeof supertest.agent>;
}

export interface LoginAsOptions {
  /** More roles to hold besides `role` (e.g. a volunteer who is also a correspondent). */
  extraRoles?: RoleGrant[];
  nickname?: string;
  /** Reuse a WeChat identity (logs the same person in again). */
  openid?: string;
}

let counter = 0;

/** Mints a Taro.login code at the run's WeChat fake (what the mini-program gets from wx.login). */
export async function mintLoginCode(t: TestContext, openid?: string, unionid?: string): Promise<{ code: string; openid: string }> {
  const res = await fetch(`${t.wechatUrl}/__fake/login-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(openid ? { openid } : {}), ...(unionid ? { unionid } : {}) }),
  });
  if (!res.ok) throw new Error(`WeChat fake refused to mint a login code: ${res.status} ${await res.text()}`);
  return (await res.json()) as { code: string; openid: string };
}

/**
 * A signed-in user holding `role` (in `scope`; a scoped role without one gets a fresh scope, see
 * `user.roles`). The user is created through the real WeChat login (code2Session at the fake), the role
 * granted through the users service, and the token obtained through refresh — so what a test gets is
 * exactly what a client would hold. Goes through services rather than HTTP so the login rate limit
 * never trips in a suite that signs many people in.
 *
 *   const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
 *   await leader.agent.get('/api/v1/...').expect(200);
 */
export async function loginAs(t: TestContext, role: Role, scope?: Scope, options: LoginAsOptions = {}): Promise<LoggedIn> {
  const { auth, users } = t.services;
  const minted = await mintLoginCode(t, options.openid);
  let session: AuthSessionResponse = await auth.wechatLogin(minted.code);

  const def = ROLE_DEFS[role];
  const grants: RoleGrant[] = [...(options.extraRoles ?? [])];
  if (!def.implicit) {
    const needsScope = !scope && def.scopeRequired;
    counter += 1;
    const effectiveScope = needsScope ? { type: def.scopes[0]!, id: `test-${def.scopes[0]}-${process.pid}-${counter}` } : scope;
    grants.unshift(effectiveScope ? { role, scope: effectiveScope } : { role });
  }
  for (const grant of grants) await users.grantRole(null, session.user.id, grant);
  if (options.nickname) await users.updateProfile(session.user.id, { nickname: options.nickname });
  if (grants.length > 0 || options.nickname) session = await auth.refresh(session.refreshToken);

  const agent = supertest.agent(t.app.callback());
  agent.set('Authorization', `Bearer ${session.accessToken}`);
  return { token: session.accessToken, refreshToken: session.refreshToken, user: session.user, openid: minted.openid, agent };
}
