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
});
