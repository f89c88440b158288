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
  // one, the others within `cacheMs`. The JSON text is kept with the answer: a year's answer is tens of kB,
  // serialised once per entry, not per request. Bounded by count and by the size of the answers' JSON (each
  // entry also holds the parsed answer, about as large again), least recently used first out: a console
  // trying many ranges and filters must not grow the process.
  type Entry = { at: number; value: Promise<DashboardResponse>; json: Promise<string> };
  const cache = new BoundedLru<string, Entry>({ maxEntries: cacheMaxEntries, maxWeight: cacheMaxBytes, pendingWeight: 64 * 1024 });

  /** The range asked for, defaulting to the 30 days ending yesterday; refused when reversed or too long. */
  function range(q: { from?: string; to?: string }): { from: string; to: string } {
    const to = q.to ?? shanghaiDay(clock.now().getTime() - DAY_MS);
    const from = q.from ?? shanghaiDay(shanghaiDayStart(to).getTime() - 29 * DAY_MS);
    if (from > to || daysBetween(from, to).length > STATS_MAX_DAYS) throw new AppError('STATS_RANGE_INVALID');
    return { from, to };
  }

  /** The cached answer for the caller's scope and query (computed when missing or older than `cacheMs`). */
  function answer(actor: Actor, query: DashboardQuery): Entry {
    authorize(actor, { anyOf: DASHBOARD_ROLES });
    let departments: string[] | null = null;
    if (!can(actor, { anyOf: ['editor', 'admin'] })) {
      departments = actor.roles.flatMap((g) => (g.role === 'department_staff' && g.scope?.type === 'department' ? [g.scope.id] : []));
      if (query.department && !departments.includes(query.department)) throw new AppError('FORBIDDEN');
    }
    const q = { ...query, ...range(query) };
    const key = JSON.stringify([q.from, q.to, q.area ?? '', q.department ?? '', departments]);
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < cacheMs) return hit;
    const value = dashboard(q, { departments });
    const entry: Entry = { at: now, value, json: value.then((v) => JSON.stringify(v)) };
    // UTF-16 text: two bytes a character.
    entry.json.then(
      (text) => cache.weigh(key, entry, text.length * 2),
      () => cache.delete(key),
    );
    cache.set(key, entry);
    return entry;
  }

  return {
    /** The cron job's work: yesterday's roll-up and any missed day of the last `backfillDays`. */
    async rollUp(now: Date = clock.now()): Promise<string[]> {
      const days = await rollUp(ports, now, backfillDays, logger);
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
