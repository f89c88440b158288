import mongoose, { Schema } from 'mongoose';

/** What a roll-up row counts. `done` marks a day whose roll-up finished (back-fill finds missed days by it). */
export const ROLLUP_DIMENSIONS = [
  'done',
  'users',
  'reads',
  'top_articles',
  'circles',
  'wenzheng',
  'volunteers',
  'coupon_batches',
  'coupon_merchants',
  'points',
] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

/**
 * One day's figures for one dimension and key (a district, circle, department, team, batch, merchant,
 * source, or `all`). The dashboard reads only these. Recomputing a day replaces its rows.
 */
export interface RollupDoc {
  day: string;
  dimension: RollupDimension;
  key: string;
  label: string;
  /** 区域 (users' district, volunteer teams' area) where the row has one. */
  area?: string;
  /** Department code (问政 rows). */
  department?: string;
  values: Record<string, number>;
  /** 问政: hours to first answer of each answer of the day (a range's median is taken over them). */
  samples?: number[];
  computedAt: Date;
  /** The run that wrote the row: rows of the day from any other run are what a recomputation deletes. */
  run: string;
}

const rollupSchema = new Schema<RollupDoc>(
  {
    day: { type: String, required: true },
    dimension: { type: String, enum: ROLLUP_DIMENSIONS, required: true },
    key: { type: String, required: true },
    label: { type: String, default: '' },
    area: String,
    department: String,
    values: { type: Schema.Types.Mixed, required: true },
    samples: { type: [Number], default: undefined },
    computedAt: { type: Date, required: true },
    run: { type: String, required: true },
  },
  { collection: 'stats_daily', versionKey: false, strict: 'throw' },
);
rollupSchema.index({ day: 1, dimension: 1, key: 1 }, { unique: true });

export const RollupModel = mongoose.model<RollupDoc>('StatsRollup', rollupSchema);
