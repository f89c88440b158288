/** The contest's pure rules in time: round and phase at an instant, who is in the running, totals, phase refusals. */
import { Types } from 'mongoose';
import {
  allGoForward,
  isJuror,
  isShortlisted,
  kindAt,
  phaseAt,
  phaseConflict,
  roundIndexAt,
  roundOf,
  totalsVisible,
  votingEndsAt,
} from './contest-rules';

const at = (s: string) => new Date(s);

/** Open call 1 Mar, shortlist 3 Mar, voting 5 Mar, results 8 Mar. */
const withShortlist = {
  rounds: [
    { kind: 'submission' as const, startsAt: at('2026-03-01T00:00:00Z') },
    { kind: 'shortlist' as const, startsAt: at('2026-03-03T00:00:00Z') },
    { kind: 'voting' as const, startsAt: at('2026-03-05T00:00:00Z') },
    { kind: 'results' as const, startsAt: at('2026-03-08T00:00:00Z') },
  ],
};
/** Open call 1 Mar, voting 5 Mar, results 8 Mar: no shortlist round. */
const noShortlist = { rounds: withShortlist.rounds.filter((r) => r.kind !== 'shortlist') };
const voting = (hideTotals: boolean) => ({ hideTotals, perUserPerDay: 5, perEntryPerDay: 1, newAccountHours: 0, maxUsersPerDevice: 3 });

describe('contest time', () => {
  it('finds the round an instant falls in (boundaries belong to the new round)', () => {
    const rounds = [
      { kind: 'submission' as const, startsAt: at('2026-03-01T00:00:00Z') },
      { kind: 'results' as const, startsAt: at('2026-03-05T00:00:00Z') },
    ];
    expect(roundIndexAt({ rounds }, at('2026-02-28T23:59:59Z'))).toBe(-1);
    expect(roundIndexAt({ rounds }, at('2026-03-01T00:00:00Z'))).toBe(0);
    expect(roundIndexAt({ rounds }, at('2026-03-05T00:00:00Z'))).toBe(1);
  });

  it("names the phase of a round and of an instant ('upcoming' before the first round)", () => {
    expect(kindAt(withShortlist, -1)).toBe('upcoming');
    expect(kindAt(withShortlist, 2)).toBe('voting');
    expect(phaseAt(withShortlist, at('2026-02-28T00:00:00Z'))).toBe('upcoming');
    expect(phaseAt(withShortlist, at('2026-03-04T00:00:00Z'))).toBe('shortlist');
    expect(phaseAt(withShortlist, at('2026-03-09T00:00:00Z'))).toBe('results');
  });

  it('finds the round of a kind, -1 when the contest has none', () => {
    expect(roundOf(withShortlist, 'voting')).toBe(2);
    expect(roundOf(noShortlist, 'shortlist')).toBe(-1);
  });

  it('closes voting when the round after it starts, never without a voting round', () => {
    expect(votingEndsAt(withShortlist)).toEqual(at('2026-03-08T00:00:00Z'));
    expect(votingEndsAt({ rounds: withShortlist.rounds.filter((r) => r.kind !== 'voting') })).toBeNull();
    const votingLast = { rounds: withShortlist.rounds.slice(0, 3) };
    expect(votingEndsAt(votingLast)).toBeNull();
  });
});

describe('who is in the running', () => {
  it('takes every entry forward once entry closes in a contest without a shortlist round', () => {
    expect(allGoForward(noShortlist, at('2026-03-02T00:00:00Z'))).toBe(false);
    expect(allGoForward(noShortlist, at('2026-03-05T00:00:00Z'))).toBe(true);
    expect(isShortlisted(noShortlist, { shortlisted: false }, at('2026-03-05T00:00:00Z'))).toBe(true);
    expect(isShortlisted(noShortlist, { shortlisted: false }, at('2026-03-02T00:00:00Z'))).toBe(false);
  });

  it("takes only the jury's picks forward in a contest with a shortlist round", () => {
    expect(allGoForward(withShortlist, at('2026-03-06T00:00:00Z'))).toBe(false);
    expect(isShortlisted(withShortlist, { shortlisted: false }, at('2026-03-06T00:00:00Z'))).toBe(false);
    expect(isShortlisted(withShortlist, { shortlisted: true }, at('2026-03-06T00:00:00Z'))).toBe(true);
  });

  it('knows a juror by id', () => {
    const jurorIds = [new Types.ObjectId('6561a0f0c0ffee0000000001')];
    expect(isJuror({ jurorIds }, { id: '6561a0f0c0ffee0000000001' })).toBe(true);
    expect(isJuror({ jurorIds }, { id: '6561a0f0c0ffee0000000002' })).toBe(false);
  });
});

describe('totals and phase refusals', () => {
  it('shows totals from the voting round on, or only once voting closed when the contest hides them', () => {
    const shown = { ...withShortlist, voting: voting(false) };
    const hidden = { ...withShortlist, voting: voting(true) };
    expect(totalsVisible(shown, at('2026-03-04T00:00:00Z'))).toBe(false);
    expect(totalsVisible(shown, at('2026-03-05T00:00:00Z'))).toBe(true);
    expect(totalsVisible(hidden, at('2026-03-07T23:59:59Z'))).toBe(false);
    expect(totalsVisible(hidden, at('2026-03-08T00:00:00Z'))).toBe(true);
  });

  it('refuses an action outside its phase, naming the phase the contest is in', () => {
    const early = phaseConflict(withShortlist, at('2026-02-01T00:00:00Z'), '投票');
    expect(early.code).toBe('CONTEST_PHASE_CLOSED');
    expect(early.message).toBe('比赛当前处于「尚未开始」阶段，不能投票');
    expect(early.details).toEqual({ phase: 'upcoming' });
    const late = phaseConflict(withShortlist, at('2026-03-06T00:00:00Z'), '报名参赛');
    expect(late.message).toContain('不能报名参赛');
    expect(late.details).toEqual({ phase: 'voting' });
  });
});
