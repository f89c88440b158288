import type { Types } from 'mongoose';
import { ArticleModel, ArticleReadModel } from './newsroom.model';

export interface DailyReadFigures {
  /** Signed-in article reads on the day (one per reader, article and day: anonymous reads are counters only). */
  reads: number;
  /** Distinct signed-in readers: the daily-active-user signal. */
  readers: number;
  /** The day's most read articles (at most `top`). */
  topArticles: { articleId: string; title: string; reads: number }[];
}

/** Counts for the stats roll-ups: read through the newsroom service, never its model. */
export function createArticleFigures() {
  return {
    async dailyReadFigures(day: string, top = 10): Promise<DailyReadFigures> {
      const perArticle = await ArticleReadModel.aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { day } },
        { $group: { _id: '$articleId', n: { $sum: 1 } } },
      ]);
      const readers = await ArticleReadModel.aggregate<{ n: number }>([
        { $match: { day } },
        { $group: { _id: '$userId' } },
        { $count: 'n' },
      ]);
      const best = [...perArticle].sort((a, b) => b.n - a.n || a._id.toHexString().localeCompare(b._id.toHexString())).slice(0, top);
      const titles = new Map(
        (
          await ArticleModel.find({ _id: { $in: best.map((b) => b._id) } }, { title: 1 }).lean<{ _id: Types.ObjectId; title: string }[]>()
        ).map((a) => [a._id.toHexString(), a.title]),
      );
      return {
        reads: perArticle.reduce((s, r) => s + r.n, 0),
        readers: readers[0]?.n ?? 0,
        topArticles: best.map((b) => ({ articleId: b._id.toHexString(), title: titles.get(b._id.toHexString()) ?? '', reads: b.n })),
      };
    },

    /** Articles published in [start, end), per circle (null: not from a circle). */
    async publicationsPerCircle(start: Date, end: Date): Promise<{ circleId: string | null; count: number }[]> {
      const rows = await ArticleModel.aggregate<{ _id: Types.ObjectId | null; n: number }>([
        { $match: { status: 'published', publishedAt: { $gte: start, $lt: end } } },
        { $group: { _id: '$circleId', n: { $sum: 1 } } },
      ]);
      return rows.map((r) => ({ circleId: r._id ? r._id.toHexString() : null, count: r.n }));
    },
  };
}
