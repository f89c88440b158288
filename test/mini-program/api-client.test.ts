/**
 * The mini-program's request wrapper (miniprogram/src/services/core/api-client.ts), Taro-free: token
 * attachment, error bodies → ApiError with the Chinese message and a toast, refresh-once on 401 then
 * re-login, network retries for idempotent requests only, Idempotency-Key on writes that ask for one, and
 * the install's X-Device-Id on every request.
 */
import { createApiClient, type ApiClientDeps, type Session } from '../../miniprogram/src/services/core/api-client';
import { ApiError } from '../../miniprogram/src/services/core/api-error';
import { createTokenStore } from '../../miniprogram/src/services/core/token-store';
import { fakeTransport, memoryStorage, pathOf } from './fake-transport';

const session = (n: number): Session => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`.padEnd(43, 'x') });

function setup(handler: Parameters<typeof fakeTransport>[0], extra: Partial<ApiClientDeps> = {}) {
  const fake = fakeTransport(handler);
  const tokens = createTokenStore(memoryStorage());
  const toasts: string[] = [];
  const api = createApiClient({
    transport: fake.transport,
    tokens,
    baseUrl: 'http://api.test',
    toast: (m) => toasts.push(m),
    sleep: async () => {},
    ...extra,
  });
  return { api, tokens, toasts, calls: fake.calls };
}

describe('mini-program API client', () => {
  it('sends the access token and the query string, and returns the body', async () => {
    const { api, tokens, calls } = setup(() => ({ status: 200, data: { items: [], nextCursor: null } }));
    tokens.set(session(1));
    const body = await api.get<{ items: unknown[] }>('/api/v1/feed', { query: { limit: 10, cursor: undefined, column: 'culture' } });
    expect(body).toEqual({ items: [], nextCursor: null });
    expect(calls[0]!.url).toBe('http://api.test/api/v1/feed?limit=10&column=culture');
    expect(calls[0]!.headers.Authorization).toBe('Bearer access-1');
  });

  it('turns an error body into an ApiError with the server message, details and (for a code it does not know yet) the kind from the status, and toasts it', async () => {
    const { api, toasts } = setup(() => ({
      status: 409,
      data: { error: { code: 'X_SOLD_OUT', message: '券已抢完', details: { left: 0 } } },
    }));
    const err = await api.post('/api/v1/coupons/x/claim', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'X_SOLD_OUT', message: '券已抢完', status: 409, kind: 'conflict', details: { left: 0 } });
    expect(toasts).toEqual(['券已抢完']);
  });

  it('falls back to the shared Chinese message for a known code and stays quiet when silent', async () => {
    const { api, toasts } = setup(() => ({ status: 403, data: { error: { code: 'FORBIDDEN' } } }));
    const err = await api.get('/api/v1/admin/users', { silent: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FORBIDDEN', message: '没有权限进行此操作', kind: 'forbidden' });
    expect(toasts).toEqual([]);
  });

  it('on 401 refreshes once, stores the new pair and replays the request with the new token', async () => {
    const { api, tokens, calls } = setup((req) => {
      if (pathOf(req) === 'POST /api/v1/auth/refresh') return { status: 200, data: session(2) };
      return req.headers.Authorization === 'Bearer access-2'
        ? { status: 200, data: { ok: true } }
        : { status: 401, data: { error: { code: 'TOKEN_EXPIRED' } } };
    });
    tokens.set(session(1));
    await expect(api.get('/api/v1/me')).resolves.toEqual({ ok: true });
    expect(calls.map(pathOf)).toEqual(['GET /api/v1/me', 'POST /api/v1/auth/refresh', 'GET /api/v1/me']);
    expect(calls[1]!.data).toEqual({ refreshToken: session(1).refreshToken });
    expect(calls[1]!.headers.Authorization).toBeUndefined();
    expect(tokens.get()?.accessToken).toBe('access-2');
  });

  it('shares one refresh between concurrent 401s', async () => {
    const { api, tokens, calls } = setup(async (req) => {
      if (pathOf(req) === 'POST /api/v1/auth/refresh') {
        await new Promise((r) => setTimeout(r, 10));
        return { status: 200, data: session(2) };
      }
      return req.headers.Authorization === 'Bearer access-2'
        ? { status: 200, data: { ok: true } }
        : { status: 401, data: { error: { code: 'TOKEN_EXPIRED' } } };
    });
    tokens.set(session(1));
    await Promise.all([api.get('/api/v1/a'), api.get('/api/v1/b'), api.get('/api/v1/c')]);
    expect(calls.filter((c) => pathOf(c) === 'POST /api/v1/auth/refresh')).toHaveLength(1);
  });

  it('when the refresh is refused, logs in again (relogin) and replays', async () => {
    const relogin = jest.fn(async () => session(3));
    const { api, tokens, calls } = setup(
      (req) => {
        if (pathOf(req) === 'POST /api/v1/auth/refresh') return { status: 401, data: { error: { code: 'REFRESH_TOKEN_INVALID' } } };
        return req.headers.Authorization === 'Bearer access-3'
          ? { status: 200, data: { ok: 3 } }
          : { status: 401, data: { error: { code: 'TOKEN_EXPIRED' } } };
      },
      { relogin },
    );
    tokens.set(session(1));
    await expect(api.get('/api/v1/me')).resolves.toEqual({ ok: 3 });
    expect(relogin).toHaveBeenCalledTimes(1);
    expect(calls.map(pathOf)).toEqual(['GET /api/v1/me', 'POST /api/v1/auth/refresh', 'GET /api/v1/me']);
  });

  it('when refresh and re-login both fail, clears the session, reports it lost and throws the 401 once (no loop)', async () => {
    const onSessionLost = jest.fn();
    const { api, tokens, calls, toasts } = setup(
      (req) =>
        pathOf(req) === 'POST /api/v1/auth/refresh'
          ? { status: 401, data: { error: { code: 'REFRESH_TOKEN_REUSED' } } }
          : { status: 401, data: { error: { code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' } } },
      { relogin: async () => null, onSessionLost },
    );
    tokens.set(session(1));
    const err = await api.get('/api/v1/me').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TOKEN_EXPIRED', status: 401, kind: 'unauthenticated' });
    expect(tokens.get()).toBeNull();
    expect(onSessionLost).toHaveBeenCalledTimes(1);
    expect(calls.map(pathOf)).toEqual(['GET /api/v1/me', 'POST /api/v1/auth/refresh']);
    expect(toasts).toEqual(['登录已过期，请重新登录']);
  });

  it('does not refresh for anonymous calls (a wrong password is just an error)', async () => {
    const { api, calls } = setup(() => ({ status: 401, data: { error: { code: 'INVALID_CREDENTIALS' } } }));
    const err = await api
      .post('/api/v1/auth/staff-login', { username: 'a', password: 'b' }, { anonymous: true, silent: true })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    expect(calls).toHaveLength(1);
  });

  it('retries a GET on network failure and succeeds', async () => {
    const { api, calls } = setup((_req, n) => (n < 3 ? 'offline' : { status: 200, data: { ok: true } }));
    await expect(api.get('/api/v1/feed')).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(3);
  });

  it('gives up after the retries with a NETWORK_ERROR in Chinese', async () => {
    const { api, calls, toasts } = setup(() => 'offline');
    const err = await api.get('/api/v1/feed').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network', isNetwork: true, message: '网络连接失败，请检查网络后重试' });
    expect(calls).toHaveLength(3);
    expect(toasts).toEqual(['网络连接失败，请检查网络后重试']);
  });

  it('never retries a non-idempotent write on network failure', async () => {
    const { api, calls } = setup(() => 'offline');
    await expect(api.post('/api/v1/submissions', { title: 'x' }, { silent: true })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(calls).toHaveLength(1);
  });

  it('sends an Idempotency-Key on writes that ask for one, the same key on every retry', async () => {
    const { api, calls } = setup((_req, n) => (n < 2 ? 'offline' : { status: 201, data: { points: 5 } }), {
      newIdempotencyKey: () => 'key-1',
    });
    await expect(api.post('/api/v1/points/redeem', { goodsId: 'g' }, { idempotencyKey: true })).resolves.toEqual({ points: 5 });
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.headers['Idempotency-Key'])).toEqual(['key-1', 'key-1']);
    expect(calls[0]!.headers['Content-Type']).toBe('application/json');
  });

  it("names this install on every request (X-Device-Id), sign-ins included: the server's sign-in limit counts per device", async () => {
    const { api, calls } = setup(() => ({ status: 200, data: {} }), { deviceId: () => 'install-0123456789abcdef' });
    await api.post('/api/v1/auth/wechat-login', { code: 'c' }, { anonymous: true });
    await api.get('/api/v1/feed');
    expect(calls.map((c) => c.headers['X-Device-Id'])).toEqual(['install-0123456789abcdef', 'install-0123456789abcdef']);
  });

  it('keeps a caller-given Idempotency-Key, and a 204 resolves to undefined', async () => {
    const { api, calls } = setup(() => ({ status: 204, data: '' }));
    await expect(api.post('/api/v1/votes', { entryId: 'e' }, { idempotencyKey: 'vote-e-1' })).resolves.toBeUndefined();
    expect(calls[0]!.headers['Idempotency-Key']).toBe('vote-e-1');
  });

  it('a 5xx without an error body becomes INTERNAL_ERROR with a Chinese message', async () => {
    const { api } = setup(() => ({ status: 502, data: '<html>Bad Gateway</html>' }));
    await expect(api.get('/api/v1/feed', { silent: true })).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
      message: '服务器开小差了，请稍后再试',
    });
  });
});
