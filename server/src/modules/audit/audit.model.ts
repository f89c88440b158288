import mongoose, { Schema, type Types } from 'mongoose';

/** One privileged action: who did what to which object, when. Append-only: nothing updates or deletes these. */
export interface AuditLogDoc {
  _id: Types.ObjectId;
  /** Null for actions the system takes on its own (seed, jobs). */
  actorId: Types.ObjectId | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details: Record<string, unknown>;
  requestId?: string;
  at: Date;
}

const auditLogSchema = new Schema<AuditLogDoc>(
  {
    actorId: { type: Schema.Types.ObjectId, default: null },
    action: { type: String, required: true },
    targetType: String,
    targetId: String,
    details: { type: Schema.Types.Mixed, default: {} },
    requestId: String,
    at: { type: Date, required: true },
  },
  { collection: 'audit_logs', versionKey: false, minimize: false },
);

auditLogSchema.index({ at: -1 });
auditLogSchema.index({ actorId: 1, _id: -1 });
auditLogSchema.index({ targetId: 1, _id: -1 });
auditLogSchema.index({ action: 1, _id: -1 });

export const AuditLogModel = mongoose.model<AuditLogDoc>('AuditLog', auditLogSchema);
