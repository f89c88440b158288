import type { DashboardQuery, DashboardResponse, ExportKind, ExportQuery } from '@shared/schemas/stats';
import { STATS_MAX_DAYS } from '@shared/schemas/stats';
import { authorize, can, type Actor } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { BoundedLru } from '../../core/cache/lru';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { DAY_MS, shanghaiDay, shanghaiDayStart } from '../../core/time';
import { dashboard, daysBetween } from './dashboard';
import { exportTable, type ExportTable } from './exports';
import { rollUp } from './rollup';
import type { StatsPorts } from './stats.ports';

/** Who may open the dashboard: editors and admins see everything, department staff their department's 问政. */
export const DASHBOARD_ROLES = ['editor', 'admin', 'department_staff'] as const;
/** Who may export each table. The audit log is the admins' alone. */
export const EXPORT_ROLES: Record<ExportKind, readonly ('editor' | 'admin')[]> = {
  audit: ['admin'],
  stats: ['editor', 'admin'],
  'volunteer-hours': ['editor', 'admin'],
  'coupon-redemptions': ['editor', 'admin'],
};

export interface StatsServiceDeps {
  clock: Clock;
  logger: Logger;
  ports: StatsPorts;
  /** Days back the roll-up job looks for missed days. */
  backfillDays: number;
  /** How long a computed dashboard answer is reused (roll-ups change once a day). */
  cacheMs: number;
  /** Bounds of the answer cache: answers held, and bytes of their JSON text together. */
  cacheMaxEntries: number;
  cacheMaxBytes: number;
}

export type StatsService = ReturnType<typeof createStatsService>;

export function createStatsService({ clock, logger, ports, backfillDays, cacheMs, cacheMaxEntries, cacheMaxBytes }: StatsServiceDeps) {
  // Dashboard answers by query and scope. Roll-ups change once a day; this process drops them when it writes
  // one, the others within `cacheMs` (plus one recomputation). The JSON text is kept with the answer: a year's
  // answer is tens of kB, serialised once per entry, not per request. Bounded by count and by the size of the
  // answers' JSON (each entry also holds the parsed answer, about as large again), least recently used first out:
  // a console trying many ranges and filters must not grow the process.
  type Entry = { at: number; value: Promise<DashboardResponse>; json: Promise<string>; ready: boolean; refreshing: boolean };
  const cache = new BoundedLru<string, Entry>({ maxEntries: cacheMaxEntries, maxWeight: cacheMaxBytes, pendingWeight: 64 * 1024 });
  /** Bumped when this process writes a roll-up: a recomputation begun before it must not put its answer back. */
  let generation = 0;

  /** Computes an answer; it enters the cache at once (`store`, a cold query: callers share it) or once ready (a refresh). */
  function compute(key: string, q: Parameters<typeof dashboard>[0], departments: string[] | null, store: 'now' | 'when-ready'): Entry {
    const value = dashboard(q, { departments });
    const born = generation;
    const entry: Entry = { at: clock.now().getTime(), value, json: value.then((v) => JSON.stringify(v)), ready: false, refreshing: false };
    if (store === 'now') cache.set(key, entry);
    entry.json.then(
      (text) => {
        entry.ready = true;
        if (store === 'when-ready' && born === generation) cache.set(key, entry);
        // UTF-16 text: two bytes a character.
        cache.weigh(key, entry, text.length * 2);
      },
      () => {
        if (cache.get(key) === entry) cache.delete(key);
      },
    );
    return entry;
  }

  /** The range asked for, defaulting to the 30 days ending yesterday; refused when reversed or too long. */
  function range(q: { from?: string; to?: string }): { from: string; to: string } {
    const to = q.to ?? shanghaiDay(clock.now().getTime() - DAY_MS);
    const from = q.from ?? shanghaiDay(shanghaiDayStart(to).getTime() - 29 * DAY_MS);
    if (from > to || daysBetween(from, to).length > STATS_MAX_DAYS) throw new AppError('STATS_RANGE_INVALID');
    return { from, to };
  }

  /** The cached answer for the caller's scope and query (computed when missing; recomputed when older than `cacheMs`). */
  function answer(actor: Actor, query: DashboardQuery): Entry {
    authorize(actor, { anyOf: DASHBOARD_ROLES });
    let departments: string[] | null = null;
    if (!can(actor, { anyOf: ['editor', 'admin'] })) {
      departments = actor.roles.flatMap((g) => (g.role === 'department_staff' && g.scope?.type === 'department' ? [g.scope.id] : []));
      if (query.department && !departments.includes(query.department)) throw new AppError('FORBIDDEN');
    }
    const q = { ...query, ...range(query) };
    const key = JSON.stringify([q.from, q.to, q.area ?? '', q.department ?? '', departments]);
    const hit = cache.get(key);
    if (hit && clock.now().getTime() - hit.at < cacheMs) return hit;
    // Stale: answered as it is while one recomputation runs, so requests never queue behind a cold answer (up to
    // ~0.6 s for a year) once a minute per query; a failed recomputation is tried again by the next request.
    if (hit?.ready) {
      if (!hit.refreshing) {
        hit.refreshing = true;
        compute(key, q, departments, 'when-ready').value.catch((err: unknown) => {
          hit.refreshing = false;
          logger.warn({ err }, 'dashboard recomputation failed; the earlier answer stays');
        });
      }
      return hit;
    }
    return hit ?? compute(key, q, departments, 'now');
  }

  return {
    /** The cron job's work: yesterday's roll-up and any missed day of the last `backfillDays`. */
    async rollUp(now: Date = clock.now()): Promise<string[]> {
      const days = await rollUp(ports, now, backfillDays, logger);
      generation += 1;
      cache.clear();
      return days;
    },

    async dashboard(actor: Actor, query: DashboardQuery): Promise<DashboardResponse> {
      return answer(actor, query).value;
    },

    /** The dashboard's answer as JSON text (what the route sends). */
    async dashboardJson(actor: Actor, query: DashboardQuery): Promise<string> {
      return answer(actor, query).json;
    },

    /** An export's table (streamed by the route); who may take it depends on the kind. */
    exportTable(actor: Actor, kind: ExportKind, query: ExportQuery): ExportTable {
      authorize(actor, { anyOf: EXPORT_ROLES[kind] });
      const { from, to } = range(query);
      return {
        ...exportTable(ports, kind, {
          from: shanghaiDayStart(from),
          to: new Date(shanghaiDayStart(to).getTime() + DAY_MS),
          fromDay: from,
          toDay: to,
          ...(query.area ? { area: query.area } : {}),
          ...(query.department ? { department: query.department } : {}),
        }),
      };
    },
  };
}
