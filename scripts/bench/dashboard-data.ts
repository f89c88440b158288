/**
 * The county-sized data set of `npm run bench -- dashboard`: a year of raw activity (≥ 1M points ledger entries,
 * ≥ 100k 问政 cases, ≥ 1M article reads, 20k citizens) written with unordered bulk inserts, then rolled up by the
 * production job (`services.stats.rollUp`, the cron job's call: yesterday plus the missed days of the last 14,
 * stepped through the year as a server back-filling after downtime would), so every `stats_daily` row the
 * dashboard reads was computed from the raw data.
 *
 * Building it takes minutes, so it is kept: a marker document (`bench_datasets`, `_id: 'dashboard'`) is written
 * last, and a later run finding it with the same DATASET version reuses the database as it is. A database
 * without the marker (a build that died half-way) is dropped and built again.
 */
import { Types, type Connection } from 'mongoose';
import { POINTS_SOURCES, type PointsSource } from '@shared/schemas/points';
import { WENZHENG_CATEGORIES } from '@shared/schemas/wenzheng';
import type { AppDeps } from '../../server/src/core/deps';
import { ensureIndexes } from '../../server/src/core/db';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../server/src/core/time';
import type { Services } from '../../server/src/services';
import { PointsEntryModel } from '../../server/src/modules/points/points.model';
import { ArticleModel, ArticleReadModel } from '../../server/src/modules/newsroom/newsroom.model';
import { CaseModel } from '../../server/src/modules/wenzheng/wenzheng.model';
import { UserModel } from '../../server/src/modules/users/users.model';
import { RollupModel } from '../../server/src/modules/stats/stats.model';
import { COUNTY, DEPARTMENTS } from '../seed/county';
import { SEED_STEPS } from '../seed/steps';
import { statsSeed } from '../seed/steps/stats';

/**
 * What the data set holds. Bump `version` when the generator changes: a cached set of another version is rebuilt.
 * BENCH_DASHBOARD_SCALE (default 1) shrinks the counts for a quick trial of the bench itself (a set of another
 * scale is rebuilt too); figures from a scale below 1 are not the bench's.
 */
const SCALE = Number(process.env.BENCH_DASHBOARD_SCALE ?? 1);
const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
export const DATASET = {
  version: 1,
  scale: SCALE,
  days: 366,
  users: scaled(20_000),
  ledger: scaled(1_000_000),
  cases: scaled(100_000),
  reads: scaled(1_000_000),
} as const;

export interface DatasetMarker {
  _id: 'dashboard';
  version: number;
  scale: number;
  firstDay: string;
  lastDay: string;
  users: number;
  ledger: number;
  cases: number;
  reads: number;
  rollupRows: number;
  builtAt: Date;
  buildSeconds: number;
}

const BATCH = 10_000;

/** A small deterministic generator (mulberry32). */
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

/** Inserts documents in unordered batches of BATCH, two batches in flight; returns how many were stored. */
class BulkInserter {
  private inFlight: Promise<void>[] = [];
  private buffer: object[] = [];
  stored = 0;
  private failure: unknown;
  constructor(private readonly insert: (docs: object[]) => Promise<{ insertedCount: number }>) {}
  async add(doc: object): Promise<void> {
    if (this.failure) throw this.failure;
    this.buffer.push(doc);
    if (this.buffer.length >= BATCH) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const docs = this.buffer;
    this.buffer = [];
    // Caught at once (an unawaited rejection would end the process before done() reports it), rethrown by done().
    const p = this.insert(docs).then(
      (r) => void (this.stored += r.insertedCount),
      (err: unknown) => void (this.failure ??= err),
    );
    this.inFlight.push(p);
    if (this.inFlight.length >= 2) await this.inFlight.shift();
  }
  async done(): Promise<number> {
    await this.flush();
    await Promise.all(this.inFlight.splice(0));
    if (this.failure) throw this.failure;
    return this.stored;
  }
}

const marker = (db: Connection) => db.collection<DatasetMarker>('bench_datasets');

/** The cached data set's marker when it is whole and of this DATASET version. */
export async function cachedDataset(db: Connection): Promise<DatasetMarker | null> {
  const m = await marker(db).findOne({ _id: 'dashboard' });
  return m && m.version === DATASET.version && m.scale === DATASET.scale ? m : null;
}

