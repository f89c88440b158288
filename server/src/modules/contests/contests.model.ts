import mongoose, { Schema, type Types } from 'mongoose';
import { ROUND_KINDS, type RoundKind, type TieBreak } from '@shared/schemas/contests';

export type EntryKind = 'submission' | 'photo' | 'video';

export interface RoundDoc {
  kind: RoundKind;
  startsAt: Date;
}

export interface AwardTierDoc {
  label: string;
  count: number;
  points: number;
}

export interface AdvanceDoc {
  /** Index of the round entered. */
  round: number;
  kind: RoundKind;
  at: Date;
}

export interface ContestDoc {
  _id: Types.ObjectId;
  title: string;
  description: string;
  cover?: string;
  campaign?: string;
  rounds: RoundDoc[];
  /** Index of the last round the advance job carried the contest into; -1 before the first. */
  currentRound: number;
  /** One line per round entered: proves each transition happened once. */
  history: AdvanceDoc[];
  entryKinds: EntryKind[];
  maxEntriesPerPerson: number;
  voting: {
    perUserPerDay: number;
    perEntryPerDay: number;
    hideTotals: boolean;
    newAccountHours: number;
    maxUsersPerDevice: number;
  };
  juryWeight: number;
  publicWeight: number;
  awards: AwardTierDoc[];
  /** Absent on contests created before it was configurable: 'jury'. */
  tieBreak?: TieBreak;
  jurorIds: Types.ObjectId[];
  tallyFrozenAt?: Date;
  resultsPublishedAt?: Date;
  createdBy: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const contestSchema = new Schema<ContestDoc>(
  {
    title: { type: String, required: true },
    description: { type: String, required: true },
    cover: String,
    campaign: String,
    rounds: {
      type: [
        new Schema<RoundDoc>(
          { kind: { type: String, enum: ROUND_KINDS, required: true }, startsAt: { type: Date, required: true } },
          { _id: false },
        ),
      ],
      required: true,
    },
    currentRound: { type: Number, required: true },
    history: {
      type: [
        new Schema<AdvanceDoc>(
          { round: { type: Number, required: true }, kind: { type: String, required: true }, at: { type: Date, required: true } },
          { _id: false },
        ),
      ],
      default: [],
    },
    entryKinds: { type: [String], required: true },
    maxEntriesPerPerson: { type: Number, required: true },
    voting: {
      perUserPerDay: { type: Number, required: true },
      perEntryPerDay: { type: Number, required: true },
      hideTotals: { type: Boolean, required: true },
      newAccountHours: { type: Number, required: true },
      maxUsersPerDevice: { type: Number, required: true },
    },
    juryWeight: { type: Number, required: true },
    publicWeight: { type: Number, required: true },
    awards: {
      type: [new Schema<AwardTierDoc>({ label: String, count: Number, points: Number }, { _id: false })],
      default: [],
    },
    tieBreak: String,
    jurorIds: { type: [Schema.Types.ObjectId], default: [] },
    tallyFrozenAt: Date,
    resultsPublishedAt: Date,
    createdBy: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'contests', versionKey: false, strict: 'throw' },
);
// The advance job's scan: contests whose next round may be due.
contestSchema.index({ resultsPublishedAt: 1, _id: 1 });
export const ContestModel = mongoose.model<ContestDoc>('Contest', contestSchema);

export interface EntryAwardDoc {
  label: string;
  points: number;
  status: 'pending' | 'paid' | 'capped';
}

export interface EntryDoc {
  _id: Types.ObjectId;
  contestId: Types.ObjectId;
  authorId: Types.ObjectId;
  authorName: string;
  /** 1…maxEntriesPerPerson: a unique (contest, author, slot) makes the per-person limit exact under races. */
  slot: number;
  kind: EntryKind;
  submissionId?: Types.ObjectId;
  title: string;
  description?: string;
  imageUrls: string[];
  videoUrl?: string;
  shortlisted: boolean;
  /** Valid votes counted from the stored votes when voting closed (and after a void). */
  frozenVotes?: number;
  juryScore?: number;
  jurorCount?: number;
  publicScore?: number;
  finalScore?: number;
  rank?: number;
  award?: EntryAwardDoc;
  createdAt: Date;
}

const entrySchema = new Schema<EntryDoc>(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    authorName: { type: String, required: true },
    slot: { type: Number, required: true },
    kind: { type: String, enum: ['submission', 'photo', 'video'], required: true },
    submissionId: Schema.Types.ObjectId,
    title: { type: String, required: true },
    description: String,
    imageUrls: { type: [String], default: [] },
    videoUrl: String,
    shortlisted: { type: Boolean, default: false },
    frozenVotes: Number,
    juryScore: Number,
    jurorCount: Number,
    publicScore: Number,
    finalScore: Number,
    rank: Number,
    award: new Schema<EntryAwardDoc>(
      { label: String, points: Number, status: { type: String, enum: ['pending', 'paid', 'capped'] } },
      { _id: false },
    ),
    createdAt: { type: Date, required: true },
  },
  { collection: 'contest_entries', versionKey: false, strict: 'throw' },
);
entrySchema.index({ contestId: 1, authorId: 1, slot: 1 }, { unique: true });
entrySchema.index({ contestId: 1, _id: 1 });
export const EntryModel = mongoose.model<EntryDoc>('ContestEntry', entrySchema);

