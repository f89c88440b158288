import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TestClock } from '../clock';
import { ACCESS_TOKEN_TTL_SECONDS, createAccessTokens } from './access-tokens';

const SECRET = 'unit-test-secret-0123456789abcdef';
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens: HS256 only, expiry by the business clock', () => {
  const clock = new TestClock('2026-03-01T00:00:00Z');
  const tokens = createAccessTokens({ secret: SECRET, clock });
  const subject = { id: '65f000000000000000000001', roles: [{ role: 'editor' as const }], rolesVersion: 3 };

  it('issues a token whose claims round-trip (sub, roles, rv, jti, 15-minute lifetime)', () => {
    const { accessToken, expiresIn, jti } = tokens.issue(subject);
    expect(expiresIn).toBe(ACCESS_TOKEN_TTL_SECONDS);
    const claims = tokens.verify(accessToken);
    expect(claims).toMatchObject({ sub: subject.id, roles: subject.roles, rv: 3, jti });
    expect(claims.exp - claims.iat).toBe(15 * 60);
    expect(jwt.decode(accessToken, { complete: true })?.header.alg).toBe('HS256');
  });

  it('refuses a token once the clock passes its expiry with TOKEN_EXPIRED', () => {
    const { accessToken } = tokens.issue(subject);
    clock.advance(ACCESS_TOKEN_TTL_SECONDS * 1000 + 1000);
    expect(() => tokens.verify(accessToken)).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });

  it('still refuses a token it has already accepted once the clock passes its expiry', () => {
    const { accessToken } = tokens.issue(subject);
    expect(tokens.verify(accessToken).sub).toBe(subject.id);
    expect(tokens.verify(accessToken).sub).toBe(subject.id);
    clock.advance(ACCESS_TOKEN_TTL_SECONDS * 1000);
    expect(() => tokens.verify(accessToken)).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });

  it('does not let a token verified by one secret pass another instance', () => {
    const token = tokens.issue(subject).accessToken;
    tokens.verify(token);
    const other = createAccessTokens({ secret: 'another-secret-0123456789abcdef', clock });
    expect(() => other.verify(token)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
  });

  it('refuses an unsigned alg:none token carrying valid-looking claims', () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const forged = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: subject.id, roles: [{ role: 'admin' }], rv: 99, jti: 'x', iat: now, exp: now + 600, iss: 'rongmei-api' })}.`;
    expect(() => tokens.verify(forged)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
  });

  it('refuses an HS256 token signed with another secret, and one whose payload was edited', () => {
    const other = createAccessTokens({ secret: 'another-secret-0123456789abcdef', clock }).issue(subject).accessToken;
    expect(() => tokens.verify(other)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));

    const [header, , signature] = tokens.issue(subject).accessToken.split('.');
    const now = Math.floor(clock.now().getTime() / 1000);
    const edited = `${header}.${b64url({ sub: subject.id, roles: [{ role: 'admin' }], rv: 3, jti: 'x', iat: now, exp: now + 600, iss: 'rongmei-api' })}.${signature}`;
    expect(() => tokens.verify(edited)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
  });

  it('refuses an HS512 token even when signed with the right secret (algorithm pinned)', () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const header = b64url({ alg: 'HS512', typ: 'JWT' });
    const payload = b64url({ sub: subject.id, roles: [], rv: 0, jti: 'x', iat: now, exp: now + 600, iss: 'rongmei-api' });
    const sig = createHmac('sha512', SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(() => tokens.verify(`${header}.${payload}.${sig}`)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
  });

  it('refuses a correctly signed token whose claims lack the roles version', () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const token = jwt.sign({ roles: [], iat: now }, SECRET, {
      algorithm: 'HS256',
      subject: subject.id,
      jwtid: 'x',
      issuer: 'rongmei-api',
      expiresIn: 60,
    });
    expect(() => tokens.verify(token)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
  });

  it('answers every token the way jsonwebtoken alone would (issuer, nbf, expiry, header, padding, signature)', () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const claims = { sub: subject.id, roles: [{ role: 'citizen' }], rv: 0, jti: 'j1', iat: now };
    const sign = (payload: object, options: jwt.SignOptions = {}) =>
      jwt.sign(payload, SECRET, { algorithm: 'HS256', issuer: 'rongmei-api', expiresIn: 60, ...options });
    const hs256 = (header: object, payload: object) => {
      const body = `${b64url(header)}.${b64url(payload)}`;
      return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    };
    const exp = now + 60;
    const cases: Array<[string, string]> = [
      ['valid', sign(claims)],
      ['valid without typ', hs256({ alg: 'HS256' }, { ...claims, iss: 'rongmei-api', exp })],
      ['other issuer', sign(claims, { issuer: 'someone-else' })],
      ['no issuer', hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp })],
      ['not yet valid', sign(claims, { notBefore: 30 })],
      ['nbf passed', sign({ ...claims, nbf: now - 5 })],
      ['expired', hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'rongmei-api', exp: now })],
      ['expired, other issuer', hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'x', exp: now - 1 })],
      ['exp not a number', hs256({ alg: 'HS256' }, { ...claims, iss: 'rongmei-api', exp: String(exp) })],
      ['no exp', hs256({ alg: 'HS256' }, { ...claims, iss: 'rongmei-api' })],
      ['header alg HS384 signed as HS256', hs256({ alg: 'HS384' }, { ...claims, iss: 'rongmei-api', exp })],
      ['payload an array', hs256({ alg: 'HS256' }, [claims])],
      ['padded signature', `${sign(claims)}=`],
      ['truncated signature', sign(claims).slice(0, -2)],
      ['four parts', `${sign(claims)}.x`],
    ];
    const reference = (token: string) => {
      try {
        jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: 'rongmei-api', clockTimestamp: now });
        return 'accepted';
      } catch (err) {
        return err instanceof jwt.TokenExpiredError ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID';
      }
    };
    for (const [name, token] of cases) {
      const fresh = createAccessTokens({ secret: SECRET, clock });
      let ours: string;
      try {
        fresh.verify(token);
        ours = 'accepted';
      } catch (err) {
        ours = (err as { code: string }).code;
      }
      // 'no exp' and 'exp not a number' are accepted by jsonwebtoken but refused by our claims schema.
      const expected = ['no exp', 'exp not a number'].includes(name) ? 'TOKEN_INVALID' : reference(token);
      expect(`${name}: ${ours}`).toBe(`${name}: ${expected}`);
    }
    expect(reference(cases[0]![1])).toBe('accepted');
  });
});
