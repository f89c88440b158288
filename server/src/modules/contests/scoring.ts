/**
 * The final-score formula and tie-break rule (stated to people in TIE_BREAK_RULE / SCORE_FORMULA).
 * Everything is computed in integer hundredths so equal scores compare equal; shown as two decimals.
 *
 *   jury   = mean of the jurors' 0–100 scores (0 without scores)
 *   public = votes ÷ max votes among ranked entries × 100 (0 when nobody got a vote)
 *   final  = jury × juryWeight% + public × publicWeight%
 *
 * Ties on the final score, by the contest's rule (TIE_BREAK_RULES): 'jury' — higher jury score, then more
 * votes; 'votes' — more votes, then higher jury score; 'earliest' — straight to the earlier entry. The
 * earlier entry (then the id) settles whatever is left, so the order is always total.
 */
import type { TieBreak } from '@shared/schemas/contests';

export interface ScoreInput {
  entryId: string;
  createdAt: Date;
  juryScores: readonly number[];
  votes: number;
}

export interface Scored {
  entryId: string;
  rank: number;
  juryScore: number;
  jurorCount: number;
  votes: number;
  publicScore: number;
  finalScore: number;
}

export function rankEntries(
  inputs: readonly ScoreInput[],
  weights: { jury: number; public: number },
  tieBreak: TieBreak = 'jury',
): Scored[] {
  const maxVotes = inputs.reduce((m, e) => Math.max(m, e.votes), 0);
  const rows = inputs.map((e) => {
    const n = e.juryScores.length;
    const juryH = n === 0 ? 0 : Math.round((e.juryScores.reduce((a, b) => a + b, 0) * 100) / n);
    const publicH = maxVotes === 0 ? 0 : Math.round((e.votes * 10_000) / maxVotes);
    const finalH = Math.round((weights.jury * juryH + weights.public * publicH) / 100);
    return { e, juryH, publicH, finalH, n };
  });
  type Row = (typeof rows)[number];
  const byJury = (a: Row, b: Row) => b.juryH - a.juryH;
  const byVotes = (a: Row, b: Row) => b.e.votes - a.e.votes;
  const keys = tieBreak === 'jury' ? [byJury, byVotes] : tieBreak === 'votes' ? [byVotes, byJury] : [];
  rows.sort(
    (a, b) =>
      b.finalH - a.finalH ||
      keys.reduce((d, key) => d || key(a, b), 0) ||
      a.e.createdAt.getTime() - b.e.createdAt.getTime() ||
      (a.e.entryId < b.e.entryId ? -1 : a.e.entryId > b.e.entryId ? 1 : 0),
  );
  return rows.map((r, i) => ({
    entryId: r.e.entryId,
    rank: i + 1,
    juryScore: r.juryH / 100,
    jurorCount: r.n,
    votes: r.e.votes,
    publicScore: r.publicH / 100,
    finalScore: r.finalH / 100,
  }));
}

/** Which award tier (if any) a rank earns: tiers are handed out in order, `count` ranks each. */
export function awardForRank<T extends { count: number }>(tiers: readonly T[], rank: number): T | null {
  let upTo = 0;
  for (const tier of tiers) {
    upTo += tier.count;
    if (rank <= upTo) return tier;
  }
  return null;
}
