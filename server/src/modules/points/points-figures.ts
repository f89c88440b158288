import { PointsEntryModel } from './points.model';

/** Points credited and debited on a day, per source: for the stats roll-ups (never the ledger's model outside points). */
export async function dailySourceTotals(day: string): Promise<{ source: string; issued: number; spent: number }[]> {
  const rows = await PointsEntryModel.aggregate<{ _id: string; issued: number; spent: number }>([
    { $match: { day } },
    {
      $group: {
        _id: '$source',
        issued: { $sum: { $cond: [{ $gt: ['$amount', 0] }, '$amount', 0] } },
        spent: { $sum: { $cond: [{ $lt: ['$amount', 0] }, { $subtract: [0, '$amount'] }, 0] } },
      },
    },
  ]);
  return rows.map((r) => ({ source: r._id, issued: r.issued, spent: r.spent }));
}
