import mongoose, { Schema, type Types } from 'mongoose';

/** A column (栏目) of the feed, as admins configure it. Articles name their column by `key`. */
export interface ColumnDoc {
  _id: Types.ObjectId;
  key: string;
  name: string;
  order: number;
  enabled: boolean;
  homeTab: boolean;
  /** One of the six defaults (seeded): never deleted. */
  builtin: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const columnSchema = new Schema<ColumnDoc>(
  {
    key: { type: String, required: true },
    name: { type: String, required: true },
    order: { type: Number, required: true },
    enabled: { type: Boolean, required: true },
    homeTab: { type: Boolean, required: true },
    builtin: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'columns', versionKey: false, strict: 'throw' },
);
columnSchema.index({ key: 1 }, { unique: true });

export const ColumnModel = mongoose.model<ColumnDoc>('Column', columnSchema);
