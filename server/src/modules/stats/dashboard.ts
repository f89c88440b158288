/** The 数据看板 figures for a range, summed from the daily roll-ups alone. */
import type { DashboardQuery, DashboardResponse } from '@shared/schemas/stats';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../core/time';
import { RollupModel, type RollupDoc } from './stats.model';
import { hoursOf } from '../volunteers';

/** Days of [from, to], inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = shanghaiDayStart(from).getTime(), end = shanghaiDayStart(to).getTime(); t <= end; t += DAY_MS) out.push(shanghaiDay(t));
  return out;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return Math.round((s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2) * 10) / 10;
}

const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

type Sum = { name: string; values: Record<string, number>; samples: number[] };

/** Sums rows per key over the range (label: the latest day's), one row at a time. */
class KeySums {
  readonly map = new Map<string, Sum>();
  add(r: RollupDoc): void {
    let s = this.map.get(r.key);
    if (!s) this.map.set(r.key, (s = { name: r.label, values: {}, samples: [] }));
    s.name = r.label || s.name;
    for (const [k, v] of Object.entries(r.values)) s.values[k] = (s.values[k] ?? 0) + v;
    if (r.samples) s.samples.push(...r.samples);
  }
}

/** Sums rows per day, every day of the range present (zeros where nothing was counted). */
class DaySums<F extends string> {
  private readonly sums: Map<string, Record<string, number>>;
  constructor(
    private readonly days: readonly string[],
    private readonly fields: readonly F[],
  ) {
    this.sums = new Map(days.map((d) => [d, Object.fromEntries(fields.map((f) => [f, 0]))]));
  }
  add(r: RollupDoc): void {
    const d = this.sums.get(r.day);
    if (d) for (const f of this.fields) d[f]! += r.values[f] ?? 0;
  }
  rows(): ({ day: string } & Record<F, number>)[] {
    return this.days.map((day) => ({ day, ...this.sums.get(day)! }) as { day: string } & Record<F, number>);
  }
}

const n = (v: number | undefined) => v ?? 0;

export interface Scope {
  /** Department staff: only these departments' 问政 figures, nothing else. */
  departments: readonly string[] | null;
}

