/** The stored contest, entry and vote reads every part of the contests service shares. */
import type { Types } from 'mongoose';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { ContestModel, EntryModel, VoteModel, type ContestDoc, type EntryDoc } from './contests.model';

export async function mustFindContest(id: string): Promise<ContestDoc> {
  const doc = await ContestModel.findById(id).lean<ContestDoc>();
  if (!doc) throw new AppError('CONTEST_NOT_FOUND');
  return doc;
}

export async function mustFindEntry(contestId: string, entryId: string): Promise<EntryDoc> {
  const doc = await EntryModel.findOne({ _id: oid(entryId), contestId: oid(contestId) }).lean<EntryDoc>();
  if (!doc) throw new AppError('ENTRY_NOT_FOUND');
  return doc;
}

/** Valid stored votes per entry: the source of truth every tally is checked against. */
export async function storedCounts(contestId: string): Promise<Map<string, number>> {
  const rows = await VoteModel.aggregate<{ _id: Types.ObjectId; n: number }>([
    { $match: { contestId: oid(contestId), status: 'valid' } },
    { $group: { _id: '$entryId', n: { $sum: 1 } } },
  ]);
  return new Map(rows.map((r) => [r._id.toHexString(), r.n]));
}
