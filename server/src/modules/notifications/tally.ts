import {
  NOTICE_STATS_MAX_DAYS,
  REFUSED_REASONS,
  type NoticeOutcome,
  type NoticeStatsQuery,
  type NoticeStatsResponse,
} from '@shared/schemas/notifications';
import type { NotificationKind } from '@shared/schemas/notifications';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { DAY_MS, shanghaiDay } from '../../core/time';
import { DailyTallyModel, type DailyTallyDoc } from './notifications.model';

type Counter = 'inApp' | 'queued' | 'sent' | 'refused' | 'dropped';

/** A drop reason's counter key: `errcode 47003 invalid_data` → `errcode_47003`, `gave_up after 5 attempts: …` → `gave_up`. */
export function reasonKey(reason: string): string {
  const errcode = /^errcode (-?\d+)/.exec(reason);
  if (errcode) return `errcode_${errcode[1]}`;
  return (/^[a-z_]+/.exec(reason)?.[0] ?? 'other').slice(0, 40);
}

/** The console's outcome of a finished row (`refused`: no acceptance to use, ours or WeChat's). */
export function outcomeOfDrop(reason: string | null): Exclude<NoticeOutcome, 'pending' | 'sent'> {
  return reason !== null && (REFUSED_REASONS as readonly string[]).includes(reasonKey(reason)) ? 'refused' : 'dropped';
}

interface Entry {
  day: string;
  kind: NotificationKind;
  counts: Partial<Record<Counter, number>>;
  reasons: Record<string, number>;
}

/**
 * The per-day, per-kind counters behind the console's notifications page (see DailyTallyDoc). Writes never fail a
 * raise or a send: a counter that could not be moved is logged and the notice goes on.
 */
export function createTally({ clock, logger }: { clock: Clock; logger: Logger }) {
  /** Many counts at once: one upsert per (day, kind), in one unordered bulk write. */
  async function addAll(entries: Iterable<Entry>): Promise<void> {
    const merged = new Map<string, Entry>();
    for (const e of entries) {
      const id = `${e.day}:${e.kind}`;
      const into = merged.get(id) ?? { day: e.day, kind: e.kind, counts: {}, reasons: {} };
      for (const [k, n] of Object.entries(e.counts) as Array<[Counter, number]>) into.counts[k] = (into.counts[k] ?? 0) + n;
      for (const [k, n] of Object.entries(e.reasons)) into.reasons[k] = (into.reasons[k] ?? 0) + n;
      merged.set(id, into);
    }
    if (merged.size === 0) return;
    const ops = [...merged].map(([id, e]) => ({
      updateOne: {
        filter: { _id: id },
        update: {
          $setOnInsert: { day: e.day, kind: e.kind },
          $inc: { ...e.counts, ...Object.fromEntries(Object.entries(e.reasons).map(([k, n]) => [`reasons.${k}`, n])) },
        },
        upsert: true,
      },
    }));
    await DailyTallyModel.bulkWrite(ops, { ordered: false }).catch((err: unknown) => {
      logger.warn({ err, days: [...merged.keys()] }, 'notification counters not moved');
    });
  }

  return {
    addAll,

    /** One row's count: e.g. `count(row.day, row.kind, 'dropped', 'errcode 47003')`. */
    count(day: string, kind: NotificationKind, counter: Counter, reason?: string | null): Promise<void> {
      return addAll([{ day, kind, counts: { [counter]: 1 }, reasons: reason ? { [reasonKey(reason)]: 1 } : {} }]);
    },

    /** The console's figures for a range of Shanghai days: at most days × kinds documents, read by the day index. */
    async stats({ from, to }: NoticeStatsQuery): Promise<NoticeStatsResponse> {
      const last = to ?? shanghaiDay(clock.now());
      const first = from ?? shanghaiDay(new Date(Date.parse(`${last}T12:00:00+08:00`) - 13 * DAY_MS));
      const span = Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS) + 1;
      if (span > NOTICE_STATS_MAX_DAYS) {
        throw new AppError('VALIDATION_FAILED', { message: `一次最多查看 ${NOTICE_STATS_MAX_DAYS} 天` });
      }
      const docs = await DailyTallyModel.find({ day: { $gte: first, $lte: last } })
        .sort({ day: 1, kind: 1 })
        .lean<DailyTallyDoc[]>();
      return {
        from: first,
        to: last,
        rows: docs.map((d) => ({
          day: d.day,
          kind: d.kind,
          inApp: d.inApp ?? 0,
          queued: d.queued ?? 0,
          sent: d.sent ?? 0,
          refused: d.refused ?? 0,
          dropped: d.dropped ?? 0,
          reasons: d.reasons ?? {},
        })),
      };
    },
  };
}
export type Tally = ReturnType<typeof createTally>;
