import type { Context, Middleware } from 'koa';
import type { RoleGrant } from '@shared/roles';
import { AppError, isAppError } from '../errors';
import type { AccessClaims, AccessTokens } from './access-tokens';
import type { TokenCheck, TokenChecks } from './token-checks';

/** Who is calling: set on `ctx.state.user` from a valid bearer token. */
export interface AuthUser {
  id: string;
  roles: readonly RoleGrant[];
  /** The access token's jti. */
  tokenId: string;
  /** When the access token expires (seconds since the epoch): logout denies it until then. */
  tokenExp: number;
}

declare module 'koa' {
  interface DefaultState {
    /** Present when the request carried a valid access token. */
    user?: AuthUser;
  }
}

/** Why a presented token was refused; kept so `requireAuth` can answer with the precise code. */
const AUTH_ERROR = Symbol('authError');

function bearerToken(ctx: Context): string | null {
  const header = ctx.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // A malformed header is an invalid token, not an anonymous request.
  return match?.[1] ?? '';
}

/**
 * Mounted once for the whole app (`app.use(authenticate(services))`, with the app's one AccessTokens and
 * TokenChecks): reads `Authorization: Bearer …` when present and sets `ctx.state.user`.
 * It never refuses a request itself, so public endpoints can serve (and count) anonymous readers; routes
 * that need a user add `requireAuth` / `requireRole`, which answer AUTH_REQUIRED, TOKEN_EXPIRED or
 * TOKEN_INVALID.
 */
export function authenticate({
  accessTokens: tokens,
  tokenChecks: checks,
}: {
  accessTokens: AccessTokens;
  tokenChecks: TokenChecks;
}): Middleware {
  /** Sets ctx.state.user, or keeps why the token was refused for requireAuth (AppErrors only; others throw). */
  const admit = (ctx: Context, claims: AccessClaims, check: TokenCheck): void => {
    try {
      // Logged out: this very token was denied until its expiry.
      if (check.denied) throw new AppError('TOKEN_REVOKED');
      // Roles changed after this token was issued: refreshing gets a token with the current roles.
      if (check.version !== null && claims.rv < Number(check.version)) throw new AppError('TOKEN_EXPIRED');
      ctx.state.user = { id: claims.sub, roles: claims.roles, tokenId: claims.jti, tokenExp: claims.exp };
    } catch (err) {
      refuse(ctx, err);
    }
  };
  // Not an async function: a token whose check is known in memory (the usual case) is decided without an
  // await, and next()'s promise is handed back as it is (one async frame less per request).
  return (ctx, next) => {
    const token = bearerToken(ctx);
    if (token === null) return next();
    let claims: AccessClaims;
    try {
      if (token === '') throw new AppError('TOKEN_INVALID');
      claims = tokens.verify(token);
    } catch (err) {
      refuse(ctx, err);
      return next();
    }
    // The user's roles version and this token's deny-list entry: from this process's copy of them
    // (auth-mirror.ts) while its subscription is up; otherwise one round trip for both, remembered for
    // a second (recent-checks.ts: this process's logouts and role changes apply at once).
    const known = checks.known(claims.sub, claims.jti);
    if (known) {
      admit(ctx, claims, known);
      return next();
    }
    return checks.ask(claims.sub, claims.jti).then((asked) => {
      admit(ctx, claims, asked);
      return next();
    });
  };
}

/** A refused token (an AppError) is kept for requireAuth; anything else is a failure and propagates. */
function refuse(ctx: Context, err: unknown): void {
  if (!isAppError(err)) throw err;
  (ctx.state as Record<symbol, unknown>)[AUTH_ERROR] = err;
}

/** The signed-in user, or the reason there is none (AUTH_REQUIRED / TOKEN_EXPIRED / TOKEN_INVALID). */
export function currentUser(ctx: Context): AuthUser {
  if (ctx.state.user) return ctx.state.user;
  const refused = (ctx.state as Record<symbol, unknown>)[AUTH_ERROR];
  throw refused instanceof AppError ? refused : new AppError('AUTH_REQUIRED');
}

/** The signed-in user if any: for public endpoints that personalise or count readers. */
export function optionalUser(ctx: Context): AuthUser | null {
  return ctx.state.user ?? null;
}

/** Route middleware: 401 unless a valid access token came with the request. */
export const requireAuth: Middleware = (ctx, next) => {
  currentUser(ctx);
  return next();
};