/** A submission enters a contest once: the key is `${contestId}:${submissionId}`. */
export interface EntryClaimDoc {
  _id: string;
  entryId: Types.ObjectId;
}
const entryClaimSchema = new Schema<EntryClaimDoc>(
  { _id: { type: String, required: true }, entryId: { type: Schema.Types.ObjectId, required: true } },
  { collection: 'contest_entry_claims', versionKey: false, strict: 'throw' },
);
export const EntryClaimModel = mongoose.model<EntryClaimDoc>('ContestEntryClaim', entryClaimSchema);

export interface VoteDoc {
  _id: Types.ObjectId;
  contestId: Types.ObjectId;
  entryId: Types.ObjectId;
  userId: Types.ObjectId;
  /** YYYY-MM-DD in Asia/Shanghai: the limits' day. */
  day: string;
  deviceId?: string;
  ip?: string;
  status: 'valid' | 'void';
  /** Why the vote looks like stuffing: 'new_account', 'shared_device'. Empty = not flagged. */
  flags: string[];
  voidReason?: string;
  voidedBy?: Types.ObjectId;
  voidedAt?: Date;
  createdAt: Date;
  /** The client's Idempotency-Key of the vote, so a gate rebuilt from MongoDB still recognises a retry. */
  requestKey?: string;
}
const voteSchema = new Schema<VoteDoc>(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    entryId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    deviceId: String,
    ip: String,
    status: { type: String, enum: ['valid', 'void'], required: true },
    flags: { type: [String], default: [] },
    voidReason: String,
    voidedBy: Schema.Types.ObjectId,
    voidedAt: Date,
    createdAt: { type: Date, required: true },
    requestKey: String,
  },
  { collection: 'contest_votes', versionKey: false, strict: 'throw' },
);
voteSchema.index({ contestId: 1, entryId: 1, status: 1 });
voteSchema.index({ contestId: 1, userId: 1, day: 1 });
export const VoteModel = mongoose.model<VoteDoc>('ContestVote', voteSchema);

export interface JuryScoreDoc {
  _id: Types.ObjectId;
  contestId: Types.ObjectId;
  entryId: Types.ObjectId;
  jurorId: Types.ObjectId;
  score: number;
  updatedAt: Date;
}
const juryScoreSchema = new Schema<JuryScoreDoc>(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    entryId: { type: Schema.Types.ObjectId, required: true },
    jurorId: { type: Schema.Types.ObjectId, required: true },
    score: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'contest_jury_scores', versionKey: false, strict: 'throw' },
);
juryScoreSchema.index({ entryId: 1, jurorId: 1 }, { unique: true });
juryScoreSchema.index({ contestId: 1 });
export const JuryScoreModel = mongoose.model<JuryScoreDoc>('ContestJuryScore', juryScoreSchema);
