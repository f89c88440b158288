import type { EntryView } from '@shared/schemas/contests';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { EntryModel, JuryScoreModel, type EntryDoc } from './contests.model';
import { JURY_PHASES, isJuror, isShortlisted, phaseAt, phaseConflict } from './contest-rules';
import { mustFindContest, mustFindEntry } from './contest-store';
import { toEntryView } from './contest-views';
import type { VoteConfigs } from './vote-config';

export interface JuryDeps {
  clock: Clock;
  configs: VoteConfigs;
}

/** The jury's work: picking the shortlist during its round, and scoring the entries in the running. */
export function createJury({ clock, configs }: JuryDeps) {
  return {
    /** Jurors (or an admin) pick the entries that go forward, during the shortlist round. */
    async shortlist(actor: RoleHolder, id: string, entryId: string, shortlisted: boolean): Promise<EntryView> {
      const contest = await mustFindContest(id);
      if (!isJuror(contest, actor)) authorize(actor, { role: 'admin' });
      const now = clock.now();
      if (phaseAt(contest, now) !== 'shortlist') throw phaseConflict(contest, now, '入围评选');
      const doc = await EntryModel.findOneAndUpdate(
        { _id: oid(entryId), contestId: contest._id },
        { $set: { shortlisted } },
        { returnDocument: 'after', lean: true },
      );
      if (!doc) throw new AppError('ENTRY_NOT_FOUND');
      await configs.changed(id);
      return toEntryView(contest, doc as EntryDoc, null, now);
    },

    /** A juror's 0–100 score for a shortlisted entry; scoring again replaces it until results are out. */
    async score(actor: RoleHolder, id: string, entryId: string, score: number): Promise<{ entryId: string; score: number }> {
      const contest = await mustFindContest(id);
      if (!isJuror(contest, actor)) throw new AppError('NOT_A_JUROR');
      const now = clock.now();
      if (!JURY_PHASES.includes(phaseAt(contest, now))) throw phaseConflict(contest, now, '评委打分');
      const entry = await mustFindEntry(id, entryId);
      if (!isShortlisted(contest, entry, now)) throw new AppError('ENTRY_NOT_SHORTLISTED');
      await JuryScoreModel.updateOne(
        { entryId: entry._id, jurorId: oid(actor.id) },
        { $set: { score, updatedAt: now, contestId: contest._id } },
        { upsert: true },
      );
      return { entryId, score };
    },
  };
}
