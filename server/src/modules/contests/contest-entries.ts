import { Types, type QueryFilter } from 'mongoose';
import type { EntriesQuery, EntryView, FileEntryBody } from '@shared/schemas/contests';
import type { RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { isDuplicateKey, oid, pageByIdAsc } from '../../core/db';
import { AppError } from '../../core/errors';
import type { SubmissionsService } from '../submissions';
import type { UsersService } from '../users';
import { EntryClaimModel, EntryModel, type ContestDoc, type EntryDoc } from './contests.model';
import { APPROVED_STATES, allGoForward, phaseAt, phaseConflict, totalsVisible } from './contest-rules';
import { mustFindContest, mustFindEntry } from './contest-store';
import { toEntryView } from './contest-views';
import type { VoteGate } from './vote-gate';

export interface ContestEntriesDeps {
  clock: Clock;
  users: Pick<UsersService, 'getView'>;
  submissions: Pick<SubmissionsService, 'get'>;
  gate: VoteGate;
}

/** Entries: filed during the open call (within the per-person limit), listed and shown with their votes when visible. */
export function createContestEntries({ clock, users, submissions, gate }: ContestEntriesDeps) {
  /** An entry's votes as shown: null while totals are hidden, the frozen count once voting closed, else the live tally. */
  async function entryVotes(contest: ContestDoc, entry: EntryDoc): Promise<number | null> {
    if (!totalsVisible(contest, clock.now())) return null;
    if (entry.frozenVotes !== undefined) return entry.frozenVotes;
    return gate.entryTally(contest._id.toHexString(), entry._id.toHexString());
  }

  return {
    /** Files an entry during the open call: the author's approved submission, or a photo/video link. */
    async fileEntry(actor: RoleHolder, id: string, input: FileEntryBody): Promise<EntryView> {
      const contest = await mustFindContest(id);
      const now = clock.now();
      if (phaseAt(contest, now) !== 'submission') throw phaseConflict(contest, now, '报名参赛');
      if (!contest.entryKinds.includes(input.kind))
        throw new AppError('ENTRY_KIND_NOT_ALLOWED', { details: { allowed: contest.entryKinds } });
      const author = await users.getView(actor.id);
      let fields: Pick<EntryDoc, 'title' | 'imageUrls'> & Partial<Pick<EntryDoc, 'description' | 'videoUrl' | 'submissionId'>>;
      if (input.kind === 'submission') {
        const piece = await submissions.get(actor, input.submissionId);
        if (piece.authorId !== actor.id) throw new AppError('FORBIDDEN', { message: '只能用自己的稿件参赛' });
        if (!APPROVED_STATES.includes(piece.state)) throw new AppError('ENTRY_SUBMISSION_NOT_APPROVED');
        if (contest.campaign && piece.campaign !== contest.campaign)
          throw new AppError('ENTRY_SUBMISSION_NOT_APPROVED', { message: `只有带「${contest.campaign}」标签的稿件可以参赛` });
        fields = {
          title: piece.title,
          description: piece.body.slice(0, 500) || undefined,
          imageUrls: piece.images.map((i) => i.url),
          ...(piece.videoUrl ? { videoUrl: piece.videoUrl } : {}),
          submissionId: oid(piece.id),
        };
      } else if (input.kind === 'photo') {
        fields = { title: input.title, description: input.description, imageUrls: input.imageUrls };
      } else {
        fields = { title: input.title, description: input.description, imageUrls: [], videoUrl: input.videoUrl };
      }
      const entryId = new Types.ObjectId();
      if (fields.submissionId) {
        try {
          await EntryClaimModel.create({ _id: `${id}:${fields.submissionId.toHexString()}`, entryId });
        } catch (err) {
          if (isDuplicateKey(err)) throw new AppError('ENTRY_DUPLICATE');
          throw err;
        }
      }
      // The unique (contest, author, slot) index makes the per-person limit exact under concurrent filings.
      for (let slot = 1; slot <= contest.maxEntriesPerPerson; slot += 1) {
        try {
          const doc = await EntryModel.create({
            _id: entryId,
            contestId: contest._id,
            authorId: oid(actor.id),
            authorName: author.nickname,
            slot,
            kind: input.kind,
            ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
            shortlisted: false,
            createdAt: now,
          });
          return toEntryView(contest, doc.toObject() as EntryDoc, null, now);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      if (fields.submissionId) await EntryClaimModel.deleteOne({ _id: `${id}:${fields.submissionId.toHexString()}` });
      throw new AppError('ENTRY_LIMIT_REACHED', {
        message: `每人最多提交 ${contest.maxEntriesPerPerson} 件作品`,
        details: { max: contest.maxEntriesPerPerson },
      });
    },

    /**
     * A contest's entries in filing order, a page at a time (see entriesQuerySchema for why not by votes): entries
     * filed while someone pages land after every page already read.
     */
    async entries(actor: RoleHolder | null, id: string, query: EntriesQuery): Promise<{ items: EntryView[]; nextCursor: string | null }> {
      const contest = await mustFindContest(id);
      const filter: QueryFilter<EntryDoc> = { contestId: contest._id };
      if (query.shortlisted) filter.shortlisted = query.shortlisted === 'true';
      if (query.mine === 'true') {
        if (!actor) throw new AppError('AUTH_REQUIRED');
        filter.authorId = oid(actor.id);
      }
      const now = clock.now();
      if (query.shortlisted && allGoForward(contest, now)) {
        // Entry has closed without a shortlist round: every entry is in the running, whatever the job recorded.
        if (query.shortlisted === 'false') return { items: [], nextCursor: null };
        delete filter.shortlisted;
      }
      const { docs, nextCursor } = await pageByIdAsc(EntryModel, filter, { cursor: query.cursor, limit: query.limit });
      const visible = totalsVisible(contest, now);
      const tally = visible ? await gate.tally(id) : null;
      const items = docs.map((e) => toEntryView(contest, e, visible ? (e.frozenVotes ?? tally?.get(e._id.toHexString()) ?? 0) : null, now));
      return { items, nextCursor };
    },

    async entry(id: string, entryId: string): Promise<EntryView> {
      const contest = await mustFindContest(id);
      const entry = await mustFindEntry(id, entryId);
      return toEntryView(contest, entry, await entryVotes(contest, entry), clock.now());
    },

    /** An entry by its id alone (share cards and mini-program codes carry only the entry). */
    async entryById(entryId: string): Promise<EntryView> {
      const entry = await EntryModel.findById(entryId).lean<EntryDoc>();
      if (!entry) throw new AppError('ENTRY_NOT_FOUND');
      const contest = await mustFindContest(entry.contestId.toHexString());
      return toEntryView(contest, entry, await entryVotes(contest, entry), clock.now());
    },
  };
}
