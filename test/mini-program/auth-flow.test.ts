/**
 * The mini-program's login flow (miniprogram/src/services/core/auth-flow.ts), Taro-free: silent WeChat
 * login with a single-use code (one login for concurrent callers), staff password login, re-login rules
 * after a failed refresh (citizens silently, staff never), logout clearing the stored session.
 */
import { createApiClient } from '../../miniprogram/src/services/core/api-client';
import { createAuthFlow } from '../../miniprogram/src/services/core/auth-flow';
import { createTokenStore, SESSION_KEY } from '../../miniprogram/src/services/core/token-store';
import { fakeTransport, memoryStorage, pathOf } from './fake-transport';

const user = (username: string | null) => ({ id: 'a'.repeat(24), nickname: '微信用户', roles: [{ role: 'citizen' }], username });
const pair = (n: number, username: string | null = null) => ({
  accessToken: `access-${n}`,
  refreshToken: `r${n}`.padEnd(43, 'x'),
  expiresIn: 900,
  user: user(username),
});

function setup(getLoginCode: () => Promise<string | null>) {
  let codes = 0;
  const fake = fakeTransport(async (req) => {
    switch (pathOf(req)) {
      case 'POST /api/v1/auth/wechat-login':
        await new Promise((r) => setTimeout(r, 5));
        return { status: 200, data: pair(++codes) };
      case 'POST /api/v1/auth/staff-login':
        return (req.data as { password: string }).password === 'right'
          ? { status: 200, data: pair(100, 'editor') }
          : { status: 401, data: { error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } } };
      case 'POST /api/v1/auth/logout':
        return { status: 204, data: '' };
      default:
        return { status: 404, data: { error: { code: 'ROUTE_NOT_FOUND' } } };
    }
  });
  const storage = memoryStorage();
  const tokens = createTokenStore(storage);
  const api = createApiClient({ transport: fake.transport, tokens, baseUrl: '', sleep: async () => {} });
  const auth = createAuthFlow({ api, tokens, getLoginCode });
  return { auth, tokens, storage, calls: fake.calls };
}

describe('mini-program auth flow', () => {
  it('logs in silently with the WeChat code and keeps the session in storage', async () => {
    const getCode = jest.fn(async () => 'code-1');
    const { auth, tokens, storage, calls } = setup(getCode);
    await expect(auth.ensureLoggedIn()).resolves.toBe(true);
    expect(calls.map(pathOf)).toEqual(['POST /api/v1/auth/wechat-login']);
    expect(calls[0]!.data).toEqual({ code: 'code-1' });
    expect(tokens.get()?.accessToken).toBe('access-1');
    expect(JSON.parse(storage.data.get(SESSION_KEY)!)).toMatchObject({ accessToken: 'access-1', user: { nickname: '微信用户' } });
    // Already logged in: no second code.
    await auth.ensureLoggedIn();
    expect(getCode).toHaveBeenCalledTimes(1);
  });

  it('concurrent callers (launch, first page) share one code and one login', async () => {
    const getCode = jest.fn(async () => 'code-x');
    const { auth, calls } = setup(getCode);
    const results = await Promise.all([auth.ensureLoggedIn(), auth.ensureLoggedIn(), auth.ensureLoggedIn()]);
    expect(results).toEqual([true, true, true]);
    expect(getCode).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(1);
  });

  it('reports false without calling the server when the platform has no login code (H5 in production)', async () => {
    const { auth, calls } = setup(async () => null);
    await expect(auth.ensureLoggedIn()).resolves.toBe(false);
    expect(calls).toHaveLength(0);
  });

  it('staff log in with username and password; a wrong password throws the Chinese message and stores nothing', async () => {
    const { auth, tokens, calls } = setup(async () => 'code');
    await expect(auth.staffLogin('editor', 'wrong')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    expect(tokens.get()).toBeNull();
    await auth.staffLogin('editor', 'right');
    expect(calls.at(-1)!.data).toEqual({ username: 'editor', password: 'right' });
    expect(tokens.get()).toMatchObject({ accessToken: 'access-100', user: { username: 'editor' } });
  });

  it('re-login after a failed refresh: silent for WeChat users, never for staff', async () => {
    const citizen = setup(async () => 'code');
    citizen.tokens.set(pair(7));
    await expect(citizen.auth.relogin()).resolves.toMatchObject({ accessToken: 'access-1' });

    const staff = setup(async () => 'code');
    staff.tokens.set(pair(8, 'editor'));
    await expect(staff.auth.relogin()).resolves.toBeNull();
    expect(staff.calls).toHaveLength(0);
  });

  it('logout clears the session and revokes the refresh token', async () => {
    const { auth, tokens, storage, calls } = setup(async () => 'code');
    await auth.ensureLoggedIn();
    const refreshToken = tokens.get()!.refreshToken;
    await auth.logout();
    expect(tokens.get()).toBeNull();
    expect(storage.data.has(SESSION_KEY)).toBe(false);
    expect(calls.at(-1)).toMatchObject({ method: 'POST', data: { refreshToken } });
  });
});
