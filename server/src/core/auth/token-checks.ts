import type { Redis } from 'ioredis';
import type { Clock } from '../clock';
import { startAuthMirror, type AuthMirror } from './auth-mirror';
import { createRecentChecks } from './recent-checks';
import { publishRolesVersion, rolesVersionKey } from './roles-version';
import { denyAccessToken, denyKey } from './token-denylist';

/** What a request's token check needs beyond the signature: its user's roles version and its deny-list entry. */
export interface TokenCheck {
  version: string | null;
  denied: boolean;
}

/**
 * This API process's knowledge of the Redis facts behind its access tokens (logouts, role changes): the
 * mirror kept by pub/sub (auth-mirror.ts) and the checks asked of Redis in the last second
 * (recent-checks.ts). Built once per app (services.ts): authenticate reads it, and the logout and role
 * changes of this process go through it so its copy learns them at once.
 */
export interface TokenChecks {
  /** The check from memory (the mirror while it is live, else a recent answer), or undefined: ask(). */
  known(sub: string, jti: string): TokenCheck | undefined;
  /** One Redis round trip for both facts, remembered for a second. */
  ask(sub: string, jti: string): Promise<TokenCheck>;
  /** Logout: the token is denied until it expires, in every process. */
  revoke(token: { jti: string; exp: number }): Promise<void>;
  /** A role change: the user's older tokens are retired, in every process. */
  publishRolesVersion(userId: string, version: number): Promise<void>;
  /** The pub/sub copy (tests and diagnostics read `live` and `reads`). */
  readonly mirror: AuthMirror;
  /** Stops the mirror's subscription. */
  close(): void;
}

export function createTokenChecks({ redis, clock }: { redis: Redis; clock: Clock }): TokenChecks {
  const mirror = startAuthMirror(redis);
  const recent = createRecentChecks();
  return {
    known: (sub, jti) => mirror.check(sub, jti) ?? recent.get(jti),

    async ask(sub, jti) {
      const gen = recent.generation();
      const [version, denied] = await redis.mget(rolesVersionKey(sub), denyKey(jti));
      const asked = { sub, version: version ?? null, denied: denied !== null };
      recent.remember(gen, jti, asked);
      return asked;
    },

    async revoke(token) {
      await denyAccessToken(redis, clock, token);
      mirror.noteDenied(token.jti);
      recent.forget({ jti: token.jti });
    },

    async publishRolesVersion(userId, version) {
      await publishRolesVersion(redis, userId, version);
      mirror.noteVersion(userId, version);
      recent.forget({ sub: userId });
    },

    mirror,
    close: () => mirror.close(),
  };
}
