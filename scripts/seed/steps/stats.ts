import type { Connection } from 'mongoose';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../../server/src/core/time';
import { RollupModel } from '../../../server/src/modules/stats/stats.model';
import { COUNTY_SCALE, sampleRollupDay, type Keyed, type SampleNames } from '../stats-history';
import type { SeedStep } from '../types';

/** Rows written by this step carry this run id, so they can be told from real roll-ups. */
export const SAMPLE_RUN = 'seed-sample';
const SAMPLE_DAYS = 30;

async function keyed(db: Connection, collection: string, filter: object, label: string, area?: string): Promise<Keyed[]> {
  const docs = await db.collection(collection).find(filter).limit(200).toArray();
  return docs.map((d) => ({ key: String(d._id), label: String(d[label] ?? d._id), ...(area && d[area] ? { area: String(d[area]) } : {}) }));
}

/**
 * The 数据看板's history in development. Everything the seed writes is dated today, so the nightly roll-up has
 * nothing to show for the month before: an empty `stats_daily` gets 30 days of sample figures up to yesterday,
 * under the seeded circles, teams, articles, batches and merchants. Once; never in production; real roll-ups (the
 * `stats-rollup` job, from the next night on) replace the sample day by day.
 */
export const statsSeed: SeedStep = {
  name: 'stats',
  async run({ deps, log }) {
    if (deps.config.isProduction) return;
    if ((await RollupModel.countDocuments({}).limit(1)) > 0) return log('statistics exist: no sample written');
    const db = deps.db;
    const names: SampleNames = {
      circles: await keyed(db, 'circles', {}, 'name'),
      teams: await keyed(db, 'volunteer_teams', {}, 'name', 'area'),
      articles: await keyed(db, 'articles', { status: 'published' }, 'title'),
      batches: await keyed(db, 'coupon_batches', {}, 'title'),
      merchants: await keyed(db, 'merchants', {}, 'name'),
    };
    const now = deps.clock.now();
    const today = shanghaiDayStart(shanghaiDay(now)).getTime();
    const days = Array.from({ length: SAMPLE_DAYS }, (_, i) => shanghaiDay(today - (SAMPLE_DAYS - i) * DAY_MS));
    const rows = days.flatMap((day, i) => sampleRollupDay(day, i, COUNTY_SCALE, SAMPLE_RUN, now, names));
    await RollupModel.bulkWrite(
      rows.map((r) => ({ replaceOne: { filter: { day: r.day, dimension: r.dimension, key: r.key }, replacement: r, upsert: true } })),
      { ordered: false },
    );
    log(`${days.length} days of sample statistics, ${days[0]} to ${days[days.length - 1]} (development only)`);
  },
};
