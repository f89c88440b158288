import { awardForRank, rankEntries } from './scoring';

const at = (s: string) => new Date(s);
const entry = (entryId: string, juryScores: number[], votes: number, createdAt = '2026-03-01T00:00:00Z') => ({
  entryId,
  juryScores,
  votes,
  createdAt: at(createdAt),
});

describe('contest scoring: weighted jury + public, stated tie-break', () => {
  it('combines the jury mean and the public share of the top vote count by the weights', () => {
    const [first, second] = rankEntries([entry('a', [80, 90], 50), entry('b', [100], 100)], { jury: 70, public: 30 });
    // a: jury 85, public 50 → 59.5 + 15 = 74.5; b: jury 100, public 100 → 100.
    expect(first).toMatchObject({ entryId: 'b', rank: 1, juryScore: 100, publicScore: 100, finalScore: 100 });
    expect(second).toMatchObject({ entryId: 'a', rank: 2, juryScore: 85, jurorCount: 2, publicScore: 50, finalScore: 74.5 });
  });

  it('breaks equal final scores by jury score, then votes, then the earlier entry', () => {
    const ranked = rankEntries(
      [
        entry('late', [60], 100, '2026-03-02T00:00:00Z'),
        entry('early', [60], 100, '2026-03-01T00:00:00Z'),
        entry('jury', [100], 0),
        entry('votes', [0], 100),
      ],
      { jury: 50, public: 50 },
    );
    // jury: 50; votes: 50; early/late: 80 each → early first.
    expect(ranked.map((r) => r.entryId)).toEqual(['early', 'late', 'jury', 'votes']);
    expect(ranked.map((r) => r.finalScore)).toEqual([80, 80, 50, 50]);
  });

  it("breaks ties by the contest's rule: jury first (default), votes first, or the earlier entry", () => {
    // All 75 at 50/50 (public = votes ÷ 4 × 100): a by the jury, b by the votes, d in between and earliest.
    const tied = [
      entry('a', [100], 2, '2026-03-03T00:00:00Z'),
      entry('b', [50], 4, '2026-03-02T00:00:00Z'),
      entry('d', [75], 3, '2026-03-01T00:00:00Z'),
    ];
    const order = (rule?: 'jury' | 'votes' | 'earliest') => rankEntries(tied, { jury: 50, public: 50 }, rule).map((r) => r.entryId);
    expect(rankEntries(tied, { jury: 50, public: 50 }).map((r) => r.finalScore)).toEqual([75, 75, 75]);
    expect(order()).toEqual(['a', 'd', 'b']);
    expect(order('jury')).toEqual(['a', 'd', 'b']);
    expect(order('votes')).toEqual(['b', 'd', 'a']);
    expect(order('earliest')).toEqual(['d', 'b', 'a']);
    // Equal times too: the id decides, so the order is always total.
    const same = tied.map((e) => ({ ...e, createdAt: at('2026-03-05T00:00:00Z') }));
    expect(rankEntries([same[1]!, same[0]!], { jury: 50, public: 50 }, 'earliest').map((r) => r.entryId)).toEqual(['a', 'b']);
  });

  it('scores zero public points when nobody voted, and zero jury points without scores', () => {
    const [row] = rankEntries([entry('x', [], 0)], { jury: 70, public: 30 });
    expect(row).toMatchObject({ juryScore: 0, publicScore: 0, finalScore: 0, rank: 1 });
  });

  it('hands award tiers out in rank order', () => {
    const tiers = [
      { label: '一等奖', count: 1 },
      { label: '二等奖', count: 2 },
    ];
    expect([1, 2, 3, 4].map((r) => awardForRank(tiers, r)?.label ?? null)).toEqual(['一等奖', '二等奖', '二等奖', null]);
  });
});
