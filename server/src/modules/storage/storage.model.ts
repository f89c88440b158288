import mongoose, { Schema, type Types } from 'mongoose';
import { SAFETY_STATES, UPLOAD_TYPES, type SafetyState } from '@shared/schemas/newsroom';

/** An uploaded image and WeChat's verdict on it (mediaCheckAsync, pushed back later). */
export interface FileDoc {
  _id: Types.ObjectId;
  ownerId: Types.ObjectId;
  key: string;
  contentType: (typeof UPLOAD_TYPES)[number];
  size: number;
  safety: SafetyState;
  /** mediaCheckAsync's trace_id: how the pushed verdict finds this file. */
  traceId?: string;
  label?: number;
  /** Personal data (a licence photo): never served by the public URL, only through a signed one. */
  private?: boolean;
  createdAt: Date;
  checkedAt?: Date;
}
const fileSchema = new Schema<FileDoc>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    contentType: { type: String, enum: UPLOAD_TYPES, required: true },
    size: { type: Number, required: true },
    safety: { type: String, enum: SAFETY_STATES, required: true },
    traceId: String,
    label: Number,
    private: Boolean,
    createdAt: { type: Date, required: true },
    checkedAt: Date,
  },
  { collection: 'files', versionKey: false, strict: 'throw' },
);
fileSchema.index({ key: 1 }, { unique: true });
fileSchema.index({ traceId: 1 }, { unique: true, sparse: true });
fileSchema.index({ ownerId: 1, createdAt: -1 });
export const FileModel = mongoose.model<FileDoc>('File', fileSchema);