export async function dashboard(
  q: Required<Pick<DashboardQuery, 'from' | 'to'>> & DashboardQuery,
  scope: Scope,
): Promise<DashboardResponse> {
  const days = daysBetween(q.from, q.to);
  const inArea = (r: RollupDoc) => !q.area || r.area === q.area;
  const departmentsAllowed = (r: RollupDoc) =>
    (!q.department || r.department === q.department) && (!scope.departments || scope.departments.includes(r.department ?? ''));

  // A year of a county's roll-ups is tens of thousands of rows: they are folded into the sums as the cursor
  // hands them over, never held as one array (a cold answer's memory is the sums, not the rows).
  const areas = new Set<string>();
  const departmentNames = new KeySums();
  const wzDays = new DaySums(days, ['intake', 'answered', 'overdue']);
  const wzKeys = new KeySums();
  const readers = new Map<string, number>();
  const reads = new DaySums(days, ['reads']);
  const users = new DaySums(days, ['newUsers', 'totalUsers']);
  const topArticles = new KeySums();
  const circles = new KeySums();
  const volunteers = new KeySums();
  const batchSums = new KeySums();
  const merchants = new KeySums();
  const pointsDays = new DaySums(days, ['issued', 'spent']);
  const pointsSources = new KeySums();
  let daysComputed = 0;
  const rows = RollupModel.find({ day: { $gte: q.from, $lte: q.to } }, { _id: 0, computedAt: 0, run: 0 })
    .lean<RollupDoc[]>()
    .cursor({ batchSize: 1000 });
  /** What each dimension's row adds to (every dimension named, so a new one can't be forgotten here). */
  const fold: Record<RollupDoc['dimension'], (r: RollupDoc) => void> = {
    done: () => void (daysComputed += 1),
    wenzheng: (r) => {
      if (!scope.departments || scope.departments.includes(r.key)) departmentNames.add(r);
      if (departmentsAllowed(r)) [wzDays, wzKeys].forEach((sums) => sums.add(r));
    },
    reads: (r) => {
      readers.set(r.day, n(r.values.readers));
      reads.add(r);
    },
    users: (r) => inArea(r) && users.add(r),
    top_articles: (r) => topArticles.add(r),
    circles: (r) => circles.add(r),
    volunteers: (r) => inArea(r) && volunteers.add(r),
    coupon_batches: (r) => batchSums.add(r),
    coupon_merchants: (r) => merchants.add(r),
    points: (r) => [pointsDays, pointsSources].forEach((sums) => sums.add(r)),
  };
  for await (const r of rows as AsyncIterable<RollupDoc>) {
    if (r.area && (r.dimension === 'users' || r.dimension === 'volunteers')) areas.add(r.area);
    fold[r.dimension](r);
  }

  const filters = {
    areas: [...areas].sort(),
    departments: [...departmentNames.map].map(([key, s]) => ({ key, name: s.name })).sort((a, b) => a.key.localeCompare(b.key)),
  };
  const wenzheng = {
    days: wzDays.rows(),
    departments: [...wzKeys.map]
      .map(([key, s]) => ({
        key,
        name: s.name,
        intake: n(s.values.intake),
        answered: n(s.values.answered),
        answeredOnTime: n(s.values.answeredOnTime),
        overdue: n(s.values.overdue),
        replyRate: rate(n(s.values.answered), n(s.values.intake)),
        medianHoursToAnswer: median(s.samples),
      }))
      .sort((a, b) => b.intake - a.intake || a.key.localeCompare(b.key)),
  };
  const base = { from: q.from, to: q.to, daysComputed, filters, wenzheng };
  if (scope.departments) return base;

  const top = (sums: KeySums, field: string, limit: number) =>
    [...sums.map].sort((a, b) => n(b[1].values[field]) - n(a[1].values[field]) || a[0].localeCompare(b[0])).slice(0, limit);
  const batches = top(batchSums, 'claimed', 20).map(([key, s]) => ({
    key,
    name: s.name,
    issued: n(s.values.issued),
    claimed: n(s.values.claimed),
    redeemed: n(s.values.redeemed),
    expired: n(s.values.expired),
  }));
  const total = (field: string) => [...batchSums.map.values()].reduce((sum, s) => sum + n(s.values[field]), 0);
  return {
    ...base,
    users: {
      days: users.rows().map((d) => ({ ...d, activeUsers: readers.get(d.day) ?? 0 })),
    },
    reads: {
      days: reads.rows(),
      topArticles: top(topArticles, 'reads', 10).map(([key, s]) => ({ key, name: s.name, reads: n(s.values.reads) })),
    },
    circles: top(circles, 'submissions', 20).map(([key, s]) => ({
      key,
      name: s.name,
      submissions: n(s.values.submissions),
      publications: n(s.values.publications),
    })),
    volunteers: top(volunteers, 'minutes', 20).map(([key, s]) => ({
      key,
      name: s.name,
      hours: hoursOf(n(s.values.minutes)),
      volunteers: n(s.values.volunteers),
    })),
    coupons: {
      funnel: { issued: total('issued'), claimed: total('claimed'), redeemed: total('redeemed'), expired: total('expired') },
      batches,
      merchants: top(merchants, 'redeemed', 20).map(([key, s]) => ({
        key,
        name: s.name,
        redeemed: n(s.values.redeemed),
      })),
    },
    points: {
      days: pointsDays.rows(),
      sources: [...pointsSources.map]
        .map(([source, s]) => ({ source, issued: n(s.values.issued), spent: n(s.values.spent) }))
        .sort((a, b) => a.source.localeCompare(b.source)),
    },
  };
}
