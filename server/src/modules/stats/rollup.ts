/**
 * The daily roll-ups: one Asia/Shanghai day's figures, computed from the modules' services (their own
 * count/aggregate methods, never their models) and written as `stats_daily` rows. Recomputing a day replaces
 * it: rows are upserted carrying the run's id, then the day's rows of other runs are deleted, so a reader
 * never sees the day half gone.
 */
import type { Logger } from '../../core/logger';
import { Types } from 'mongoose';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../core/time';
import type { StatsPorts } from './stats.ports';
import { RollupModel, type RollupDimension, type RollupDoc } from './stats.model';

type Row = Omit<RollupDoc, 'day' | 'computedAt' | 'run'>;

const NONE = 'none';

async function rowsOfDay(ports: StatsPorts, day: string): Promise<Row[]> {
  const start = shanghaiDayStart(day);
  const end = new Date(start.getTime() + DAY_MS);
  const [users, reads, published, submitted, wenzheng, teams, coupons, points] = await Promise.all([
    ports.users.dailyUserFigures(start, end),
    ports.newsroom.dailyReadFigures(day),
    ports.newsroom.publicationsPerCircle(start, end),
    ports.submissions.submissionsPerCircle(start, end),
    ports.wenzheng.dailyDepartmentFigures(start, end),
    ports.volunteers.dailyTeamHours(start, end),
    ports.coupons.dailyCouponFigures(start, end),
    ports.points.dailySourceTotals(day),
  ]);
  const circleIds = [...new Set([...published, ...submitted].flatMap((r) => (r.circleId ? [r.circleId] : [])))];
  const [circleNames, merchantNames] = await Promise.all([
    ports.circles.circleNames(circleIds),
    ports.merchants.merchantNames(coupons.merchants.map((m) => m.merchantId)),
  ]);
  const row = (dimension: RollupDimension, key: string, label: string, values: Record<string, number>, extra: Partial<Row> = {}): Row => ({
    dimension,
    key,
    label,
    values,
    ...extra,
  });

  const circles = new Map<string, { submissions: number; publications: number }>();
  const circle = (id: string | null) => {
    const key = id ?? NONE;
    let c = circles.get(key);
    if (!c) circles.set(key, (c = { submissions: 0, publications: 0 }));
    return c;
  };
  for (const s of submitted) circle(s.circleId).submissions += s.count;
  for (const p of published) circle(p.circleId).publications += p.count;

  return [
    ...users.map((u) =>
      row(
        'users',
        u.district ?? NONE,
        u.district ?? '未填区域',
        { newUsers: u.newUsers, totalUsers: u.totalUsers },
        u.district ? { area: u.district } : {},
      ),
    ),
    row('reads', 'all', '全县', { reads: reads.reads, readers: reads.readers }),
    ...reads.topArticles.map((a) => row('top_articles', a.articleId, a.title, { reads: a.reads })),
    ...[...circles].map(([key, c]) => row('circles', key, key === NONE ? '未归属圈子' : (circleNames.get(key) ?? key), c)),
    ...wenzheng.map((d) =>
      row(
        'wenzheng',
        d.code,
        d.name,
        { intake: d.intake, answered: d.answered, answeredOnTime: d.answeredOnTime, overdue: d.overdue },
        { department: d.code, samples: d.answerHours },
      ),
    ),
    ...teams.map((t) =>
      row('volunteers', t.teamId, t.name, { minutes: t.minutes, volunteers: t.volunteers }, t.area ? { area: t.area } : {}),
    ),
    ...coupons.batches.map((b) =>
      row('coupon_batches', b.batchId, b.title, { issued: b.issued, claimed: b.claimed, redeemed: b.redeemed, expired: b.expired }),
    ),
    ...coupons.merchants.map((m) =>
      row('coupon_merchants', m.merchantId, merchantNames.get(m.merchantId) ?? m.merchantId, { redeemed: m.redeemed }),
    ),
    ...points.map((p) => row('points', p.source, p.source, { issued: p.issued, spent: p.spent })),
  ];
}

/** Computes and stores one day's roll-up (replacing an earlier one), `done` row last. */
export async function rollUpDay(ports: StatsPorts, day: string, now: Date): Promise<number> {
  const rows = await rowsOfDay(ports, day);
  const run = new Types.ObjectId().toHexString();
  const all = [...rows, { dimension: 'done' as const, key: 'all', label: '', values: { rows: rows.length } }];
  await RollupModel.bulkWrite(
    all.map((r) => ({
      replaceOne: {
        filter: { day, dimension: r.dimension, key: r.key },
        replacement: { ...r, day, computedAt: now, run },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  await RollupModel.deleteMany({ day, run: { $ne: run } });
  return rows.length;
}

/**
 * What a run computes: yesterday always (late events of the day land after midnight), and every earlier day of
 * the last `backfillDays` that has no finished roll-up (the server was down, the job failed).
 */
export async function daysToRollUp(now: Date, backfillDays: number): Promise<string[]> {
  const today = shanghaiDayStart(shanghaiDay(now)).getTime();
  const days: string[] = [];
  for (let i = backfillDays; i >= 1; i -= 1) days.push(shanghaiDay(today - i * DAY_MS));
  const done = new Set(
    (await RollupModel.find({ dimension: 'done', day: { $in: days } }, { day: 1 }).lean<{ day: string }[]>()).map((d) => d.day),
  );
  const yesterday = days[days.length - 1]!;
  return days.filter((d) => d === yesterday || !done.has(d));
}

export async function rollUp(ports: StatsPorts, now: Date, backfillDays: number, logger: Logger): Promise<string[]> {
  const days = await daysToRollUp(now, backfillDays);
  for (const day of days) {
    const rows = await rollUpDay(ports, day, now);
    logger.info({ day, rows }, 'stats roll-up written');
  }
  return days;
}
