/**
 * The morning digest: once per local day from 08:00, each department's staff get their open and overdue
 * counts (lead cases and co-department parts); a pass after downtime back-fills the missed days.
 */
import { isDuplicateKey } from '../../core/db';
import { DAY_MS, shanghaiHour } from '../../core/time';
import { PART_CASE_STATES, PART_OPEN_STATES } from './case-rules';
import { partsOf } from './case-fields';
import type { WenzhengParts } from './parts';
import { CaseModel, DigestModel, type CaseDoc } from './wenzheng.model';
import { localDate, nextDay } from './working-days';

/** How many missed days a digest pass back-fills at most (older ones are recorded as skipped). */
const DIGEST_CATCH_UP_DAYS = 7;

/** The local days whose digest is due at `now` and not yet recorded (`last`: the latest day recorded, if any). */
export function digestDaysDue(now: Date, last: string | null): string[] {
  const hour = shanghaiHour(now);
  const lastDue = hour >= 8 ? localDate(now) : localDate(new Date(now.getTime() - DAY_MS));
  if (last ? last >= lastDue : hour < 8) return [];
  // A fresh install starts with the latest due day; otherwise every day after the last one sent.
  const days: string[] = [];
  for (let d = last ? nextDay(last) : lastDue; d <= lastDue; d = nextDay(d)) days.push(d);
  return days;
}

/** Each department's open and overdue counts right now: its lead cases and its co-department parts. */
async function digestCounts(): Promise<Map<string, { open: number; overdue: number }>> {
  const open = await CaseModel.find({ state: { $in: [...PART_CASE_STATES] } }, { state: 1, department: 1, overdue: 1, coParts: 1 }).lean<
    Pick<CaseDoc, 'state' | 'department' | 'overdue' | 'coParts'>[]
  >();
  const counts = new Map<string, { open: number; overdue: number }>();
  const count = (code: string, late: boolean) => {
    const n = counts.get(code) ?? { open: 0, overdue: 0 };
    n.open += 1;
    if (late) n.overdue += 1;
    counts.set(code, n);
  };
  for (const c of open) {
    if (c.department && c.state !== 'answered') count(c.department, c.overdue);
    for (const p of partsOf(c)) if (PART_OPEN_STATES.includes(p.state)) count(p.department, p.overdue);
  }
  return counts;
}

export function createDigest({ locks, notify }: Pick<WenzhengParts, 'locks' | 'notify'>) {
  return {
    /**
     * Sends the digests due at `now`. After downtime the first pass back-fills every missed day since the
     * last digest (at most a week, marked 补发, with today's figures: the counts of a past morning are not
     * kept). Each day is recorded once (unique date) and the pass runs under a Redis lock, so concurrent
     * schedulers send each day once.
     */
    async sendDigests(now: Date): Promise<string[]> {
      const last = await DigestModel.findOne({}).sort({ date: -1 }).lean<{ date: string }>();
      const days = digestDaysDue(now, last?.date ?? null);
      if (days.length === 0) return [];
      const today = localDate(now);
      const outcome = await locks.withLock('wenzheng:digest', 120_000, async () => {
        const sent: string[] = [];
        const counts = await digestCounts();
        for (const date of days) {
          const sendIt = days.length - days.indexOf(date) <= DIGEST_CATCH_UP_DAYS;
          try {
            await DigestModel.create({ date, sentAt: now, departments: sendIt ? counts.size : 0 });
          } catch (err) {
            if (isDuplicateKey(err)) continue;
            throw err;
          }
          if (!sendIt) continue;
          for (const [code, n] of counts) await notify.digest(code, n, date, date !== today);
          sent.push(date);
        }
        return sent;
      });
      return outcome.ran ? outcome.value : [];
    },
  };
}
