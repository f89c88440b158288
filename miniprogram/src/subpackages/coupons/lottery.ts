import type { BatchView, DrawView } from '@shared/schemas/coupons';

/**
 * A citizen's view of a lottery batch (政府消费券 released by 抽签): whether they can still sign up, are
 * waiting for the draw, or won / lost it. The recorded draw is the authority once it exists (its entrant
 * list says who signed up); before it, the phone remembers its sign-ups (`signedUp`), learns those made on
 * another phone from `GET …/signup` on the batch page, and a COUPON_ALREADY_SIGNED_UP answer counts as one.
 */
export type LotteryStatus =
  | { kind: 'upcoming' }
  | { kind: 'open'; signedUp: boolean }
  | { kind: 'closed'; signedUp: boolean }
  | { kind: 'won'; entrants: number; winners: number; seed: string }
  | { kind: 'lost'; entrants: number; winners: number; seed: string }
  | { kind: 'absent'; entrants: number; winners: number; seed: string };

export function lotteryStatus(
  batch: Pick<BatchView, 'phase'>,
  draw: Pick<DrawView, 'entrants' | 'winners' | 'seed'> | null,
  userId: string | null,
  signedUp: boolean,
): LotteryStatus {
  if (draw) {
    const figures = { entrants: draw.entrants.length, winners: draw.winners.length, seed: draw.seed };
    if (userId && draw.winners.includes(userId)) return { kind: 'won', ...figures };
    if (userId && draw.entrants.includes(userId)) return { kind: 'lost', ...figures };
    return { kind: 'absent', ...figures };
  }
  if (batch.phase === 'upcoming') return { kind: 'upcoming' };
  if (batch.phase === 'open') return { kind: 'open', signedUp };
  return { kind: 'closed', signedUp };
}

/** One sentence for the batch page. */
export function lotteryStatusText(s: LotteryStatus): string {
  switch (s.kind) {
    case 'upcoming':
      return '报名尚未开始';
    case 'open':
      return s.signedUp ? '你已报名，报名截止后开奖' : '报名进行中，报名后参与抽签';
    case 'closed':
      return s.signedUp ? '报名已截止，等待开奖' : '报名已截止，等待开奖（你未报名）';
    case 'won':
      return `恭喜中签！券已放入“我的券”（报名 ${s.entrants} 人，中签 ${s.winners} 人）`;
    case 'lost':
      return `很遗憾，未中签（报名 ${s.entrants} 人，中签 ${s.winners} 人）`;
    case 'absent':
      return `已开奖：报名 ${s.entrants} 人，中签 ${s.winners} 人`;
  }
}

/** The sign-ups this phone made, per user (storage-backed in the app, a map in tests). */
export interface SignupMemory {
  has(userId: string, batchId: string): boolean;
  add(userId: string, batchId: string): void;
}

const MAX_REMEMBERED = 100;

export function createSignupMemory(storage: { get(): string | undefined; set(v: string): void }): SignupMemory {
  const read = (): string[] => {
    try {
      const parsed: unknown = JSON.parse(storage.get() ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    has: (userId, batchId) => read().includes(`${userId}:${batchId}`),
    add(userId, batchId) {
      const entry = `${userId}:${batchId}`;
      const all = read().filter((e) => e !== entry);
      storage.set(JSON.stringify([...all, entry].slice(-MAX_REMEMBERED)));
    },
  };
}

const RESULTS_DAYS = 30;

/** Lottery batches whose sign-up closed within the last 30 days, newest first: 领券中心's 抽签结果. */
export function recentLotteries(items: readonly BatchView[], now: Date): BatchView[] {
  const since = now.getTime() - RESULTS_DAYS * 86_400_000;
  return items
    .filter((b) => b.mode === 'lottery' && b.phase === 'ended' && Date.parse(b.claimEndsAt) >= since)
    .sort((a, b) => Date.parse(b.claimEndsAt) - Date.parse(a.claimEndsAt));
}
