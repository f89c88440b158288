import type { QueryFilter } from 'mongoose';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import type { UsersService } from '../users';
import { oid, pageByIdDesc } from '../../core/db';
import { AppError } from '../../core/errors';
import { EntryModel, VoteModel, type EntryDoc, type VoteDoc } from './contests.model';
import { mustFindContest, storedCounts } from './contest-store';
import type { VoteGate } from './vote-gate';
import type { VoteTally } from './vote-tally';

export interface VoteModerationDeps {
  clock: Clock;
  gate: VoteGate;
  tally: VoteTally;
  users: Pick<UsersService, 'publicProfiles'>;
}

/** The admin's side of voting: flagged votes listed and voided, the tally checked and rebuilt from the stored votes. */
export function createVoteModeration({ clock, gate, tally, users }: VoteModerationDeps) {
  const { writer } = tally;
  return {
    async votes(actor: RoleHolder, id: string, query: { status?: 'valid' | 'void'; cursor?: string; limit: number }) {
      authorize(actor, { role: 'admin' });
      const contest = await mustFindContest(id);
      // Votes of this process still on their way to MongoDB are listed too.
      await writer.idle();
      const filter: QueryFilter<VoteDoc> = { contestId: contest._id, 'flags.0': { $exists: true } };
      if (query.status) filter.status = query.status;
      const { docs, nextCursor } = await pageByIdDesc(VoteModel, filter, { cursor: query.cursor, limit: query.limit });
      const entryIds = [...new Set(docs.map((v) => v.entryId.toHexString()))].map(oid);
      const [entries, voters] = await Promise.all([
        EntryModel.find({ _id: { $in: entryIds } }, { title: 1 }).lean<Array<Pick<EntryDoc, '_id' | 'title'>>>(),
        users.publicProfiles(docs.map((v) => v.userId.toHexString())),
      ]);
      const titles = new Map(entries.map((e) => [e._id.toHexString(), e.title]));
      return {
        items: docs.map((v) => ({
          id: v._id.toHexString(),
          entryId: v.entryId.toHexString(),
          entryTitle: titles.get(v.entryId.toHexString()) ?? '',
          userId: v.userId.toHexString(),
          voterName: voters.get(v.userId.toHexString())?.nickname ?? null,
          day: v.day,
          deviceId: v.deviceId ?? null,
          status: v.status,
          flags: v.flags,
          voidReason: v.voidReason ?? null,
          createdAt: v.createdAt.toISOString(),
        })),
        nextCursor,
      };
    },

    /** Voids a vote with a reason (once); the tally and, after voting closed, the frozen count follow. */
    async voidVote(actor: RoleHolder, id: string, voteId: string, reason: string) {
      authorize(actor, { role: 'admin' });
      const contest = await mustFindContest(id);
      if (contest.resultsPublishedAt) throw new AppError('CONTEST_RESULTS_FINAL');
      // Under the tally lock: a rebuild never counts a void that has not reached the tally yet.
      return tally.withTallyLock(id, async () => {
        const voidIt = () =>
          VoteModel.findOneAndUpdate(
            { _id: oid(voteId), contestId: contest._id, status: 'valid' },
            { $set: { status: 'void', voidReason: reason, voidedBy: oid(actor.id), voidedAt: clock.now() } },
            { returnDocument: 'after', lean: true },
          );
        let vote = await voidIt();
        if (!vote) {
          let existing = await VoteModel.findOne({ _id: oid(voteId), contestId: contest._id }).lean<VoteDoc>();
          // Counted but not stored yet: write the pending votes, then void it.
          if (!existing && (await tally.drainPending(id)) > 0) {
            vote = await voidIt();
            if (!vote) existing = await VoteModel.findOne({ _id: oid(voteId), contestId: contest._id }).lean<VoteDoc>();
          }
          if (!vote && !existing) throw new AppError('VOTE_NOT_FOUND');
          if (!vote) throw new AppError('VOTE_ALREADY_VOID');
        }
        await gate.subtract(id, vote.entryId.toHexString());
        if (contest.tallyFrozenAt) await EntryModel.updateOne({ _id: vote.entryId }, { $inc: { frozenVotes: -1 } });
        return { voteId, status: 'void' as const, reason };
      });
    },

    /** Rebuilds the Redis tally from stored votes; returns how many entries' counts were wrong. */
    async reconcile(actor: RoleHolder, id: string): Promise<{ entries: number; corrected: number }> {
      authorize(actor, { role: 'admin' });
      await mustFindContest(id);
      const before = (await gate.tally(id)) ?? new Map<string, number>();
      const after = await tally.rebuild(id);
      const ids = new Set([...before.keys(), ...after.keys()]);
      let corrected = 0;
      for (const e of ids) if ((before.get(e) ?? 0) !== (after.get(e) ?? 0)) corrected += 1;
      return { entries: ids.size, corrected };
    },

    /** Tally vs stored votes, per entry (bench and checks), once this process's queued votes are written. */
    async tallyMismatch(id: string): Promise<number> {
      await writer.idle();
      const tally = (await gate.tally(id)) ?? new Map<string, number>();
      const stored = await storedCounts(id);
      const ids = new Set([...tally.keys(), ...stored.keys()]);
      let mismatched = 0;
      for (const e of ids) if ((tally.get(e) ?? 0) !== (stored.get(e) ?? 0)) mismatched += 1;
      return mismatched;
    },
  };
}
