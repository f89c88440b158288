import mongoose, { Schema, type Types } from 'mongoose';

/**
 * One refresh token, stored only as its SHA-256 (a database leak yields no usable token). Tokens of one
 * login form a family: each refresh retires the presented token ('rotated') and adds its successor.
 * Presenting a rotated token again means it was copied, so the whole family is revoked.
 */
export interface RefreshTokenDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  familyId: string;
  userId: Types.ObjectId;
  status: 'active' | 'rotated' | 'revoked';
  createdAt: Date;
  expiresAt: Date;
  /** Housekeeping only: when MongoDB's TTL monitor may delete the record (see the index below). */
  purgeAt: Date;
  rotatedAt?: Date;
  revokedAt?: Date;
  revokedReason?: 'logout' | 'reuse' | 'admin';
}

const refreshTokenSchema = new Schema<RefreshTokenDoc>(
  {
    tokenHash: { type: String, required: true },
    familyId: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: ['active', 'rotated', 'revoked'], required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    purgeAt: { type: Date, required: true },
    rotatedAt: Date,
    revokedAt: Date,
    revokedReason: { type: String, enum: ['logout', 'reuse', 'admin'] },
  },
  { collection: 'refresh_tokens', versionKey: false },
);

refreshTokenSchema.index({ tokenHash: 1 }, { unique: true });
refreshTokenSchema.index({ familyId: 1 });
refreshTokenSchema.index({ userId: 1, status: 1 });
// Rotated tokens are kept (to detect reuse) until they would have expired anyway. The TTL monitor runs on
// the server's wall clock, so it reads `purgeAt` (wall-clock time of issue + lifetime), never the
// business-clock `expiresAt`: a test clock set in the past must not see its tokens swept mid-test.
refreshTokenSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0 });

export const RefreshTokenModel = mongoose.model<RefreshTokenDoc>('RefreshToken', refreshTokenSchema);
