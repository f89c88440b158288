export { ACCESS_TOKEN_TTL_SECONDS, accessTokensFor, createAccessTokens, type AccessClaims, type AccessTokens } from './access-tokens';
export { actorOf, type Actor } from './actor';
export { authenticate, currentUser, optionalUser, requireAuth, type AuthUser } from './authenticate';
export { assertOwner, authorize, can, requireRole, type Requirement, type RoleHolder } from './authorize';
export { currentRolesVersion, publishRolesVersion } from './roles-version';
export { denyAccessToken } from './token-denylist';
export { createTokenChecks, type TokenCheck, type TokenChecks } from './token-checks';
export type { AuthMirror } from './auth-mirror';
