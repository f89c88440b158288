import { createSecretKey, randomUUID } from 'node:crypto';
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
  // requests only compare the expiry (as jsonwebtoken does: expired when now ≥ exp). Insertion order
  // makes the Map a FIFO, so the cache stays bounded. Only verified tokens get in, never refusals.
  const verified = new Map<string, AccessClaims>();

  return {
    issue({ id, roles, rolesVersion }) {
      const jti = randomUUID();
      const payload = { roles, rv: rolesVersion, iat: nowSeconds() };
      const accessToken = jwt.sign(payload, secret, { algorithm: ALGORITHM, expiresIn: ttl, subject: id, jwtid: jti, issuer: ISSUER });
      return { accessToken, expiresIn: ttl, jti };
    },

    verify(token) {
      const known = verified.get(token);
      if (known) {
        if (nowSeconds() >= known.exp) {
          verified.delete(token);
          throw new AppError('TOKEN_EXPIRED');
        }
        return known;
      }
      let decoded: unknown;
      try {
        decoded = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER, clockTimestamp: nowSeconds() });
      } catch (err) {
        if (err instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED');
        throw new AppError('TOKEN_INVALID');
      }
      const claims = claimsSchema.safeParse(decoded);
      if (!claims.success) throw new AppError('TOKEN_INVALID');
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
      verified.set(token, claims.data);
      return claims.data;
    },
  };
}

/** The app's access tokens: the configured secret on the business clock. */
export function accessTokensFor(deps: { config: { jwtSecret: string }; clock: Clock }): AccessTokens {
  return createAccessTokens({ secret: deps.config.jwtSecret, clock: deps.clock });
}
