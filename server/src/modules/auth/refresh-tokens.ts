import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import { RefreshTokenModel, type RefreshTokenDoc } from './auth.model';

/** A refresh token lasts 30 days from its issue; using it slides the session forward. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600_000;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export interface RefreshTokenStore {
  /** A new family's first token (at login). */
  issue(userId: string): Promise<string>;
  /**
   * Retires `token` and returns its successor in the same family. Throws REFRESH_TOKEN_INVALID for an
   * unknown, expired or revoked token, and REFRESH_TOKEN_REUSED (after revoking the family) for a
   * token that was already rotated.
   */
  rotate(token: string): Promise<{ userId: string; token: string }>;
  /** Revokes the family `token` belongs to (logout). Unknown tokens are ignored. */
  revokeFamilyOf(token: string, reason: 'logout' | 'admin'): Promise<void>;
  /** Revokes every session of a user (account disabled, password reset). */
  revokeAllOf(userId: string, reason: 'admin'): Promise<void>;
}

export function createRefreshTokenStore(clock: Clock): RefreshTokenStore {
  async function insert(userId: Types.ObjectId, familyId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    await RefreshTokenModel.create({
      tokenHash: sha256(token),
      familyId,
      userId,
      status: 'active',
      createdAt: now,
      expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
      // Wall clock on purpose: storage housekeeping, not a business rule (expiry is judged on `expiresAt`).
      purgeAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
    });
    return token;
  }

  async function revokeFamily(familyId: string, reason: RefreshTokenDoc['revokedReason']): Promise<void> {
    await RefreshTokenModel.updateMany(
      { familyId, status: { $ne: 'revoked' } },
      { $set: { status: 'revoked', revokedAt: clock.now(), revokedReason: reason } },
    );
  }

  return {
    issue: (userId) => insert(new Types.ObjectId(userId), randomUUID()),

    async rotate(token) {
      const tokenHash = sha256(token);
      const now = clock.now();
      // The conditional update is the guard: of two requests presenting the same token, exactly one
      // retires it; the other finds it rotated and is treated as reuse.
      const retired = await RefreshTokenModel.findOneAndUpdate(
        { tokenHash, status: 'active', expiresAt: { $gt: now } },
        { $set: { status: 'rotated', rotatedAt: now } },
        { returnDocument: 'after', lean: true },
      );
      if (retired) {
        return { userId: retired.userId.toHexString(), token: await insert(retired.userId, retired.familyId) };
      }
      const known = await RefreshTokenModel.findOne({ tokenHash }).lean<RefreshTokenDoc>();
      if (known?.status === 'rotated') {
        await revokeFamily(known.familyId, 'reuse');
        throw new AppError('REFRESH_TOKEN_REUSED');
      }
      throw new AppError('REFRESH_TOKEN_INVALID');
    },

    async revokeFamilyOf(token, reason) {
      const known = await RefreshTokenModel.findOne({ tokenHash: sha256(token) }).lean<RefreshTokenDoc>();
      if (known) await revokeFamily(known.familyId, reason);
    },

    async revokeAllOf(userId, reason) {
      await RefreshTokenModel.updateMany(
        { userId: new Types.ObjectId(userId), status: { $ne: 'revoked' } },
        { $set: { status: 'revoked', revokedAt: clock.now(), revokedReason: reason } },
      );
    },
  };
}
