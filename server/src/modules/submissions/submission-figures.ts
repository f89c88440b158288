import type { Types } from 'mongoose';
import { SubmissionModel } from './submissions.model';

/** Counts for the stats roll-ups: read through the submissions service, never its model. */
export function createSubmissionFigures() {
  return {
    /** Pieces submitted in [start, end), per circle (null: no circle). */
    async submissionsPerCircle(start: Date, end: Date): Promise<{ circleId: string | null; count: number }[]> {
      const rows = await SubmissionModel.aggregate<{ _id: Types.ObjectId | null; n: number }>([
        { $match: { submittedAt: { $gte: start, $lt: end } } },
        { $group: { _id: '$circleId', n: { $sum: 1 } } },
      ]);
      return rows.map((r) => ({ circleId: r._id ? r._id.toHexString() : null, count: r.n }));
    },
  };
}