/** Builds the data set (after dropping whatever the database held) and rolls it up; returns its marker. */
export async function buildDataset(deps: AppDeps, services: Services, log: (line: string) => void): Promise<DatasetMarker> {
  const started = Date.now();
  await deps.db.dropDatabase();
  await ensureIndexes(deps.db);
  // Staff, circles, departments, articles, teams, merchants…: the development seed, without its sample roll-ups.
  for (const step of SEED_STEPS.filter((s) => s !== statsSeed)) await step.run({ deps, services, log: () => undefined });
  log(`development seed written (${Math.round((Date.now() - started) / 1000)} s)`);

  const now = deps.clock.now();
  const today = shanghaiDayStart(shanghaiDay(now)).getTime();
  const dayStarts = Array.from({ length: DATASET.days }, (_, i) => today - (DATASET.days - i) * DAY_MS);
  const days = dayStarts.map((t) => shanghaiDay(t));
  const rnd = random(19);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  /** A moment of day `i`, weighted to waking hours (07:00–23:00 Shanghai). */
  const momentOf = (i: number) => new Date(dayStarts[i]! + (7 + rnd() * 16) * 3_600_000);
  /** How many of `total` fall on day i: weekends quieter, the sum over the year exactly `total`. */
  const weights = days.map((d) => ([0, 6].includes(new Date(`${d}T12:00:00+08:00`).getUTCDay()) ? 0.7 : 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const perDay = (total: number) => {
    const counts = weights.map((w) => Math.floor((total * w) / weightSum));
    for (let k = total - counts.reduce((a, b) => a + b, 0), i = 0; k > 0; k -= 1, i = (i + 7) % counts.length) counts[i]! += 1;
    return counts;
  };

  // Citizens: 40% joined before the year, the rest through it.
  const userIds: Types.ObjectId[] = [];
  const users = new BulkInserter((docs) => UserModel.collection.insertMany(docs, { ordered: false }));
  for (let n = 0; n < DATASET.users; n += 1) {
    const _id = new Types.ObjectId();
    userIds.push(_id);
    const createdAt = rnd() < 0.4 ? new Date(dayStarts[0]! - rnd() * 400 * DAY_MS) : momentOf(Math.floor(rnd() * DATASET.days));
    await users.add({
      _id,
      nickname: `居民${n}`,
      district: pick(COUNTY.towns),
      openid: `oBENCH${String(n).padStart(22, '0')}`,
      roles: [],
      rolesVersion: 0,
      createdAt,
      updatedAt: createdAt,
    });
  }
  const userCount = await users.done();
  log(`${userCount} citizens`);

  // Article reads: one per reader, article and day (the unique key), on the seed's published articles.
  const articles = (await ArticleModel.find({ status: 'published' }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((a) => a._id);
  if (articles.length === 0) throw new Error('the development seed wrote no published article');
  const reads = new BulkInserter((docs) => ArticleReadModel.collection.insertMany(docs, { ordered: false }));
  for (const [i, count] of perDay(DATASET.reads).entries()) {
    const seen = new Set<string>();
    while (seen.size < count) {
      // Skewed: a few articles take most reads, as on a real home page.
      const a = Math.floor(articles.length * rnd() * rnd());
      const u = Math.floor(rnd() * userIds.length);
      const key = `${a}:${u}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await reads.add({ _id: new Types.ObjectId(), articleId: articles[a], userId: userIds[u], day: days[i], at: momentOf(i) });
    }
  }
  const readCount = await reads.done();
  log(`${readCount} article reads`);

  // The points ledger: credits from the earning sources, debits from the mall and expiry.
  const sources: [PointsSource, number][] = [
    ['reading', 0.4],
    ['volunteer', 0.08],
    ['contribution', 0.05],
    ['contest', 0.05],
    ['civic', 0.1],
    ['mall', 0.22],
    ['expiry', 0.05],
    ['admin', 0.05],
  ];
  if (sources.some(([s]) => !POINTS_SOURCES.includes(s))) throw new Error('unknown points source');
  const source = () => {
    let x = rnd();
    for (const [s, w] of sources) if ((x -= w) < 0) return s;
    return 'reading' as const;
  };
  const ledger = new BulkInserter((docs) => PointsEntryModel.collection.insertMany(docs, { ordered: false }));
  let entryNo = 0;
  for (const [i, count] of perDay(DATASET.ledger).entries()) {
    for (let k = 0; k < count; k += 1) {
      const s = source();
      const debit = s === 'mall' || s === 'expiry';
      const amount = debit ? -(10 + Math.floor(rnd() * 190)) : 1 + Math.floor(rnd() * 20);
      const createdAt = momentOf(i);
      await ledger.add({
        _id: new Types.ObjectId(),
        userId: pick(userIds),
        amount,
        source: s,
        reason: debit ? '积分商城兑换' : '积分奖励',
        idempotencyKey: `bench:${(entryNo += 1)}`,
        day: days[i],
        month: days[i]!.slice(0, 7),
        ...(debit ? {} : { expiresAt: new Date(createdAt.getTime() + 365 * DAY_MS) }),
        balanceAfter: 0,
        createdAt,
      });
    }
  }
  const ledgerCount = await ledger.done();
  log(`${ledgerCount} ledger entries`);

  // 问政 cases: posted, assigned to a department (a tenth with a co-department), mostly answered; late ones marked overdue.
  const cases = new BulkInserter((docs) => CaseModel.collection.insertMany(docs, { ordered: false }));
  const H = 3_600_000;
  for (const [i, count] of perDay(DATASET.cases).entries()) {
    for (let k = 0; k < count; k += 1) {
      const postedAt = momentOf(i);
      const department = pick(DEPARTMENTS).code;
      const co = rnd() < 0.1 ? DEPARTMENTS.map((d) => d.code).filter((c) => c !== department)[Math.floor(rnd() * 7)]! : null;
      const assignedAt = new Date(postedAt.getTime() + (1 + rnd() * 20) * H);
      const hours = 2 + rnd() * rnd() * 300;
      const answeredAt = rnd() < 0.9 ? new Date(assignedAt.getTime() + hours * H) : null;
      const ev = (type: string, at: Date, data: Record<string, unknown> = {}) => ({
        seq: 0,
        type,
        at,
        byName: '系统',
        byLabel: '融媒体中心',
        noteAudience: 'staff',
        data,
      });
      const events = [ev('posted', postedAt), ev('assigned', assignedAt, { department, coDepartments: co ? [co] : [] })];
      if (hours > 120) events.push(ev('overdue', new Date(assignedAt.getTime() + 120 * H), { department }));
      if (answeredAt && answeredAt.getTime() < now.getTime()) events.push(ev('answered', answeredAt, { onTime: hours <= 120 }));
      if (co && answeredAt && answeredAt.getTime() < now.getTime())
        events.push(ev('co_answered', new Date(answeredAt.getTime() - H), { department: co, onTime: hours <= 121 }));
      events.sort((a, b) => a.at.getTime() - b.at.getTime()).forEach((e, n) => (e.seq = n + 1));
      const answered = events.some((e) => e.type === 'answered');
      const last = events[events.length - 1]!.at;
      await cases.add({
        _id: new Types.ObjectId(),
        posterId: pick(userIds),
        posterName: '网友',
        anonymous: false,
        followers: [],
        source: 'miniprogram',
        category: pick(WENZHENG_CATEGORIES),
        title: '问政',
        text: '反映一件事',
        imageIds: [],
        visibility: 'public',
        published: answered,
        flagged: false,
        state: answered ? 'answered' : 'assigned',
        department,
        coDepartments: co ? [co] : [],
        coParts: [],
        copiedLeaders: [],
        copiedLeaderIds: [],
        reminded: false,
        overdue: hours > 120 && !answered,
        escalated: false,
        reopenCount: 0,
        events,
        createdAt: postedAt,
        updatedAt: last,
      });
    }
  }
  const caseCount = await cases.done();
  log(`${caseCount} 问政 cases (${Math.round((Date.now() - started) / 1000)} s so far)`);

  // The production roll-up job over the year: each call computes yesterday (of its `now`) and the missed days of
  // the 14 before it, as a server coming back after downtime does.
  const rolledStarted = Date.now();
  let rolled = 0;
  for (let t = dayStarts[0]! + 14 * DAY_MS; ; t = Math.min(t + 14 * DAY_MS, today)) {
    rolled += (await services.stats.rollUp(new Date(t + 3_600_000))).length;
    log(`roll-up: ${rolled} days (${Math.round((Date.now() - rolledStarted) / 1000)} s)`);
    if (t === today) break;
  }
  const rollupRows = await RollupModel.countDocuments({ dimension: { $ne: 'done' } });
  const m: DatasetMarker = {
    _id: 'dashboard',
    version: DATASET.version,
    scale: DATASET.scale,
    firstDay: days[0]!,
    lastDay: days[days.length - 1]!,
    users: userCount,
    ledger: ledgerCount,
    cases: caseCount,
    reads: readCount,
    rollupRows,
    builtAt: now,
    buildSeconds: Math.round((Date.now() - started) / 1000),
  };
  await marker(deps.db).replaceOne({ _id: 'dashboard' }, m, { upsert: true });
  return m;
}

/** The cached data set, or a new one when there is none (or BENCH_DASHBOARD_FRESH=1). */
export async function ensureDataset(
  deps: AppDeps,
  services: Services,
  log: (line: string) => void,
): Promise<DatasetMarker & { cached: boolean }> {
  const cached = process.env.BENCH_DASHBOARD_FRESH === '1' ? null : await cachedDataset(deps.db);
  if (cached) return { ...cached, cached: true };
  return { ...(await buildDataset(deps, services, log)), cached: false };
}
