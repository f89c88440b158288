import { UserModel } from './users.model';

/** One district's users on a day, for the daily roll-ups (stats module). */
export interface DistrictUserFigures {
  district: string | null;
  /** Accounts created on the day. */
  newUsers: number;
  /** Accounts created before the day's end. */
  totalUsers: number;
}

/** Counts for the stats roll-ups: read through the users service, never its model. */
export function createUserFigures() {
  return {
    /** Per district, new accounts in [start, end) and all accounts created before `end`. */
    async dailyUserFigures(start: Date, end: Date): Promise<DistrictUserFigures[]> {
      const rows = await UserModel.aggregate<{ _id: string | null; total: number; fresh: number }>([
        { $match: { createdAt: { $lt: end } } },
        {
          $group: {
            _id: '$district',
            total: { $sum: 1 },
            fresh: { $sum: { $cond: [{ $gte: ['$createdAt', start] }, 1, 0] } },
          },
        },
      ]);
      return rows.map((r) => ({ district: r._id ?? null, newUsers: r.fresh, totalUsers: r.total }));
    },
  };
}
