/** How a contest and an entry are shown (the API's ContestView and EntryView), as pure functions of the stored docs and an instant. */
import { ROUND_LABELS, TIE_BREAK_RULES, type ContestView, type EntryView } from '@shared/schemas/contests';
import type { ContestDoc, EntryDoc } from './contests.model';
import { isShortlisted, kindAt, phaseAt, roundIndexAt, totalsVisible } from './contest-rules';

export function toContestView(doc: ContestDoc, now: Date): ContestView {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    description: doc.description,
    cover: doc.cover ?? null,
    campaign: doc.campaign ?? null,
    rounds: doc.rounds.map((r, i) => ({
      kind: r.kind,
      label: ROUND_LABELS[r.kind],
      startsAt: r.startsAt.toISOString(),
      endsAt: doc.rounds[i + 1]?.startsAt.toISOString() ?? null,
    })),
    phase: phaseAt(doc, now),
    advancedTo: kindAt(doc, doc.currentRound),
    entryKinds: doc.entryKinds,
    maxEntriesPerPerson: doc.maxEntriesPerPerson,
    voting: { ...doc.voting },
    juryWeight: doc.juryWeight,
    publicWeight: doc.publicWeight,
    awards: doc.awards.map((a) => ({ label: a.label, count: a.count, points: a.points })),
    jurorIds: doc.jurorIds.map((j) => j.toHexString()),
    totalsVisible: totalsVisible(doc, now),
    // Out once the results round begins by the clock: the first request for them computes them if the job hasn't.
    resultsPublished: Boolean(doc.resultsPublishedAt) || roundIndexAt(doc, now) === doc.rounds.length - 1,
    tieBreak: doc.tieBreak ?? 'jury',
    tieBreakRule: TIE_BREAK_RULES[doc.tieBreak ?? 'jury'],
    createdAt: doc.createdAt.toISOString(),
  };
}

/** An entry as shown; `votes` is null while the contest hides totals. */
export function toEntryView(contest: Pick<ContestDoc, 'rounds'>, entry: EntryDoc, votes: number | null, now: Date): EntryView {
  return {
    id: entry._id.toHexString(),
    contestId: entry.contestId.toHexString(),
    authorId: entry.authorId.toHexString(),
    authorName: entry.authorName,
    kind: entry.kind,
    submissionId: entry.submissionId?.toHexString() ?? null,
    title: entry.title,
    description: entry.description ?? null,
    imageUrls: entry.imageUrls,
    videoUrl: entry.videoUrl ?? null,
    shortlisted: isShortlisted(contest, entry, now),
    votes,
    createdAt: entry.createdAt.toISOString(),
  };
}
