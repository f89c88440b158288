import { createHmac, createSecretKey, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { roleGrantSchema, type RoleGrant } from '@shared/roles';
import type { Clock } from '../clock';
import { AppError } from '../errors';

/** Access tokens live 15 minutes: short enough that a stolen one soon dies, long enough to spare refreshes. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'rongmei-api';
// Only HS256 is ever accepted: pinning the algorithm refuses `alg: none` and RS/HS confusion.
const ALGORITHM = 'HS256' as const;
/** Tokens already checked by this process (a signed token's claims never change; expiry is re-checked). */
const VERIFIED_CACHE_SIZE = 10_000;

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Token id, for logs and (later) a deny list. */
  jti: string;
  /** The user's roles when the token was issued. */
  roles: RoleGrant[];
  /** The user's roles version then: a token older than a role change is refused (see roles-version.ts). */
  rv: number;
  iat: number;
  exp: number;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  jti: z.string().min(1),
  roles: z.array(roleGrantSchema),
  rv: z.number().int().min(0),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** The token shape jws accepts: three base64url parts, the signature possibly empty. */
const JWS_SHAPE = /^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$/;

/** The header jsonwebtoken writes on every token we issue: no need to decode it again. */
const OUR_HEADER = Buffer.from(JSON.stringify({ alg: ALGORITHM, typ: 'JWT' })).toString('base64url');

function parseJsonPart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * The payload of a token jsonwebtoken would accept as it is (our issuer, HS256 with our key, not expired,
 * no nbf), checked without jsonwebtoken's decoding twice and its option handling; null for any other
 * token, which then goes through jsonwebtoken for the exact refusal. The signature is compared as jws
 * does: the base64url HMAC text, in constant time.
 */
function plainValidToken(token: string, secret: KeyObject, now: number): Record<string, unknown> | null {
  if (!JWS_SHAPE.test(token)) return null;
  const cut = token.lastIndexOf('.');
  const dot = token.indexOf('.');
  const expected = Buffer.from(createHmac('sha256', secret).update(token.slice(0, cut)).digest('base64url'));
  const given = Buffer.from(token.slice(cut + 1));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const headerPart = token.slice(0, dot);
  if (headerPart !== OUR_HEADER) {
    const header = parseJsonPart(headerPart) as { alg?: unknown } | null;
    if (header === null || typeof header !== 'object' || header.alg !== ALGORITHM) return null;
  }
  const payload = parseJsonPart(token.slice(dot + 1, cut)) as Record<string, unknown> | null;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  if (payload.nbf !== undefined || typeof payload.exp !== 'number' || now >= payload.exp || payload.iss !== ISSUER) return null;
  return payload;
}

export interface AccessTokens {
  issue(subject: { id: string; roles: readonly RoleGrant[]; rolesVersion: number }): {
    accessToken: string;
    expiresIn: number;
    jti: string;
  };
  /** Throws TOKEN_EXPIRED or TOKEN_INVALID. */
  verify(token: string): AccessClaims;
}

/** Signs and checks access tokens against the business clock (so tests can expire them by moving time). */
export function createAccessTokens(options: { secret: string; clock: Clock; ttlSeconds?: number }): AccessTokens {
  const { clock } = options;
  // A KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM
  // public/private key on every sign and verify, which cost more than the rest of a request.
  const secret = createSecretKey(Buffer.from(options.secret));
  const ttl = options.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  // A busy user sends the same token for 15 minutes: the signature and claims are checked once, later
  // requests only compare the expiry (as jsonwebtoken does: expired when now ≥ exp). Two generations of
  // half the size keep the cache bounded: when the newer one is full it becomes the older one and the
  // oldest half is dropped at once. (Evicting one entry at a time with `keys().next()` scans the deleted
  // slots V8 leaves at the front of a Map: ~15 µs a request once 20,000 new users had come.) Only
  // verified tokens get in, never refusals.
  let verified = new Map<string, AccessClaims>();
  let older = new Map<string, AccessClaims>();

  return {
    issue({ id, roles, rolesVersion }) {
      const jti = randomUUID();
      const payload = { roles, rv: rolesVersion, iat: nowSeconds() };
      const accessToken = jwt.sign(payload, secret, { algorithm: ALGORITHM, expiresIn: ttl, subject: id, jwtid: jti, issuer: ISSUER });
      return { accessToken, expiresIn: ttl, jti };
    },

    verify(token) {
      const known = verified.get(token) ?? older.get(token);
      if (known) {
        if (nowSeconds() >= known.exp) {
          verified.delete(token);
          older.delete(token);
          throw new AppError('TOKEN_EXPIRED');
        }
        return known;
      }
      const now = nowSeconds();
      let decoded: unknown = plainValidToken(token, secret, now);
      // Anything but a plainly valid token (expired, bad signature, odd header…) gets jsonwebtoken's verdict.
      if (decoded === null) {
        try {
          decoded = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER, clockTimestamp: now });
        } catch (err) {
          if (err instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED');
          throw new AppError('TOKEN_INVALID');
        }
      }
      const claims = claimsSchema.safeParse(decoded);
      if (!claims.success) throw new AppError('TOKEN_INVALID');
      if (verified.size >= VERIFIED_CACHE_SIZE / 2) {
        older = verified;
        verified = new Map();
      }
      verified.set(token, claims.data);
      return claims.data;
    },
  };
}

/**
 * Access tokens on the configured secret and the business clock. The app's one instance (whose verified-token
 * cache authenticate uses) is built in services.ts; tests and benches may make one just to issue tokens.
 */
export function accessTokensFor(deps: { config: { jwtSecret: string }; clock: Clock }): AccessTokens {
  return createAccessTokens({ secret: deps.config.jwtSecret, clock: deps.clock });
}
