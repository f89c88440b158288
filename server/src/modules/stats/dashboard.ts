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

/** Sums rows per key over the range (label: the latest day's). */
function byKey(rows: readonly RollupDoc[]): Map<string, Sum> {
  const out = new Map<string, Sum>();
  for (const r of rows) {
    let s = out.get(r.key);
    if (!s) out.set(r.key, (s = { name: r.label, values: {}, samples: [] }));
    s.name = r.label || s.name;
    for (const [k, v] of Object.entries(r.values)) s.values[k] = (s.values[k] ?? 0) + v;
    if (r.samples) s.samples.push(...r.samples);
  }
  return out;
}

/** Sums rows per day, every day of the range present (zeros where nothing was counted). */
function byDay<F extends string>(
  days: readonly string[],
  rows: readonly RollupDoc[],
  fields: readonly F[],
): ({ day: string } & Record<F, number>)[] {
  const out = new Map(days.map((d) => [d, Object.fromEntries(fields.map((f) => [f, 0])) as Record<string, number>]));
  for (const r of rows) {
    const d = out.get(r.day);
    if (d) for (const f of fields) d[f]! += r.values[f] ?? 0;
  }
  return days.map((day) => ({ day, ...out.get(day)! }) as { day: string } & Record<F, number>);
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
  const all = await RollupModel.find({ day: { $gte: q.from, $lte: q.to } }, { _id: 0, computedAt: 0, run: 0 }).lean<RollupDoc[]>();
  const of = (dim: RollupDoc['dimension']) => all.filter((r) => r.dimension === dim);
  const inArea = (r: RollupDoc) => !q.area || r.area === q.area;
  const departmentsAllowed = (r: RollupDoc) =>
    (!q.department || r.department === q.department) && (!scope.departments || scope.departments.includes(r.department ?? ''));

  const wz = of('wenzheng');
  const filters = {
    areas: [...new Set(all.flatMap((r) => (r.area && (r.dimension === 'users' || r.dimension === 'volunteers') ? [r.area] : [])))].sort(),
    departments: [...byKey(wz.filter((r) => !scope.departments || scope.departments.includes(r.key)))]
      .map(([key, s]) => ({ key, name: s.name }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
  const wzRows = wz.filter(departmentsAllowed);
  const wenzheng = {
    days: byDay(days, wzRows, ['intake', 'answered', 'overdue']),
    departments: [...byKey(wzRows)]
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
  const base = { from: q.from, to: q.to, daysComputed: of('done').length, filters, wenzheng };
  if (scope.departments) return base;

  const readers = new Map(of('reads').map((r) => [r.day, n(r.values.readers)]));
  const users = byDay(days, of('users').filter(inArea), ['newUsers', 'totalUsers']).map((d) => ({
    day: d.day,
    newUsers: d.newUsers,
    totalUsers: d.totalUsers,
    activeUsers: readers.get(d.day) ?? 0,
  }));
  const top = (map: Map<string, Sum>, field: string, limit: number) =>
    [...map].sort((a, b) => n(b[1].values[field]) - n(a[1].values[field]) || a[0].localeCompare(b[0])).slice(0, limit);
  const batches = top(byKey(of('coupon_batches')), 'claimed', 20).map(([key, s]) => ({
    key,
    name: s.name,
    issued: n(s.values.issued),
    claimed: n(s.values.claimed),
    redeemed: n(s.values.redeemed),
    expired: n(s.values.expired),
  }));
  const funnelRows = of('coupon_batches');
  const total = (field: string) => funnelRows.reduce((s, r) => s + n(r.values[field]), 0);
  const pointsRows = of('points');
  return {
    ...base,
    users: { days: users },
    reads: {
      days: byDay(days, of('reads'), ['reads']),
      topArticles: top(byKey(of('top_articles')), 'reads', 10).map(([key, s]) => ({ key, name: s.name, reads: n(s.values.reads) })),
    },
    circles: top(byKey(of('circles')), 'submissions', 20).map(([key, s]) => ({
      key,
      name: s.name,
      submissions: n(s.values.submissions),
      publications: n(s.values.publications),
    })),
    volunteers: top(byKey(of('volunteers').filter(inArea)), 'minutes', 20).map(([key, s]) => ({
      key,
      name: s.name,
      hours: hoursOf(n(s.values.minutes)),
      volunteers: n(s.values.volunteers),
    })),
    coupons: {
      funnel: { issued: total('issued'), claimed: total('claimed'), redeemed: total('redeemed'), expired: total('expired') },
      batches,
      merchants: top(byKey(of('coupon_merchants')), 'redeemed', 20).map(([key, s]) => ({
        key,
        name: s.name,
        redeemed: n(s.values.redeemed),
      })),
    },
    points: {
      days: byDay(days, pointsRows, ['issued', 'spent']),
      sources: [...byKey(pointsRows)]
        .map(([source, s]) => ({ source, issued: n(s.values.issued), spent: n(s.values.spent) }))
        .sort((a, b) => a.source.localeCompare(b.source)),
    },
  };
}
