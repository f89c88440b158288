/**
 * Sample daily roll-ups (`stats_daily` rows) shaped like a county's: every dimension the dashboard draws, with
 * figures that rise and fall by weekday. The development seed fills the month before the first real roll-up with
 * them (so a fresh `npm start` has a 数据看板 to look at), and `npm run bench -- dashboard` a year of them.
 * Deterministic: the same day always gets the same figures.
 */
import { POINTS_SOURCES } from '@shared/schemas/points';
import type { RollupDoc } from '../../server/src/modules/stats/stats.model';
import { COUNTY, DEPARTMENTS } from './county';

/** How many of each keyed thing a day has (a county: 8 towns, ~10 circles, ~20 teams…). */
export interface SampleScale {
  circles: number;
  teams: number;
  batches: number;
  merchants: number;
  articlesPerDay: number;
}
export const COUNTY_SCALE: SampleScale = { circles: 10, teams: 20, batches: 30, merchants: 50, articlesPerDay: 10 };

export interface Keyed {
  key: string;
  label: string;
  area?: string;
}
/** Real circles, teams, articles… to put the figures under (the dev seed's), instead of invented ones. */
export interface SampleNames {
  circles?: readonly Keyed[];
  teams?: readonly Keyed[];
  articles?: readonly Keyed[];
  batches?: readonly Keyed[];
  merchants?: readonly Keyed[];
}

const CIRCLE_NAMES = ['教育', '统战', '党建', '图文生产', '卫健', '政法', '文旅', '乡村振兴', '企业', '志愿服务'];

/** A small deterministic generator (mulberry32), seeded by the day. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One day's rows. `index` is the day's position in the series (0 = the first day), so cumulative figures
 * (total users) grow along it. The rows carry `run` so the sample can be told from real roll-ups.
 */
export function sampleRollupDay(
  day: string,
  index: number,
  scale: SampleScale,
  run: string,
  now: Date,
  names: SampleNames = {},
): RollupDoc[] {
  const rnd = random(Number(day.replaceAll('-', '')));
  const weekday = new Date(`${day}T12:00:00+08:00`).getUTCDay();
  const busy = weekday === 0 || weekday === 6 ? 0.7 : 1;
  const int = (max: number) => Math.round(rnd() * max * busy);
  const rows: Omit<RollupDoc, 'day' | 'computedAt' | 'run'>[] = [];
  const row = (r: Omit<RollupDoc, 'day' | 'computedAt' | 'run'>) => rows.push(r);
  /** The real names when given (each used as often as the scale asks, cycling), else invented ones. */
  const pick = (real: readonly Keyed[] | undefined, count: number, invent: (i: number) => Keyed): Keyed[] =>
    real?.length ? real.slice(0, count) : Array.from({ length: count }, (_, i) => invent(i));

  let readers = 0;
  COUNTY.towns.forEach((town, i) => {
    const newUsers = 3 + int(20);
    readers += 40 + int(160);
    row({
      dimension: 'users',
      key: town,
      label: town,
      area: town,
      values: { newUsers, totalUsers: 800 + i * 150 + index * 12 + newUsers },
    });
  });
  row({ dimension: 'reads', key: 'all', label: '全县', values: { reads: readers * 4 + int(900), readers } });
  // Ten articles a day from a pool that moves on every few days, as the news does.
  const articles = names.articles?.length
    ? Array.from(
        { length: Math.min(scale.articlesPerDay, names.articles.length) },
        (_, i) => names.articles![(index * 3 + i) % names.articles!.length]!,
      )
    : pick(undefined, scale.articlesPerDay, (i) => ({
        key: `sample-article-${index}-${i}`,
        label: `${COUNTY.name}要闻 ${day} 第 ${i + 1} 篇`,
      }));
  for (const a of articles) row({ dimension: 'top_articles', key: a.key, label: a.label, values: { reads: 200 + int(1800) } });
  const circles = pick(names.circles, scale.circles, (i) => ({
    key: `sample-circle-${i}`,
    label: `融媒+${CIRCLE_NAMES[i % CIRCLE_NAMES.length]}${i >= CIRCLE_NAMES.length ? ` ${Math.floor(i / CIRCLE_NAMES.length) + 1}` : ''}`,
  }));
  for (const c of circles) {
    const submissions = int(8);
    row({ dimension: 'circles', key: c.key, label: c.label, values: { submissions, publications: Math.round(submissions * rnd()) } });
  }
  for (const d of DEPARTMENTS) {
    const intake = int(12);
    const answered = Math.round(intake * (0.6 + rnd() * 0.4));
    row({
      dimension: 'wenzheng',
      key: d.code,
      label: d.name,
      department: d.code,
      values: { intake, answered, answeredOnTime: Math.round(answered * (0.7 + rnd() * 0.3)), overdue: int(2) },
      samples: Array.from({ length: answered }, () => Math.round((4 + rnd() * 90) * 10) / 10),
    });
  }
  const teams = pick(names.teams, scale.teams, (i) => {
    const town = COUNTY.towns[i % COUNTY.towns.length]!;
    const nth = i >= COUNTY.towns.length ? ` ${Math.floor(i / COUNTY.towns.length) + 1}` : '';
    return { key: `sample-team-${i}`, label: `${town}志愿服务队${nth}`, area: town };
  });
  for (const t of teams) {
    const volunteers = int(15);
    row({
      dimension: 'volunteers',
      key: t.key,
      label: t.label,
      ...(t.area ? { area: t.area } : {}),
      values: { minutes: volunteers * (60 + int(180)), volunteers },
    });
  }
  for (const b of pick(names.batches, scale.batches, (i) => ({ key: `sample-batch-${i}`, label: `消费券第 ${i + 1} 批` }))) {
    const issued = int(60);
    const claimed = Math.round(issued * (0.5 + rnd() * 0.5));
    const redeemed = Math.round(claimed * (0.3 + rnd() * 0.6));
    row({
      dimension: 'coupon_batches',
      key: b.key,
      label: b.label,
      values: { issued, claimed, redeemed, expired: Math.round((claimed - redeemed) * rnd() * 0.5) },
    });
  }
  const merchants = pick(names.merchants, scale.merchants, (i) => ({
    key: `sample-merchant-${i}`,
    label: `${COUNTY.towns[i % COUNTY.towns.length]}商户 ${i + 1}`,
  }));
  for (const m of merchants) row({ dimension: 'coupon_merchants', key: m.key, label: m.label, values: { redeemed: int(12) } });
  for (const source of POINTS_SOURCES) {
    const spends = source === 'mall' || source === 'expiry';
    row({ dimension: 'points', key: source, label: source, values: { issued: spends ? 0 : int(3000), spent: spends ? int(2500) : 0 } });
  }
  row({ dimension: 'done', key: 'all', label: '', values: { rows: rows.length } });
  return rows.map((r) => ({ ...r, day, computedAt: now, run }));
}
